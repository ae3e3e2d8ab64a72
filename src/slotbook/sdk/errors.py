"""`slotbook.sdk.errors` is `slotbook_client.errors` (see slotbook.sdk)."""

from slotbook_client.errors import *  # noqa: F403
from slotbook_client.errors import BOOKING_RULE_CODES as BOOKING_RULE_CODES
from slotbook_client.errors import NOT_RULE_CODES as NOT_RULE_CODES
