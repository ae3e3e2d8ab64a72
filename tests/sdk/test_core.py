"""The SDK's sans-I/O core, records and error mapping, without a server."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from slotbook_client import BookingRuleError, NotFoundError, Record, RetryPolicy, ServerError
from slotbook_client._core import Call, Config, build_request, decode, exchange
from slotbook_client.errors import error_from_response


def _response(
    status: int, body: object = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    content = json.dumps(body).encode() if body is not None else b""
    return httpx.Response(status, content=content, headers=headers)


def test_the_sdk_imports_without_the_server() -> None:
    code = (
        "import sys, slotbook_client, slotbook_client.webhooks, slotbook_client.exceptions\n"
        "server = ('slotbook.', 'fastapi', 'starlette', 'pydantic', 'sqlalchemy')\n"
        "print(sorted(m for m in sys.modules if m.startswith(server) or m == 'slotbook'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_retry_resends_the_same_request_after_the_retry_after_delay() -> None:
    config = Config("sk", retry=RetryPolicy(max_retries=3))
    steps = exchange(config, Call("POST", "api/v1/appointments", body={"name": "A"}))
    first = next(steps)
    assert isinstance(first, httpx.Request)
    assert steps.send(_response(429, {"code": "RATE_LIMITED"}, {"Retry-After": "7"})) == 7.0
    again = steps.send(None)
    assert again is first
    assert first.headers["Idempotency-Key"]
    assert str(first.url) == "http://127.0.0.1:8000/api/v1/appointments"
    with pytest.raises(StopIteration) as done:
        steps.send(_response(201, {"id": 1}))
    assert done.value.value == {"id": 1}


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 1, 21, 10, 0, tzinfo=UTC)
    headers = {
        "Retry-After": format_datetime(now + timedelta(seconds=30), usegmt=True),
        "Date": format_datetime(now, usegmt=True),
    }
    assert RetryPolicy().delay(0, _response(503, headers=headers)) == 30.0


def test_backoff_grows_and_is_bounded() -> None:
    policy = RetryPolicy(max_retries=10, backoff=1.0, max_backoff=8.0)
    for attempt, ceiling in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 8.0), (6, 8.0)]:
        delay = policy.delay(attempt, _response(503))
        assert delay is not None
        assert ceiling / 2 <= delay <= ceiling


@pytest.mark.parametrize(
    ("outcome", "retried"),
    [
        (_response(400), False),
        (_response(409, {"code": "INVALID_TRANSITION"}), False),
        (_response(409, {"code": "IDEMPOTENCY_IN_PROGRESS"}), True),
        (_response(500), False),
        (_response(502), True),
        (_response(504), True),
        (_response(429, headers={"Retry-After": "3600"}), False),
        (httpx.ConnectError("refused"), True),
        (httpx.ReadTimeout("slow"), True),
        (httpx.UnsupportedProtocol("ftp"), False),
    ],
)
def test_what_is_retried(outcome: httpx.Response | Exception, retried: bool) -> None:
    assert (RetryPolicy().delay(0, outcome) is not None) is retried
    assert RetryPolicy(max_retries=0).delay(0, outcome) is None


def test_a_record_is_a_dict_with_snake_case_attributes() -> None:
    record = Record({"qrCode": "QR", "organization": {"id": 1}, "items": [{"totalElements": 2}]})
    assert record.qr_code == record["qrCode"] == "QR"
    assert record.organization.id == 1
    assert record["items"][0].total_elements == 2
    assert json.loads(json.dumps(record)) == {
        "qrCode": "QR",
        "organization": {"id": 1},
        "items": [{"totalElements": 2}],
    }
    with pytest.raises(AttributeError, match="qrCode"):
        _ = record.qr_cod


def test_booking_rules_map_by_numeric_code_or_by_code() -> None:
    by_number = error_from_response(
        _response(400, {"code": "SOME_NEW_RULE", "message": "m", "numericCode": 42})
    )
    assert isinstance(by_number, BookingRuleError)
    assert (by_number.rule, by_number.numeric_code) == ("SOME_NEW_RULE", 42)
    by_code = error_from_response(_response(409, {"code": "SLOT_UNAVAILABLE", "message": "m"}))
    assert isinstance(by_code, BookingRuleError)
    assert by_code.status == 409
    too_soon = error_from_response(_response(400, {"code": "TOO_SOON", "message": "m"}))
    assert isinstance(too_soon, BookingRuleError)
    assert too_soon.numeric_code == 9


def test_a_legacy_code_alone_marks_a_rule_refusal() -> None:
    marked = error_from_response(
        _response(409, {"code": "A_FUTURE_RULE", "message": "m", "legacyCode": "Future"})
    )
    assert isinstance(marked, BookingRuleError)
    assert (marked.numeric_code, marked.legacy_code) == (None, "Future")
    # A boolean is not a rule number, and a 5xx is never a rule refusal.
    plain = error_from_response(_response(409, {"code": "X", "message": "m", "numericCode": True}))
    assert not isinstance(plain, BookingRuleError)
    server = error_from_response(_response(503, {"code": "TOO_SOON", "message": "m"}))
    assert isinstance(server, ServerError)


def test_patch_bodies_keep_their_nulls_and_other_bodies_omit_them() -> None:
    config = Config("sk")
    body = {"name": "A", "description": None}
    omitted = build_request(config, Call("POST", "x", body=body))
    assert json.loads(omitted.content) == {"name": "A"}
    kept = build_request(config, Call("PATCH", "x", body=body, keep_nulls=True))
    assert json.loads(kept.content) == {"name": "A", "description": None}


def test_a_response_without_a_body_is_an_empty_record() -> None:
    empty = decode(_response(204))
    assert isinstance(empty, Record)
    assert empty == {}


def test_seed_001_error_shape_and_non_json_bodies() -> None:
    nested = error_from_response(
        _response(404, {"error": {"code": "NOT_FOUND", "message": "Resource not found"}})
    )
    assert isinstance(nested, NotFoundError)
    assert str(nested) == "Resource not found"
    proxy = error_from_response(httpx.Response(502, content=b"<html>Bad gateway</html>"))
    assert isinstance(proxy, ServerError)
    assert proxy.code == "HTTP_502"
