"""The Java SDK (sdk/java): built with javac against Debian's Jackson, its JUnit 5 tests and
examples run against a live server, and its README shown from the example files.

Debian's `default-jdk-headless`, `libjackson2-databind-java` and `junit5` provide the JDK and
the jars. Without them the live test is skipped on a developer's machine and FAILS under
CI=true, so CI cannot pass without running it.

The server's clock is frozen at the moncreneau documents' own "now" (2026-01-21), so the dates
their snippets book (Sundays in February 2026) are ahead on every day this suite runs.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from slotbook.api.app import create_app
from slotbook.application.access import ALL_SCOPES
from slotbook.application.demo import load_demo
from slotbook.application.organizations import create_api_key, create_organization
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.infra.db.migrate import upgrade
from slotbook.infra.webhooks.signing import webhook_headers
from tests.sdk.servers import serve
from tests.support import TestClock

ROOT = Path(__file__).parents[2]
JAVA = ROOT / "sdk" / "java"
DEBIAN_JARS = [
    Path("/usr/share/java/jackson-databind.jar"),
    Path("/usr/share/java/junit-platform-console-standalone.jar"),
]
# The morning of the seeds' example responses; the times they book are ahead of it.
SEED_NOW = datetime(2026, 1, 21, 10, 5, tzinfo=UTC)  # between two slots
# The first snippet books the appointment its response shows, id 123; the next ones read
# and cancel id 123.
SEED_APPOINTMENT_ID = 123
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


def require_java(
    jars: Sequence[Path] = DEBIAN_JARS, environ: Mapping[str, str] = os.environ
) -> None:
    """Skip without a JDK and the Debian jars on a developer's machine; fail in CI."""
    missing = [tool for tool in ("java", "javac", "jar") if shutil.which(tool) is None]
    missing += [str(jar) for jar in jars if not jar.exists()]
    if not missing:
        return
    message = (
        f"the Java SDK tests need {', '.join(missing)} "
        "(apt-get install default-jdk-headless libjackson2-databind-java junit5)"
    )
    if environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class JavaServer:
    url: str
    api_key: str  # the demo organization's all-scopes key
    empty_key: str  # an organization with no credit left
    empty_department_id: int


async def _organizations(settings: Settings, clock: TestClock) -> tuple[str, str]:
    """The demo organization (ids 5, 8, 9, 42 of the documents) and one without credits."""
    container = build(settings, clock=clock)
    try:
        services = container.services
        demo = await load_demo(services, credits=500)
        empty = await create_organization(services, "No Credits Clinic", credits=0)
        issued = await create_api_key(services, empty.id, ALL_SCOPES, name="java-sdk-tests")
        return demo.api_key.key, issued.key
    finally:
        await container.aclose()


def _hours(days: tuple[str, ...], *spans: tuple[str, str]) -> list[dict[str, str]]:
    return [{"weekday": d, "start": a, "end": b} for d in days for a, b in spans]


def _prepare(url: str, demo_key: str, empty_key: str) -> int:
    """Makes the documents' snippets bookable as written, through the API: their dates are
    Sundays, so worker 42 also works on Sundays; and the bookings before theirs take ids up to
    122. Returns the department of the organization without credits."""
    with httpx.Client(base_url=url, timeout=30) as http:
        demo = {"X-API-Key": demo_key}
        office = (("08:30", "12:30"), ("13:30", "16:30"))
        ranges = _hours((*WEEKDAYS, "SUNDAY"), *office)
        hours = http.put("/api/v1/workers/42/hours", headers=demo, json={"ranges": ranges})
        hours.raise_for_status()
        listed = http.get("/api/v1/appointments", headers=demo, params={"size": 100}).json()
        taken = max((a["id"] for a in listed["appointments"]), default=0)
        padding = SEED_APPOINTMENT_ID - 1 - taken
        assert listed["isLast"], "the demo booked more than expected"
        assert padding > 0, "the demo booked more than expected"
        # A weekly series at the counters of department 8, Tuesdays and Thursdays at 08:00
        # (its closure is a Monday), from the first Tuesday after the frozen today.
        today = SEED_NOW.date()
        tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
        series = {
            "departmentId": 8,
            "dateTime": f"{tuesday.isoformat()}T08:00:00",
            "name": "Earlier booking",
            "externalUserId": "earlier_bookings",
            "rrule": f"FREQ=WEEKLY;BYDAY=TU,TH;COUNT={padding}",
        }
        http.post("/api/v1/appointments", headers=demo, json=series).raise_for_status()

        empty = {"X-API-Key": empty_key}
        made = http.post(
            "/api/v1/departments",
            headers=empty,
            json={"name": "Front desk", "timeZone": "UTC", "slotCapacity": 2},
        )
        made.raise_for_status()
        department: int = made.json()["id"]
        every_day = _hours((*WEEKDAYS, "SATURDAY", "SUNDAY"), ("09:00", "17:00"))
        http.put(
            f"/api/v1/departments/{department}/hours", headers=empty, json={"ranges": every_day}
        ).raise_for_status()
        return department


@pytest.fixture(scope="module")
async def java_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[JavaServer]:
    """`slotbook serve`'s app with the demo data on its own SQLite database, its clock frozen
    at the documents' "now", served by uvicorn on a free loopback port."""
    require_java()
    url = f"sqlite:///{tmp_path_factory.mktemp('java') / 'slotbook.db'}"
    upgrade(url)
    settings = Settings(database_url=url, anonymous_rate_limit=10**9)
    clock = TestClock()
    clock.freeze(SEED_NOW)
    demo_key, empty_key = await _organizations(settings, clock)
    with serve(create_app(container=build(settings, clock=clock))) as base:
        department = await asyncio.to_thread(_prepare, base, demo_key, empty_key)
        yield JavaServer(base, demo_key, empty_key, department)


