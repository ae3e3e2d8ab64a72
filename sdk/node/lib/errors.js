'use strict';
// Typed errors, built from the API's error envelope {code, message, timestamp}.

// Booking rule refusals and their numeric codes (SLOT_UNAVAILABLE has none). The API marks a
// rule refusal with `legacyCode` (and `numericCode` when the rule has one), so a rule added
// to the server later is recognised too.
const BOOKING_RULE_CODES = Object.freeze({
  SLOT_UNAVAILABLE: null,
  SAME_TIME_APPOINTMENT: 12,
  TOO_CLOSE_TO_OTHER_APPOINTMENT: 7,
  MAX_UPCOMING_REACHED: 6,
  TOO_FAR_IN_ADVANCE: 8,
  TOO_SOON: 9,
  CANCELLATION_TOO_LATE: 10,
});
// Refusals that carry a legacy code without being booking rules.
const NOT_RULE_CODES = new Set(['EMAIL_ALREADY_EXISTS', 'EMAIL_NOT_FOUND']);

class SlotbookError extends Error {
  constructor(message, { code, status = null, details = [], headers = {}, numericCode = null, legacyCode = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details || [];
    this.headers = headers;
    this.numericCode = numericCode;
    this.legacyCode = legacyCode;
  }
}

/** 400/422: the request is invalid; `details` lists the fields at fault. */
class ValidationError extends SlotbookError {}
/** 401: the API key is missing, unknown, revoked or expired. */
class AuthenticationError extends SlotbookError {}
/** 402: the organization has no credit left to book. */
class InsufficientCreditsError extends SlotbookError {}
/** 403: the key lacks a scope, or the resource belongs to another organization. */
class PermissionDeniedError extends SlotbookError {}
/** 404: no such resource. */
class NotFoundError extends SlotbookError {}
/** 409: the request conflicts with the current state. */
class ConflictError extends SlotbookError {}
/** 412 VERSION_MISMATCH: the resource changed since the version given as ifMatch. */
class PreconditionFailedError extends ConflictError {}
/** A booking rule refused the request; `rule` (= `code`) names it. */
class BookingRuleError extends SlotbookError {
  constructor(message, options) {
    super(message, options);
    this.rule = this.code;
  }
}
/** 429: too many requests; `retryAfter` is the wait in seconds the API asked for. */
class RateLimitError extends SlotbookError {
  constructor(message, options = {}) {
    super(message, options);
    this.retryAfter = options.retryAfter ?? null;
  }
}
/** 5xx: the API failed or is unavailable (after the client's retries). */
class ServerError extends SlotbookError {}
/** The API could not be reached, or the connection failed (after the client's retries). */
class APIConnectionError extends SlotbookError {}

const CLASS_BY_STATUS = {
  400: ValidationError,
  401: AuthenticationError,
  402: InsufficientCreditsError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  422: ValidationError,
  429: RateLimitError,
};

/** Retry-After in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3), else null. */
function retryAfterSeconds(headers) {
  const value = headers.get('retry-after');
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const when = Date.parse(text);
  if (Number.isNaN(when)) return null;
  const sent = headers.get('date');
  const now = sent === null ? Number.NaN : Date.parse(sent);
  if (Number.isNaN(now)) return null;
  return Math.max(0, (when - now) / 1000);
}

/** The error envelope of a body: the native one, or the quick start's {"error": {...}}. */
function envelopeOf(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (body && typeof body === 'object' && body.error && typeof body.error === 'object') {
    body = body.error;
  }
  return body && typeof body === 'object' && !Array.isArray(body) ? body : {};
}

/** The typed error for a non-2xx response (`text` is its body). */
function errorFromResponse(response, text) {
  const status = response.status;
  const body = envelopeOf(text);
  const code = String(body.code || `HTTP_${status}`);
  const message = String(body.message || response.statusText || `HTTP ${status}`);
  const headers = Object.fromEntries(response.headers.entries());
  const numeric = Number.isInteger(body.numericCode) ? body.numericCode : null;
  const legacy = typeof body.legacyCode === 'string' ? body.legacyCode : null;
  const common = {
    code,
    status,
    details: Array.isArray(body.details) ? body.details : [],
    headers,
    numericCode: numeric,
    legacyCode: legacy,
  };
  const marked = numeric !== null || legacy !== null;
  if (status >= 400 && status < 500 && (code in BOOKING_RULE_CODES || (marked && !NOT_RULE_CODES.has(code)))) {
    return new BookingRuleError(message, {
      ...common,
      numericCode: numeric !== null ? numeric : (BOOKING_RULE_CODES[code] ?? null),
    });
  }
  if (status === 429) {
    return new RateLimitError(message, { ...common, retryAfter: retryAfterSeconds(response.headers) });
  }
  if (status >= 500) return new ServerError(message, common);
  const Kind = CLASS_BY_STATUS[status] || SlotbookError;
  return new Kind(message, common);
}

module.exports = {
  SlotbookError,
  ValidationError,
  AuthenticationError,
  InsufficientCreditsError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  PreconditionFailedError,
  BookingRuleError,
  RateLimitError,
  ServerError,
  APIConnectionError,
  envelopeOf,
  errorFromResponse,
  retryAfterSeconds,
};
