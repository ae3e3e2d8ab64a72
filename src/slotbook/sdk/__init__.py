"""The Slotbook Python SDK: `Client`, `AsyncClient`, typed errors and webhook verification.

Needs only httpx (`pip install 'slotbook[client]'`); it never imports the server.
"""

from slotbook.sdk._core import RetryPolicy
from slotbook.sdk.client import AsyncClient, Client
from slotbook.sdk.errors import (
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
from slotbook.sdk.models import Record
from slotbook.sdk.webhooks import WebhookVerificationError

__all__ = [
    "APIConnectionError",
    "AsyncClient",
    "AuthenticationError",
    "BookingRuleError",
    "Client",
    "ConflictError",
    "InsufficientCreditsError",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "Record",
    "RetryPolicy",
    "ServerError",
    "SlotbookError",
    "ValidationError",
    "WebhookVerificationError",
]
