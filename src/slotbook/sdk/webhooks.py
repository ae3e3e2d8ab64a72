"""`slotbook.sdk.webhooks` is `slotbook_client.webhooks` (see slotbook.sdk)."""

from slotbook_client.webhooks import (
    DEFAULT_TOLERANCE as DEFAULT_TOLERANCE,
)
from slotbook_client.webhooks import (
    WebhookVerificationError as WebhookVerificationError,
)
from slotbook_client.webhooks import sign as sign
from slotbook_client.webhooks import verify as verify
