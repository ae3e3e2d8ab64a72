// A webhook endpoint: verify each delivery's signature on the raw body, then act on it.
import http from 'node:http';
import { verifyWebhook, WebhookVerificationError } from '@slotbook/client';

// The endpoint's secret (whsec_...), shown once when you registered the webhook.
const secret = process.env.SLOTBOOK_WEBHOOK_SECRET;

const server = http.createServer(async (request, response) => {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  try {
    const event = verifyWebhook(Buffer.concat(chunks), request.headers, secret);
    console.log(`${request.headers['webhook-id']} ${event.type}: appointment ${event.data.appointment.id}`);
    response.writeHead(204).end();
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    console.log(`refused: ${error.code}`);
    response.writeHead(400).end(error.code);
  }
});

server.listen(Number(process.env.PORT || 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
