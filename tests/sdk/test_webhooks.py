"""slotbook_client.webhooks.verify against vectors computed here and the reference library."""

from __future__ import annotations

import base64
import hmac
import json
import os
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook

from slotbook_client.webhooks import WebhookVerificationError, sign, verify

KEY = os.urandom(32)
SECRET = "whsec_" + base64.b64encode(KEY).decode()
BODY = json.dumps({"type": "appointment.created", "data": {"id": 123}}).encode()
NOW = 1_800_000_000


def _signature(key: bytes, webhook_id: str, timestamp: str, body: bytes) -> str:
    """The signature computed from the specification, independently of the SDK."""
    mac = hmac.new(key, webhook_id.encode() + b"." + timestamp.encode() + b"." + body, "sha256")
    return "v1," + base64.b64encode(mac.digest()).decode()


def _headers(signature: str, timestamp: int = NOW, webhook_id: str = "msg_1") -> dict[str, str]:
    return {
        "Webhook-Id": webhook_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature,
    }


def test_accepts_a_signature_computed_from_the_specification() -> None:
    headers = _headers(_signature(KEY, "msg_1", str(NOW), BODY))
    event = verify(BODY, headers, SECRET, now=NOW)
    assert event.type == "appointment.created"
    assert event.data.id == 123


def test_the_specifications_published_vector() -> None:
    headers = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    assert verify(b'{"test": 2432232314}', headers, secret, now=1614265330) == {"test": 2432232314}


def test_any_signature_of_a_rotation_list_may_match() -> None:
    old = _signature(os.urandom(32), "msg_1", str(NOW), BODY)
    new = _signature(KEY, "msg_1", str(NOW), BODY)
    assert verify(BODY, _headers(f"v1a,abc {old} {new}"), SECRET, now=NOW)


@pytest.mark.parametrize(
    ("body", "headers", "code"),
    [
        (BODY + b" ", None, "WEBHOOK_SIGNATURE_MISMATCH"),
        (BODY, {"webhook-id": "msg_2"}, "WEBHOOK_SIGNATURE_MISMATCH"),
        (BODY, {"webhook-timestamp": str(NOW + 1)}, "WEBHOOK_SIGNATURE_MISMATCH"),
        (BODY, {"webhook-signature": "v1,not base64!"}, "WEBHOOK_SIGNATURE_MISMATCH"),
        (BODY, {"webhook-signature": ""}, "WEBHOOK_HEADERS_MISSING"),
        (BODY, {"webhook-timestamp": "1.8e9"}, "WEBHOOK_TIMESTAMP_INVALID"),
    ],
)
def test_refuses_tampered_deliveries(
    body: bytes, headers: dict[str, str] | None, code: str
) -> None:
    signed = {k.lower(): v for k, v in _headers(_signature(KEY, "msg_1", str(NOW), BODY)).items()}
    with pytest.raises(WebhookVerificationError) as caught:
        verify(body, {**signed, **(headers or {})}, SECRET, now=NOW)
    assert caught.value.code == code


def test_timestamp_tolerance_both_ways() -> None:
    headers = _headers(_signature(KEY, "msg_1", str(NOW), BODY))
    assert verify(BODY, headers, SECRET, tolerance=300, now=NOW + 300)
    for now in (NOW + 301, NOW - 301):
        with pytest.raises(WebhookVerificationError) as caught:
            verify(BODY, headers, SECRET, tolerance=300, now=now)
        assert caught.value.code == "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE"


def test_an_unusable_secret_is_refused() -> None:
    headers = _headers(_signature(KEY, "msg_1", str(NOW), BODY))
    with pytest.raises(WebhookVerificationError) as caught:
        verify(BODY, headers, "whsec_***", now=NOW)
    assert caught.value.code == "WEBHOOK_SECRET_INVALID"


def test_agrees_with_the_standardwebhooks_reference_library() -> None:
    reference = Webhook(SECRET)
    signed_at = datetime.now(UTC).replace(microsecond=0)
    timestamp = int(signed_at.timestamp())
    theirs = reference.sign("msg_ref", signed_at, BODY.decode())
    ours = sign(BODY, SECRET, "msg_ref", timestamp)
    assert ours == theirs == _signature(KEY, "msg_ref", str(timestamp), BODY)
    # Each side verifies what the other signed.
    assert verify(BODY, _headers(theirs, timestamp, "msg_ref"), SECRET)["data"]["id"] == 123
    assert reference.verify(BODY, _headers(ours, timestamp, "msg_ref"))["data"]["id"] == 123
