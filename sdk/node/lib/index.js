'use strict';
// The Slotbook API client for Node.js, on Node's own fetch; no dependency.

const crypto = require('node:crypto');
const errors = require('./errors');
const webhooks = require('./webhooks');
const { version } = require('../package.json');

const DEFAULT_BASE_URL = 'http://127.0.0.1:8000';
const API = 'api/v1';
// Methods that change state: each call carries an Idempotency-Key, reused by its retries.
const IDEMPOTENT_BY_KEY = new Set(['POST', 'PATCH', 'DELETE', 'PUT']);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
// The API answers 409 with this code while the first request under the same key still runs.
const RETRY_CODES = new Set(['IDEMPOTENCY_IN_PROGRESS']);

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Whether a fetch failure may mean the request never arrived, or its answer was lost. */
function isTransient(error) {
  return error instanceof TypeError || (error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
}

/**
 * Exponential backoff with jitter, bounded by `maxRetries`. 429, 502, 503, 504,
 * 409 IDEMPOTENCY_IN_PROGRESS and connection failures are retried; a Retry-After answer is
 * honoured unless it asks for more than `maxRetryAfter` seconds (then the error is thrown).
 */
class RetryPolicy {
  constructor({ maxRetries = 2, backoff = 0.5, maxBackoff = 8, maxRetryAfter = 60 } = {}) {
    Object.assign(this, { maxRetries, backoff, maxBackoff, maxRetryAfter });
  }

  backoffDelay(attempt) {
    const ceiling = Math.min(this.maxBackoff, this.backoff * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** Seconds to wait before the next attempt, or null when `outcome` is final. */
  delay(attempt, outcome) {
    if (attempt >= this.maxRetries) return null;
    if (outcome.error) return isTransient(outcome.error) ? this.backoffDelay(attempt) : null;
    const { status } = outcome.response;
    const retryable = RETRY_STATUSES.has(status)
      || (status === 409 && RETRY_CODES.has(errors.envelopeOf(outcome.text).code));
    if (!retryable) return null;
    const asked = errors.retryAfterSeconds(outcome.response.headers);
    if (asked === null) return this.backoffDelay(attempt);
    return asked <= this.maxRetryAfter ? asked : null;
  }
}

function wire(value) {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function ifMatch(version) {
  if (version === undefined || version === null) return {};
  if (typeof version === 'number' || /^\d+$/.test(String(version))) return { 'If-Match': `"${Number(version)}"` };
  return { 'If-Match': String(version) };
}

function dropEmpty(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== null));
}

function idOf(id) {
  const text = String(id);
  if (!/^\d+$/.test(text)) throw new TypeError(`an id is a positive integer, not ${JSON.stringify(id)}`);
  return text;
}

class Resource {
  constructor(client) {
    this._client = client;
  }
}

/** client.appointments: book, read, list, reschedule, cancel and move through statuses. */
class Appointments extends Resource {
  /**
   * Book an appointment (consumes 1 credit). `dateTime` without an offset is the
   * department's local time. An Idempotency-Key is generated unless given, and reused by
   * every retry.
   */
  create(data, { idempotencyKey } = {}) {
    const { userName, ...body } = data || {};
    if (body.name === undefined && userName !== undefined) body.name = userName;
    return this._client.request('POST', `${API}/appointments`, { body: dropEmpty(body), idempotencyKey });
  }

  get(id) {
    return this._client.request('GET', `${API}/appointments/${idOf(id)}`);
  }

  /**
   * One page: `{appointments, page, size, totalElements, totalPages, isLast}`. Filters:
   * status, departmentId, externalUserId, startDate, endDate, workerId, clientId, patientId,
   * appointmentTypeId, isUrgent, archived, includePast, q (["name:~dupont"]), sort.
   */
  list(filters = {}) {
    return this._client.request('GET', `${API}/appointments`, { params: listParams(filters) });
  }

  /** Every appointment matching the filters of `list`, fetched page after page. */
  async *listAll(filters = {}) {
    let params = { size: 100, ...listParams(filters), page: 0 };
    for (;;) {
      const page = await this._client.request('GET', `${API}/appointments`, { params });
      yield* page.appointments;
      if (page.isLast !== false || page.appointments.length === 0) return;
      params = { ...params, page: Number(page.page) + 1 };
    }
  }

  /**
   * Change an appointment (PATCH): `dateTime`, `workerId`, `appointmentTypeId` move it under
   * the booking rules, atomically; `notes`, `reason`, `isUrgent`, `telehealthUrl` (null clears
   * a text), `applyToRepeats`.
   */
  update(id, changes, { ifMatch: version, idempotencyKey } = {}) {
    const body = Object.fromEntries(Object.entries(changes || {}).filter(([, value]) => value !== undefined));
    return this._client.request('PATCH', `${API}/appointments/${idOf(id)}`, {
      body,
      idempotencyKey,
      headers: ifMatch(version),
    });
  }

  /** Move it to another time (and worker or type): if the new time is refused, the old one is kept. */
  reschedule(id, { dateTime, workerId, appointmentTypeId }, options = {}) {
    return this.update(id, dropEmpty({ dateTime, workerId, appointmentTypeId }), options);
  }

  /**
   * Cancel and refund its credit; cancelling again refunds nothing. `reason` is a number
   * (10 feeling better, 20 condition worse, 30 sick, 40 away, 50 other, 60 work), `note` a
   * text, `applyToRepeats` also cancels the later occurrences of its series.
   */
  cancel(id, { reason, note, applyToRepeats, ifMatch: version, idempotencyKey } = {}) {
    const headers = ifMatch(version);
    if (reason === undefined && note === undefined && applyToRepeats === undefined) {
      return this._client.request('DELETE', `${API}/appointments/${idOf(id)}`, { headers, idempotencyKey });
    }
    const body = dropEmpty({ cancellationReason: reason, cancellationNote: note, applyToRepeats });
    return this._client.request('POST', `${API}/appointments/${idOf(id)}/cancel`, { body, headers, idempotencyKey });
  }

  confirm(id, { ifMatch: version } = {}) {
    return this._transition(id, 'confirm', version);
  }

  checkIn(id, { ifMatch: version } = {}) {
    return this._transition(id, 'check-in', version);
  }

  complete(id, { ifMatch: version } = {}) {
    return this._transition(id, 'complete', version);
  }

  noShow(id, { ifMatch: version } = {}) {
    return this._transition(id, 'no-show', version);
  }

  archive(id, { ifMatch: version } = {}) {
    return this._transition(id, 'archive', version);
  }

  /** Check in the appointment whose `qrCode` the desk scanned. */
  checkInByQr(qrCode) {
    return this._client.request('POST', `${API}/check-in`, { body: { qrCode } });
  }

  history(id, { page, size } = {}) {
    return this._client.request('GET', `${API}/appointments/${idOf(id)}/history`, { params: { page, size } });
  }

  conflicts(id) {
    return this._client.request('GET', `${API}/appointments/${idOf(id)}/conflicts`);
  }

  _transition(id, action, version) {
    return this._client.request('POST', `${API}/appointments/${idOf(id)}/${action}`, { headers: ifMatch(version) });
  }
}

function listParams(filters) {
  const { q, ...rest } = filters || {};
  const params = { ...rest };
  if (q !== undefined && q !== null) params['q[]'] = Array.isArray(q) ? q : [q];
  return params;
}

/** client.availability: free slots, and why a given time is not bookable. */
class Availability extends Resource {
  /**
   * Free start times between two local dates (default: 7 days from today, at most 62):
   * `slots` of `{start, end, workerIds, remaining}`; `scheduled` is false without hours.
   */
  slots({ departmentId, appointmentTypeId, workerId, startDate, endDate } = {}) {
    const params = { departmentId, appointmentTypeId, workerId, startDate, endDate };
    return this._client.request('GET', `${API}/appointments/available-slots`, { params });
  }

  /** Whether `dateTime` is `bookable`, the rules it breaks and, per worker, every reason. */
  explain({ departmentId, dateTime, appointmentTypeId, workerId, externalUserId } = {}) {
    const params = { departmentId, dateTime, appointmentTypeId, workerId, externalUserId };
    return this._client.request('GET', `${API}/appointments/available-slots/explain`, { params });
  }
}

/** client.departments: the departments your key can book in. */
class Departments extends Resource {
  /** Every department, each with its `organization`. */
  list() {
    return this._client.request('GET', `${API}/departments`);
  }

  get(id) {
    return this._client.request('GET', `${API}/departments/${idOf(id)}`);
  }
}

/** client.workers: the staff who take appointments. */
class Workers extends Resource {
  list(params = {}) {
    return this._client.request('GET', `${API}/workers`, { params });
  }

  get(id) {
    return this._client.request('GET', `${API}/workers/${idOf(id)}`);
  }
}

/** client.appointmentTypes: what can be booked, with its duration. */
class AppointmentTypes extends Resource {
  list(params = {}) {
    return this._client.request('GET', `${API}/appointment-types`, { params });
  }
}

/** client.credits: the organization's credit balance and ledger. */
class Credits extends Resource {
  /** `balance`, `creditsLowThreshold` and one page of the `ledger`, newest first. */
  get({ page, size } = {}) {
    return this._client.request('GET', `${API}/credits`, { params: { page, size } });
  }

  /** Send `credits.low` when a debit takes the balance under `threshold` (null: never). */
  setLowThreshold(threshold) {
    return this._client.request('PATCH', `${API}/credits`, { body: { creditsLowThreshold: threshold } });
  }
}

/**
 * The Slotbook API. `new Slotbook(apiKey?, options?)` or `new Slotbook({ apiKey, ...options })`.
 * The key defaults to $SLOTBOOK_API_KEY and `baseUrl` to $SLOTBOOK_BASE_URL, else
 * http://127.0.0.1:8000. Options: timeout (seconds, 30), maxRetries (2), backoff (0.5),
 * maxBackoff (8), maxRetryAfter (60), fetch (another fetch implementation).
 */
class Slotbook {
  constructor(apiKey, options = {}) {
    if (apiKey !== null && typeof apiKey === 'object') {
      options = apiKey;
      apiKey = options.apiKey;
    }
    const env = typeof process === 'undefined' ? {} : process.env;
    this.apiKey = apiKey || env.SLOTBOOK_API_KEY || '';
    if (!this.apiKey) throw new TypeError('an API key is required (or set SLOTBOOK_API_KEY)');
    const base = options.baseUrl || env.SLOTBOOK_BASE_URL || DEFAULT_BASE_URL;
    this.baseUrl = base.endsWith('/') ? base : `${base}/`;
    this.timeout = options.timeout ?? 30;
    this.retry = new RetryPolicy(options);
    this._fetch = options.fetch || globalThis.fetch;
    this.appointments = new Appointments(this);
    this.availability = new Availability(this);
    this.departments = new Departments(this);
    this.workers = new Workers(this);
    this.appointmentTypes = new AppointmentTypes(this);
    this.credits = new Credits(this);
  }

  /**
   * Any API call: `path` is relative to the base URL (e.g. "api/v1/changes"). Returns the
   * decoded JSON ({} for an empty answer); throws a SlotbookError subclass.
   */
  async request(method, path, { params = {}, body, idempotencyKey, headers = {} } = {}) {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl);
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, wire(item));
    }
    const sent = {
      'X-API-Key': this.apiKey,
      Accept: 'application/json',
      'User-Agent': `slotbook-node/${version}`,
      ...headers,
    };
    if (IDEMPOTENT_BY_KEY.has(method)) sent['Idempotency-Key'] = idempotencyKey || crypto.randomUUID();
    let content;
    if (body !== undefined) {
      content = JSON.stringify(body, (key, value) => (value instanceof Date ? value.toISOString() : value));
      sent['Content-Type'] = 'application/json';
    }
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this._attempt(url, { method, headers: sent, body: content });
      const delay = this.retry.delay(attempt, outcome);
      if (delay === null) return this._result(outcome);
      await sleep(delay);
    }
  }

  async _attempt(url, init) {
    try {
      const response = await this._fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeout * 1000),
      });
      // The body is read inside the attempt: a connection lost mid-answer is retried too.
      return { response, text: await response.text() };
    } catch (error) {
      return { error };
    }
  }

  _result({ response, text, error }) {
    if (error) {
      throw new errors.APIConnectionError(`${error.name}: ${error.cause?.message || error.message}`, {
        code: 'CONNECTION_ERROR',
        cause: error,
      });
    }
    if (response.status < 200 || response.status >= 300) throw errors.errorFromResponse(response, text);
    if (!text) return {};
    const type = response.headers.get('content-type') || '';
    return type.includes('json') ? JSON.parse(text) : text;
  }
}

