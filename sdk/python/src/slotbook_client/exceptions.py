"""The SDK's errors under the module name of the moncreneau documents
(`from moncreneau.exceptions import InsufficientCreditsError`)."""

from slotbook_client.errors import (
    APIConnectionError,
    AuthenticationError,
    BookingRuleError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    ServerError,
    SlotbookError,
    ValidationError,
)

__all__ = [
    "APIConnectionError",
    "AuthenticationError",
    "BookingRuleError",
    "ConflictError",
    "InsufficientCreditsError",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "ServerError",
    "SlotbookError",
    "ValidationError",
]
