"""The Slotbook Python SDK: `Client`, `AsyncClient`, typed models, typed errors and webhook
verification.

Needs only httpx (`pip install ./sdk/python`, the `slotbook-client` distribution); it never
imports the server. `Slotbook`, `SlotbookClient`, `MoncreneauClient` and `Moncreneau` are other
names of `Client`, so the moncreneau documents' snippets run with only the import changed.
"""

from slotbook_client._core import RetryPolicy
from slotbook_client._version import __version__
from slotbook_client.client import AsyncClient, Client
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
from slotbook_client.models import (
    Appointment,
    AppointmentPage,
    AppointmentType,
    CreditStatement,
    Department,
    DepartmentDetail,
    SlotList,
    WeeklyHours,
    Worker,
)
from slotbook_client.record import Record
from slotbook_client.webhooks import WebhookVerificationError

Slotbook = Client
SlotbookClient = Client
MoncreneauClient = Client
Moncreneau = Client

__all__ = [
    "APIConnectionError",
    "Appointment",
    "AppointmentPage",
    "AppointmentType",
    "AsyncClient",
    "AuthenticationError",
    "BookingRuleError",
    "Client",
    "ConflictError",
    "CreditStatement",
    "Department",
    "DepartmentDetail",
    "InsufficientCreditsError",
    "Moncreneau",
    "MoncreneauClient",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "Record",
    "RetryPolicy",
    "ServerError",
    "SlotList",
    "Slotbook",
    "SlotbookClient",
    "SlotbookError",
    "ValidationError",
    "WebhookVerificationError",
    "WeeklyHours",
    "Worker",
    "__version__",
]
