// Types of @slotbook/client, shared by the CommonJS (index.d.ts) and ES module (index.d.mts)
// entry points.

/** A JSON object of the API, with camelCase field names. */
export interface ApiObject {
  [field: string]: unknown;
}

export interface Organization extends ApiObject {
  id: number;
  name: string;
}

export interface Department extends ApiObject {
  id: number;
  name: string;
  description: string | null;
  organization: Organization;
  showAdminsInBooking?: boolean;
  timeZone?: string;
  slotIntervalMinutes?: number;
  slotCapacity?: number;
}

export type AppointmentStatus =
  | 'SCHEDULED'
  | 'CONFIRMED'
  | 'CHECKED_IN'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'MISSED'
  | (string & {});

export interface Appointment extends ApiObject {
  id: number;
  /** Local time of the department, without offset (e.g. "2026-02-15T10:00:00"). */
  dateTime: string;
  status: AppointmentStatus;
  name: string;
  qrCode: string;
  departmentId: number;
  departmentName: string;
  externalUserId?: string | null;
  workerId?: number | null;
  createdAt: string;
  version?: number;
}

export interface AppointmentPage extends ApiObject {
  appointments: Appointment[];
  page: number;
  size: number;
  totalElements: number;
  totalPages: number;
  isLast: boolean;
}

export interface Slot extends ApiObject {
  /** The start with its UTC offset: give it as `dateTime` to book it. */
  start: string;
  end: string;
  workerIds: number[];
  remaining: number;
}

export interface SlotList extends ApiObject {
  slots: Slot[];
  scheduled: boolean;
}

export interface CreditStatement extends ApiObject {
  balance: number;
  creditsLowThreshold: number | null;
  ledger: ApiObject[];
}

/** A date-time as the API reads it: ISO 8601 text (no offset: the department's time) or a Date. */
export type DateLike = string | Date;

export interface CreateAppointment {
  departmentId: number;
  dateTime: DateLike;
  name?: string;
  /** Another spelling of `name`. */
  userName?: string;
  workerId?: number;
  externalUserId?: string;
  appointmentTypeId?: number;
  clientId?: number;
  patientId?: number;
  client?: ApiObject;
  notes?: string;
  reason?: string;
  isUrgent?: boolean;
  telehealthUrl?: string;
  repeatRule?: ApiObject;
  rrule?: string;
  [field: string]: unknown;
}

export interface AppointmentFilters {
  page?: number;
  size?: number;
  status?: AppointmentStatus;
  departmentId?: number | string;
  externalUserId?: string;
  startDate?: DateLike;
  endDate?: DateLike;
  workerId?: number;
  clientId?: number;
  patientId?: number;
  appointmentTypeId?: number;
  isUrgent?: boolean;
  archived?: boolean;
  includePast?: boolean;
  /** Filters `field:op value` (op one of = > >= < <= ~), e.g. ["name:~dupont"]. */
  q?: string | string[];
  /** `field:asc|desc`, comma separated. */
  sort?: string;
}

export interface AppointmentChanges {
  dateTime?: DateLike;
  workerId?: number;
  appointmentTypeId?: number;
  notes?: string | null;
  reason?: string | null;
  isUrgent?: boolean;
  telehealthUrl?: string | null;
  applyToRepeats?: boolean;
}

/** A version read from a resource (e.g. 3), an ETag as the API sent it ('"3"') or "*". */
export type Version = number | string;

export interface WriteOptions {
  /** Reused by every retry; generated when not given. */
  idempotencyKey?: string;
  /** Refuse (PreconditionFailedError) if the appointment changed since this version. */
  ifMatch?: Version;
}

export interface CancelOptions extends WriteOptions {
  /** 10 feeling better, 20 condition worse, 30 sick, 40 away, 50 other, 60 work. */
  reason?: number;
  note?: string;
  applyToRepeats?: boolean;
}

