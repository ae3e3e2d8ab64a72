// The same client from CommonJS: require() it, and await inside an async function.
const { Slotbook, NotFoundError } = require('@slotbook/client');

async function main() {
  const client = new Slotbook(process.env.SLOTBOOK_API_KEY, {
    baseUrl: process.env.SLOTBOOK_BASE_URL || 'http://127.0.0.1:8000',
    maxRetries: 3,
  });
  const { balance } = await client.credits.get();
  console.log(`Credits left: ${balance}`);
  try {
    await client.appointments.get(999999);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    console.log(`${error.status} ${error.code}: ${error.message}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
