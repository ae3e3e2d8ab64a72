import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signWebhook, verifyWebhook, WebhookVerificationError } from '@slotbook/client';

// The example of the Standard Webhooks specification.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const PAYLOAD = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const headers = (signature = SIGNATURE, timestamp = String(TIMESTAMP)) => ({
  'webhook-id': ID,
  'webhook-timestamp': timestamp,
  'webhook-signature': signature,
});

function refused(code, call) {
  assert.throws(call, (error) => error instanceof WebhookVerificationError && error.code === code);
}

test('the specification example verifies and gives the parsed body', () => {
  assert.equal(signWebhook(PAYLOAD, SECRET, ID, TIMESTAMP), SIGNATURE);
  assert.deepEqual(verifyWebhook(PAYLOAD, headers(), SECRET, { now: TIMESTAMP }), { test: 2432232314 });
  assert.deepEqual(verifyWebhook(Buffer.from(PAYLOAD), new Headers(headers()), SECRET, { now: TIMESTAMP + 299 }), {
    test: 2432232314,
  });
});

test('one matching signature among several (a secret being rotated) is enough', () => {
  const other = signWebhook(PAYLOAD, 'whsec_' + Buffer.from('another key').toString('base64'), ID, TIMESTAMP);
  assert.ok(verifyWebhook(PAYLOAD, headers(`${other} v2,abc ${SIGNATURE}`), SECRET, { now: TIMESTAMP }));
});

test('a changed body, a wrong secret or a forged signature is refused', () => {
  refused('WEBHOOK_SIGNATURE_MISMATCH', () => verifyWebhook('{"test": 1}', headers(), SECRET, { now: TIMESTAMP }));
  const wrong = 'whsec_' + Buffer.from('wrong').toString('base64');
  refused('WEBHOOK_SIGNATURE_MISMATCH', () => verifyWebhook(PAYLOAD, headers(), wrong, { now: TIMESTAMP }));
  refused('WEBHOOK_SIGNATURE_MISMATCH', () => verifyWebhook(PAYLOAD, headers('v1,not base64!'), SECRET, { now: TIMESTAMP }));
  refused('WEBHOOK_SIGNATURE_MISMATCH', () => verifyWebhook(PAYLOAD, headers(SIGNATURE.replace('v1', 'v2')), SECRET, { now: TIMESTAMP }));
});

test('stale, future, malformed or missing headers are refused', () => {
  refused('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', () => verifyWebhook(PAYLOAD, headers(), SECRET, { now: TIMESTAMP + 301 }));
  refused('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', () => verifyWebhook(PAYLOAD, headers(), SECRET, { now: TIMESTAMP - 301 }));
  refused('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', () => verifyWebhook(PAYLOAD, headers(), SECRET));
  refused('WEBHOOK_TIMESTAMP_INVALID', () => verifyWebhook(PAYLOAD, headers(SIGNATURE, '1614265330.0'), SECRET, { now: TIMESTAMP }));
  refused('WEBHOOK_HEADERS_MISSING', () => verifyWebhook(PAYLOAD, { 'webhook-id': ID }, SECRET, { now: TIMESTAMP }));
  refused('WEBHOOK_SECRET_INVALID', () => verifyWebhook(PAYLOAD, headers(), 'whsec_***', { now: TIMESTAMP }));
});

test('a signed body that is not JSON is refused after the signature matched', () => {
  const signature = signWebhook('not json', SECRET, ID, TIMESTAMP);
  refused('WEBHOOK_PAYLOAD_INVALID', () => verifyWebhook('not json', headers(signature), SECRET, { now: TIMESTAMP }));
});
