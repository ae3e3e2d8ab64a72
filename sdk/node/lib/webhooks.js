'use strict';
// Verify the Standard Webhooks signature of a delivery Slotbook sent to your endpoint.
//
// Slotbook signs every webhook as the Standard Webhooks specification says: the headers
// `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated
// list of `v1,<base64 HMAC-SHA256>` signatures of `{id}.{timestamp}.{body}` under the
// endpoint's secret (`whsec_` + base64). Several signatures appear while a secret is rotated.

const crypto = require('node:crypto');
const { SlotbookError } = require('./errors');

const SECRET_PREFIX = 'whsec_';
const DEFAULT_TOLERANCE = 300; // seconds between the signing time and now, either way
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The delivery cannot be trusted: `code` says why. */
class WebhookVerificationError extends SlotbookError {
  constructor(message, code) {
    super(message, { code, status: null });
  }
}

function strictBase64(text) {
  // Buffer.from(..., 'base64') skips what is not base64; a signature or secret must be exact.
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

function keyOf(secret) {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = strictBase64(encoded);
  if (key === null) {
    throw new WebhookVerificationError('The webhook secret is not base64 (expected whsec_...)', 'WEBHOOK_SECRET_INVALID');
  }
  if (key.length === 0) throw new WebhookVerificationError('The webhook secret is empty', 'WEBHOOK_SECRET_INVALID');
  return key;
}

function bytesOf(payload) {
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload instanceof ArrayBuffer) return Buffer.from(payload);
  throw new TypeError('the webhook payload is the raw body: a string, Buffer or Uint8Array');
}

function digest(key, id, timestamp, payload) {
  return crypto.createHmac('sha256', key).update(`${id}.${timestamp}.`).update(payload).digest();
}

/** The `webhook-signature` value for `payload` (to test your receiving code). */
function signWebhook(payload, secret, webhookId, timestamp) {
  return `v1,${digest(keyOf(secret), webhookId, String(timestamp), bytesOf(payload)).toString('base64')}`;
}

function header(headers, name) {
  if (headers && typeof headers.get === 'function') return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers || {})) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

/**
 * Check a delivery and return its JSON body (the event: `type`, `timestamp`, `data`).
 * `payload` must be the raw request body, byte for byte, as received; `headers` a plain
 * object (e.g. Node's `req.headers`) or a Headers. Throws WebhookVerificationError.
 */
function verifyWebhook(payload, headers, secret, { tolerance = DEFAULT_TOLERANCE, now } = {}) {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError('webhook-id, webhook-timestamp and webhook-signature are required', 'WEBHOOK_HEADERS_MISSING');
  }
  if (!/^[0-9]+$/.test(timestamp)) {
    throw new WebhookVerificationError('webhook-timestamp is not Unix seconds', 'WEBHOOK_TIMESTAMP_INVALID');
  }
  const current = now === undefined ? Date.now() / 1000 : now;
  if (Math.abs(current - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError(`webhook-timestamp is more than ${tolerance} s away from now (replay?)`, 'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE');
  }
  const body = bytesOf(payload);
  // The signed content uses the header as sent, so a reformatted timestamp cannot match.
  const expected = digest(keyOf(secret), id, timestamp, body);
  let matched = false;
  for (const candidate of signatures.split(' ')) {
    const comma = candidate.indexOf(',');
    if (comma < 0 || candidate.slice(0, comma) !== 'v1') continue;
    const given = strictBase64(candidate.slice(comma + 1));
    // Every candidate is compared, in constant time, so timing tells nothing.
    if (given !== null && given.length === expected.length && crypto.timingSafeEqual(given, expected)) {
      matched = true;
    }
  }
  if (!matched) throw new WebhookVerificationError('No webhook signature matches the payload', 'WEBHOOK_SIGNATURE_MISMATCH');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookVerificationError('The webhook body is not JSON', 'WEBHOOK_PAYLOAD_INVALID');
  }
}

module.exports = { WebhookVerificationError, verifyWebhook, signWebhook, DEFAULT_TOLERANCE };
