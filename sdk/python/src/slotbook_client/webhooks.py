"""Verify the Standard Webhooks signature of a delivery Slotbook sent to your endpoint.

Slotbook signs every webhook as the Standard Webhooks specification says: the headers
`webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated list
of `v1,<base64 HMAC-SHA256>` signatures of `{webhook-id}.{webhook-timestamp}.{body}` under the
endpoint's secret (`whsec_` + base64). Several signatures appear while a secret is rotated.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from slotbook_client.errors import SlotbookError
from slotbook_client.record import wrap

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format marker, not a secret
DEFAULT_TOLERANCE = 300  # seconds between the signing time and now, either way


class WebhookVerificationError(SlotbookError):
    """The delivery cannot be trusted: `code` says why (missing headers, bad signature, stale
    timestamp, unusable secret)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code, status=None)


def _key(secret: str) -> bytes:
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError(
            "The webhook secret is not base64 (expected whsec_...)", "WEBHOOK_SECRET_INVALID"
        ) from None
    if not key:
        raise WebhookVerificationError("The webhook secret is empty", "WEBHOOK_SECRET_INVALID")
    return key


def _digest(key: bytes, webhook_id: str, timestamp: str, payload: bytes) -> bytes:
    return hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + payload, hashlib.sha256).digest()


def sign(payload: bytes, secret: str, webhook_id: str, timestamp: int) -> str:
    """The `webhook-signature` value for `payload` (to test your receiving code)."""
    digest = _digest(_key(secret), webhook_id, str(timestamp), payload)
    return "v1," + base64.b64encode(digest).decode()


def _decoded(signature: str) -> bytes | None:
    try:
        return base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return None


def verify(
    payload: bytes,
    headers: Mapping[str, str],
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    *,
    now: float | None = None,
) -> Any:
    """Check a delivery and return its JSON body (an event Record: `type`, `timestamp`, `data`).

    `payload` must be the raw request body, byte for byte, as received. Raises
    WebhookVerificationError when a header is missing, the timestamp is more than `tolerance`
    seconds away from `now` (default: the current time), or no v1 signature matches.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    webhook_id = lowered.get("webhook-id")
    timestamp = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not (webhook_id and timestamp and signatures):
        raise WebhookVerificationError(
            "webhook-id, webhook-timestamp and webhook-signature are required",
            "WEBHOOK_HEADERS_MISSING",
        )
    if not timestamp.isascii() or not timestamp.isdigit():
        raise WebhookVerificationError(
            "webhook-timestamp is not Unix seconds", "WEBHOOK_TIMESTAMP_INVALID"
        )
    signed_at = int(timestamp)
    current = time.time() if now is None else now
    if abs(current - signed_at) > tolerance:
        raise WebhookVerificationError(
            f"webhook-timestamp is more than {tolerance} s away from now (replay?)",
            "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE",
        )
    # The signed content uses the header as sent, so a reformatted timestamp cannot match.
    expected = _digest(_key(secret), webhook_id, timestamp, payload)
    matched = False
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        given = _decoded(value) if version == "v1" else None
        # Every candidate is compared, in constant time, so timing tells nothing.
        if given is not None and hmac.compare_digest(given, expected):
            matched = True
    if not matched:
        raise WebhookVerificationError(
            "No webhook signature matches the payload", "WEBHOOK_SIGNATURE_MISMATCH"
        )
    try:
        return wrap(json.loads(payload))
    except ValueError:
        raise WebhookVerificationError(
            "The webhook body is not JSON", "WEBHOOK_PAYLOAD_INVALID"
        ) from None