// The names of the moncreneau documents, so their snippets run as written.
class SlotbookClient extends Slotbook {}
class MoncreneauClient extends Slotbook {}
class Moncreneau extends Slotbook {}

// `require('@slotbook/client')` is the client class itself (as `require('@moncreneau/api')` is
// in the quick start), and carries every other export as a property.
module.exports = Slotbook;
Object.assign(module.exports, {
  default: Slotbook,
  Slotbook,
  SlotbookClient,
  MoncreneauClient,
  Moncreneau,
  RetryPolicy,
  DEFAULT_BASE_URL,
  SlotbookError: errors.SlotbookError,
  ValidationError: errors.ValidationError,
  AuthenticationError: errors.AuthenticationError,
  InsufficientCreditsError: errors.InsufficientCreditsError,
  PermissionDeniedError: errors.PermissionDeniedError,
  NotFoundError: errors.NotFoundError,
  ConflictError: errors.ConflictError,
  PreconditionFailedError: errors.PreconditionFailedError,
  BookingRuleError: errors.BookingRuleError,
  RateLimitError: errors.RateLimitError,
  ServerError: errors.ServerError,
  APIConnectionError: errors.APIConnectionError,
  WebhookVerificationError: webhooks.WebhookVerificationError,
  verifyWebhook: webhooks.verifyWebhook,
  signWebhook: webhooks.signWebhook,
});
