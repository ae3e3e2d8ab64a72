"""Smaller things a new user tripped on (issue 22): one check-in rule, fromWeb, record times
in UTC, a corrected name, real OpenAPI examples, no internal names in user-facing text."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.test_errors import assert_envelope
from tests.support import Tenant, TestClock, book, future

URL = "/api/v1/appointments"
NOW = datetime(2027, 6, 15, 8, 0, tzinfo=UTC)  # 10:00 in Paris
ROOT = Path(__file__).parents[2]
UTC_TEXT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.mark.parametrize("days", [1, -1, 400])
async def test_check_in_by_id_follows_the_qr_rule(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock, days: int
) -> None:
    clock.freeze(NOW - timedelta(days=max(days, 0) + 1))
    booked = await book(client, tenant, NOW + timedelta(hours=1))
    clock.freeze(NOW + timedelta(days=days))
    by_id = await client.post(f"{URL}/{booked['id']}/check-in", headers=tenant.headers)
    body = assert_envelope(by_id, 409, "CHECK_IN_NOT_TODAY")
    assert "only possible on the day of the appointment" in body["message"]
    assert "2027-06-15" in body["message"]
    by_qr = await client.post(
        "/api/v1/check-in", headers=tenant.headers, json={"qrCode": booked["qrCode"]}
    )
    assert_envelope(by_qr, 409, "CHECK_IN_NOT_TODAY")
    # On its day, in the department's zone (00:30 in Paris is still the 15th there).
    clock.freeze(datetime(2027, 6, 14, 22, 30, tzinfo=UTC))
    arrived = await client.post(f"{URL}/{booked['id']}/check-in", headers=tenant.headers)
    assert arrived.status_code == 200, arrived.text
    assert arrived.json()["status"] == "CHECKED_IN"
    clock.freeze(NOW + timedelta(days=3))  # checking in again changes nothing, on any day
    again = await client.post(f"{URL}/{booked['id']}/check-in", headers=tenant.headers)
    assert again.status_code == 200, again.text


async def test_api_bookings_are_not_from_the_web(client: httpx.AsyncClient, tenant: Tenant) -> None:
    booked = await book(client, tenant, future())
    assert booked["fromWeb"] is False
    said = await book(client, tenant, future(31), fromWeb=True)
    assert said["fromWeb"] is True


async def test_record_times_are_utc_and_appointment_times_local(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    booked = await book(client, tenant, future(hour=14, minute=30))
    assert booked["dateTime"] == future(hour=14, minute=30)  # wall-clock time, as sent
    assert UTC_TEXT.match(booked["createdAt"]), booked["createdAt"]
    assert UTC_TEXT.match(booked["updatedAt"]), booked["updatedAt"]
    created = datetime.fromisoformat(booked["createdAt"])
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=5)
    cancelled = await client.delete(f"{URL}/{booked['id']}", headers=tenant.headers)
    assert UTC_TEXT.match(cancelled.json()["cancelledAt"]), cancelled.text


async def test_patch_corrects_a_misspelled_name(client: httpx.AsyncClient, tenant: Tenant) -> None:
    booked = await book(client, tenant, future(), name="Jean Dupnot")
    fixed = await client.patch(
        f"{URL}/{booked['id']}", headers=tenant.headers, json={"name": "  Jean Dupont "}
    )
    assert fixed.status_code == 200, fixed.text
    assert (fixed.json()["name"], fixed.json()["version"]) == ("Jean Dupont", booked["version"] + 1)
    assert fixed.json()["dateTime"] == booked["dateTime"]
    history = await client.get(f"{URL}/{booked['id']}/history", headers=tenant.headers)
    assert "name" in json.dumps(history.json()["history"][-1])
    for bad in (None, "", "x" * 201):
        refused = await client.patch(
            f"{URL}/{booked['id']}", headers=tenant.headers, json={"name": bad}
        )
        body = assert_envelope(refused, 400, "INVALID_REQUEST")
        assert "name" in body["message"]
    kept = await client.get(f"{URL}/{booked['id']}", headers=tenant.headers)
    assert kept.json()["name"] == "Jean Dupont"


def _request_examples() -> list[tuple[str, Any]]:
    document = json.loads((ROOT / "docs" / "openapi.json").read_text())
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                found.append((f"{method.upper()} {path}", body["example"]))
    return found


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


@pytest.mark.parametrize(("operation", "example"), _request_examples())
def test_request_examples_are_real(operation: str, example: Any) -> None:
    for leaf in _leaves(example):
        assert leaf != "text", f"{operation}: placeholder text in {example}"
        assert not isinstance(leaf, float), f"{operation}: {leaf} in {example}"


def test_no_seed_in_the_openapi_document() -> None:
    text = (ROOT / "docs" / "openapi.json").read_text()
    assert not re.search(r"\bseeds?\b", text, re.IGNORECASE)


# Every document in docs/ is read by users (architecture.md too, by those who change the code).
USER_DOCS = ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("docs/*.md"))]


@pytest.mark.parametrize("name", USER_DOCS)
def test_no_seed_in_the_user_documents(name: str) -> None:
    text = (ROOT / name).read_text()
    found = re.findall(r".{0,40}\bseeds?\b.{0,40}", text, re.IGNORECASE)
    assert not found, f"{name} names the seeds; name the API instead: {found}"


def test_no_seed_in_dashboard_texts_and_error_messages() -> None:
    web = ROOT / "src" / "slotbook" / "web"
    texts = [*web.glob("templates/**/*.html"), web / "messages_en.py", web / "messages_fr.py"]
    for path in texts:
        assert not re.search(r"\bseeds?\b", path.read_text(), re.IGNORECASE), path
    # Error messages: every string argument of a raised error in src/.
    raised = re.compile(r"raise \w+\((?:[^()]|\([^()]*\))*\)", re.DOTALL)
    for path in (ROOT / "src" / "slotbook").rglob("*.py"):
        for call in raised.findall(path.read_text()):
            assert not re.search(r"\bseeds?\b", call, re.IGNORECASE), f"{path}: {call}"