export interface ClientOptions {
  apiKey?: string;
  /** Default: $SLOTBOOK_BASE_URL, else http://127.0.0.1:8000. */
  baseUrl?: string;
  /** Seconds per attempt (30). */
  timeout?: number;
  maxRetries?: number;
  backoff?: number;
  maxBackoff?: number;
  maxRetryAfter?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  params?: Record<string, unknown>;
  body?: unknown;
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

export declare class Appointments {
  create(data: CreateAppointment, options?: { idempotencyKey?: string }): Promise<Appointment>;
  get(id: number | string): Promise<Appointment>;
  list(filters?: AppointmentFilters): Promise<AppointmentPage>;
  listAll(filters?: Omit<AppointmentFilters, 'page'>): AsyncGenerator<Appointment, void, undefined>;
  update(id: number | string, changes: AppointmentChanges, options?: WriteOptions): Promise<Appointment>;
  reschedule(
    id: number | string,
    to: { dateTime?: DateLike; workerId?: number; appointmentTypeId?: number },
    options?: WriteOptions,
  ): Promise<Appointment>;
  cancel(id: number | string, options?: CancelOptions): Promise<Appointment>;
  confirm(id: number | string, options?: { ifMatch?: Version }): Promise<Appointment>;
  checkIn(id: number | string, options?: { ifMatch?: Version }): Promise<Appointment>;
  complete(id: number | string, options?: { ifMatch?: Version }): Promise<Appointment>;
  noShow(id: number | string, options?: { ifMatch?: Version }): Promise<Appointment>;
  archive(id: number | string, options?: { ifMatch?: Version }): Promise<Appointment>;
  checkInByQr(qrCode: string): Promise<Appointment>;
  history(id: number | string, options?: { page?: number; size?: number }): Promise<ApiObject>;
  conflicts(id: number | string): Promise<ApiObject>;
}

export declare class Availability {
  slots(query: {
    departmentId: number;
    appointmentTypeId?: number;
    workerId?: number;
    startDate?: DateLike;
    endDate?: DateLike;
  }): Promise<SlotList>;
  explain(query: {
    departmentId: number;
    dateTime: DateLike;
    appointmentTypeId?: number;
    workerId?: number;
    externalUserId?: string;
  }): Promise<ApiObject & { bookable: boolean }>;
}

export declare class Departments {
  list(): Promise<Department[]>;
  get(id: number | string): Promise<Department>;
}

export declare class Workers {
  list(params?: Record<string, unknown>): Promise<ApiObject[]>;
  get(id: number | string): Promise<ApiObject>;
}

export declare class AppointmentTypes {
  list(params?: Record<string, unknown>): Promise<ApiObject[]>;
}

export declare class Credits {
  get(options?: { page?: number; size?: number }): Promise<CreditStatement>;
  setLowThreshold(threshold: number | null): Promise<CreditStatement>;
}

export declare class RetryPolicy {
  constructor(options?: Pick<ClientOptions, 'maxRetries' | 'backoff' | 'maxBackoff' | 'maxRetryAfter'>);
  maxRetries: number;
  backoff: number;
  maxBackoff: number;
  maxRetryAfter: number;
}

export declare class Slotbook {
  constructor(apiKey?: string, options?: ClientOptions);
  constructor(options: ClientOptions);
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly timeout: number;
  readonly retry: RetryPolicy;
  readonly appointments: Appointments;
  readonly availability: Availability;
  readonly departments: Departments;
  readonly workers: Workers;
  readonly appointmentTypes: AppointmentTypes;
  readonly credits: Credits;
  /** Any call: `path` relative to the base URL, e.g. "api/v1/changes". */
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<T>;
}
export declare class SlotbookClient extends Slotbook {}
export declare class MoncreneauClient extends Slotbook {}
export declare class Moncreneau extends Slotbook {}

export declare const DEFAULT_BASE_URL: string;

export interface ErrorOptions {
  code: string;
  status?: number | null;
  details?: ApiObject[];
  headers?: Record<string, string>;
  numericCode?: number | null;
  legacyCode?: string | null;
  cause?: unknown;
}

export declare class SlotbookError extends Error {
  constructor(message: string, options: ErrorOptions);
  /** The API's error code, e.g. INSUFFICIENT_CREDITS. */
  readonly code: string;
  /** The HTTP status, null when no answer came. */
  readonly status: number | null;
  readonly details: ApiObject[];
  readonly headers: Record<string, string>;
  readonly numericCode: number | null;
  readonly legacyCode: string | null;
}
export declare class ValidationError extends SlotbookError {}
export declare class AuthenticationError extends SlotbookError {}
export declare class InsufficientCreditsError extends SlotbookError {}
export declare class PermissionDeniedError extends SlotbookError {}
export declare class NotFoundError extends SlotbookError {}
export declare class ConflictError extends SlotbookError {}
export declare class PreconditionFailedError extends ConflictError {}
export declare class BookingRuleError extends SlotbookError {
  readonly rule: string;
}
export declare class RateLimitError extends SlotbookError {
  readonly retryAfter: number | null;
}
export declare class ServerError extends SlotbookError {}
export declare class APIConnectionError extends SlotbookError {}
export declare class WebhookVerificationError extends SlotbookError {}

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** Check a delivery's Standard Webhooks signature and return its parsed JSON body. */
export declare function verifyWebhook<T = ApiObject>(
  payload: string | Uint8Array | ArrayBuffer,
  headers: WebhookHeaders,
  secret: string,
  options?: { tolerance?: number; now?: number },
): T;
/** The `webhook-signature` header value for a payload (to test your receiving code). */
export declare function signWebhook(
  payload: string | Uint8Array | ArrayBuffer,
  secret: string,
  webhookId: string,
  timestamp: number,
): string;
