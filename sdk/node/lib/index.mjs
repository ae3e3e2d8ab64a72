// The ES module entry: the same objects as the CommonJS one (one copy, so `instanceof` works
// whichever way an application loads the package).
import client from './index.js';

export const {
  Slotbook,
  SlotbookClient,
  MoncreneauClient,
  Moncreneau,
  RetryPolicy,
  DEFAULT_BASE_URL,
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
  WebhookVerificationError,
  verifyWebhook,
  signWebhook,
} = client;
export default client;
