"""`slotbook apply`: an organization described in YAML, applied idempotently, then booked."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from slotbook.api.app import create_app
from slotbook.bootstrap import build
from slotbook.config import get_settings
from tests.integration.cli_support import Cli

CLINIC = Path(__file__).resolve().parents[2] / "examples" / "clinic.yaml"


def next_weekday(weekday: int) -> date:
    start = datetime.now(UTC).date() + timedelta(weeks=2)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def test_the_example_clinic_is_applied_once_and_then_left(cli: Cli) -> None:
    first = cli.ok("apply", str(CLINIC))
    org = first[-1]
    assert first[0] == f"created organization {org} 'Riverside Clinic'"
    assert [line.split()[:2] for line in first[1:-2]] == [
        ["created", "department"],
        ["created", "department"],
        ["created", "department"],
        ["created", "staff"],
        ["created", "staff"],
        ["created", "appointment"],
        ["created", "appointment"],
        ["created", "appointment"],
    ]
    assert first[-2] == "9 created, 0 updated, 0 left as they were"

    again = cli.ok("apply", str(CLINIC))
    assert again[-2] == "0 created, 0 updated, 9 left as they were"
    assert again[-1] == org
    assert all(line.startswith("left ") for line in again[:-2])

    departments = cli.ok("department", "list", "--organization", org)
    assert (
        "  opening hours: "
        + "; ".join(
            [f"{d} 08:30-12:30 13:30-18:00" for d in ("MONDAY", "TUESDAY", "WEDNESDAY")]
            + [f"{d} 08:30-12:30 13:30-18:00" for d in ("THURSDAY", "FRIDAY")]
            + ["SATURDAY 09:00-12:00"]
        )
        in departments
    )
    assert "  always open: takes any future time (hours do not apply)" in departments
    assert any("time zone Europe/London" in line for line in departments)


def test_a_changed_file_updates_only_what_changed(cli: Cli, tmp_path: Path) -> None:
    org = cli.last("apply", str(CLINIC))
    changed = tmp_path / "clinic.yaml"
    text = CLINIC.read_text(encoding="utf-8")
    text = text.replace("    capacity: 3 ", "    capacity: 4 ")
    text = text.replace('      sat: "09:00-12:00"\n', "")
    text = text.replace(
        "  - name: Dr Paul Martin\n    departments: [General practice]\n",
        "  - name: Dr Paul Martin\n    departments: [General practice, Vaccination desk]\n"
        "  - name: Nurse Ines Costa\n    departments: [Vaccination desk]\n",
    )
    changed.write_text(text, encoding="utf-8")

    applied = cli.ok("apply", str(changed), "--organization", org)
    updates = [line for line in applied if not line.startswith("left ")]
    assert updates[0].startswith("updated department ")
    assert updates[0].endswith("'General practice': hours")
    assert updates[1].endswith("'Vaccination desk': capacity")
    assert updates[2].endswith("'Dr Paul Martin': departments")
    assert updates[3].startswith("created staff member ")
    assert updates[-2] == "1 created, 3 updated, 6 left as they were"
    assert cli.ok("apply", str(changed))[-2] == "0 created, 0 updated, 10 left as they were"


def test_mistakes_in_the_file_say_where_they_are(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    cases = {
        "organization: {name: X}\ndepartments:\n  - name: D\n    slot_interval: 2\n": (
            "departments[0].slot_interval: Input should be greater than or equal to 5"
        ),
        "organization: {name: X}\ndepartments:\n  - name: D\n    hours: {someday: 09:00-10:00}\n": (
            "departments[0].hours: Unknown weekday 'someday'"
        ),
        "organization: {name: X}\nstaff:\n  - name: W\n    departments: [Nowhere]\n": (
            "staff 'W': no department 'Nowhere' in the file"
        ),
        "organization: {name: X, timezone: Mars/Base}\n": "organization.timezone: ",
        "organization: {name: X}\ndepartment: []\n": "department: Extra inputs are not permitted",
        "organization: {name: X\n": "not valid YAML",
        "- just a list\n": "the file describes one organization",
    }
    for text, message in cases.items():
        bad.write_text(text, encoding="utf-8")
        result = cli("apply", str(bad))
        assert result.exit_code == 1, (text, result.output)
        assert message in result.stderr, (text, result.stderr)
    assert "ORGANIZATION" not in cli("apply", str(tmp_path / "missing.yaml")).stderr
    assert cli("apply", str(tmp_path / "missing.yaml")).exit_code == 1


def test_the_applied_clinic_takes_bookings_in_its_hours(cli: Cli) -> None:
    org = cli.last("apply", str(CLINIC))
    key = cli.last("apikey", "create", "--organization", org, "--scopes", "admin")
    asyncio.run(_book_in_the_clinic(key))


async def _book_in_the_clinic(key: str) -> None:
    container = build(get_settings())
    transport = httpx.ASGITransport(app=create_app(container=container))
    headers = {"X-API-Key": key}
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as api:
            departments = {
                d["name"]: d["id"]
                for d in (await api.get("/api/v1/departments", headers=headers)).json()
            }
            types = {
                t["name"]: t["id"]
                for t in (await api.get("/api/v1/appointment-types", headers=headers)).json()
            }
            body = {
                "departmentId": departments["Vaccination desk"],
                "appointmentTypeId": types["Flu shot"],
                "name": "Jean Dupont",
            }
            monday, tuesday = next_weekday(0), next_weekday(1)
            booked = await api.post(
                "/api/v1/appointments",
                headers=headers,
                json={**body, "dateTime": f"{monday}T09:15:00"},
            )
            assert booked.status_code == 201, booked.text
            closed = await api.post(
                "/api/v1/appointments",
                headers=headers,
                json={**body, "dateTime": f"{tuesday}T09:15:00"},
            )
            assert closed.status_code == 409, closed.text
            anytime = await api.post(
                "/api/v1/appointments",
                headers=headers,
                json={
                    "departmentId": departments["Phone line"],
                    "dateTime": f"{next_weekday(6)}T03:00:00",
                    "name": "Night owl",
                },
            )
            assert anytime.status_code == 201, anytime.text
    finally:
        await container.aclose()