def _server_signed_delivery() -> str:
    """A delivery signed by the server's own signer during a secret rotation (two
    signatures), for the Java verifier to accept with either secret."""
    rotation = [f"whsec_{base64.b64encode(secrets.token_bytes(32)).decode()}" for _ in range(2)]
    body = json.dumps(
        {
            "id": "evt_java",
            "type": "appointment.created",
            "timestamp": "2026-01-21T10:05:00.000001Z",
            "data": {"appointment": {"id": 123, "dateTime": "2026-02-15T10:00:00"}},
        }
    )
    timestamp = int(SEED_NOW.timestamp())
    headers = webhook_headers(rotation, "evt_java", timestamp, body.encode())
    return json.dumps(
        {"body": body, "headers": headers, "secrets": rotation, "timestamp": timestamp}
    )


async def test_java_sdk_against_a_live_server(java_server: JavaServer, tmp_path: Path) -> None:
    """build.sh compiles the SDK into a jar, then its tests and examples, and runs JUnit:
    the examples (the documents' snippets first, in their order), then every method."""
    env = {
        **os.environ,
        "SLOTBOOK_TEST_WEBHOOK": _server_signed_delivery(),
        "SLOTBOOK_BASE_URL": java_server.url,
        "SLOTBOOK_API_KEY": java_server.api_key,
        "SLOTBOOK_TEST_EMPTY_API_KEY": java_server.empty_key,
        "SLOTBOOK_TEST_EMPTY_DEPARTMENT": str(java_server.empty_department_id),
        "BUILD_DIR": str(tmp_path / "build"),
    }
    result = await asyncio.to_thread(
        subprocess.run,
        ["bash", str(JAVA / "build.sh"), "test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = result.stdout[-6000:] + result.stderr[-4000:]
    assert result.returncode == 0, report
    counted = re.findall(r"\[\s*(\d+) tests (\w+)\s*\]", result.stdout)
    counts = {what: int(n) for n, what in counted}
    assert counts["failed"] == counts["skipped"] == counts["aborted"] == 0, report
    assert counts["successful"] == counts["found"] >= 50, report
    assert (tmp_path / "build" / f"slotbook-client-{_version()}.jar").exists()

    # The README's own commands, as a reader runs them: only the jar and Jackson on the
    # classpath, a separate JVM.
    reader = tmp_path / "reader"
    reader.mkdir()
    shutil.copy(JAVA / "examples" / "QuickStart.java", reader)
    commands = _readme_run_commands().replace("sdk/java/build/", f"{tmp_path / 'build'}/")
    ran = await asyncio.to_thread(
        subprocess.run,
        ["bash", "-euo", "pipefail", "-c", commands],
        cwd=reader,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.startswith("5 Passport Service - Ministry of Interior\n"), ran.stdout


def _readme_run_commands() -> str:
    blocks = re.findall(r"^```bash\n(.*?)^```$", (JAVA / "README.md").read_text(), re.S | re.M)
    return next(block for block in blocks if 'javac -cp "$CP" QuickStart.java' in block)


def _version() -> str:
    source = (JAVA / "src/main/java/dev/slotbook/client/SlotbookClient.java").read_text()
    found = re.search(r'VERSION = "([^"]+)"', source)
    assert found
    return found.group(1)


def _java_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```java\n(.*?)^```$", markdown, flags=re.DOTALL | re.MULTILINE)


def _examples() -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted((JAVA / "examples").glob("*.java"))}


def test_the_readme_shows_the_example_files() -> None:
    """Every Java block of sdk/java/README.md is an example file, word for word, and every
    example file is shown: what the README shows is what the live test runs."""
    examples = _examples()
    blocks = _java_blocks((JAVA / "README.md").read_text())
    assert blocks
    unknown = [block[:80] for block in blocks if block not in examples.values()]
    assert not unknown, f"README blocks that are no example file: {unknown}"
    unshown = [name for name, text in examples.items() if text not in blocks]
    assert not unshown, f"example files the README does not show: {unshown}"


def test_docs_sdk_java_section_shows_example_files() -> None:
    """docs/sdk.md's Java section quotes example files only, so it cannot drift either."""
    text = (ROOT / "docs" / "sdk.md").read_text()
    heading = "\n## Java SDK\n"
    assert heading in text
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    blocks = _java_blocks(section)
    assert blocks
    examples = set(_examples().values())
    assert all(block in examples for block in blocks)


def test_examples_do_not_hard_code_a_key_or_server() -> None:
    """The examples take the key from $SLOTBOOK_API_KEY and the server from
    $SLOTBOOK_BASE_URL (read by the client), as a reader's own code should."""
    for name, text in _examples().items():
        assert "sb_live_" not in text, name
        assert "http://" not in text, name
        assert re.search(r"\bclass \w+", text), name


def test_a_missing_jdk_or_jar_fails_in_ci() -> None:
    with pytest.raises(pytest.fail.Exception, match="apt-get install default-jdk-headless"):
        require_java([Path("/nonexistent/junit.jar")], {"CI": "true"})


def test_a_missing_jdk_or_jar_is_skipped_elsewhere() -> None:
    with pytest.raises(pytest.skip.Exception):
        require_java([Path("/nonexistent/junit.jar")], {})
