"""Live Slotbook servers for the SDKs written in other languages (Node.js, PHP).

Their test suites and examples run in their own processes, against a real server on a loopback
port, given by SLOTBOOK_BASE_URL and SLOTBOOK_API_KEY. Two worlds are served:

- the demo world: `slotbook demo`'s data on the real clock, for the SDKs' own tests and READMEs;
- the moncreneau world: the organization, departments, worker and appointment ids of the
  moncreneau documents, on a clock stopped at their date (2026-01-21), so the documents'
  snippets run as written: booking 2026-02-15T10:00 creates appointment 123.

Both answer the requests in `/_test/` themselves, so a test in another process can queue
failures (to see the client retry) and read which requests arrived.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import os
import shutil
import socket
import subprocess
import time as _time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import orjson
import pytest
from starlette.types import Receive, Scope, Send

from slotbook.api.app import create_app
from slotbook.application import scheduling
from slotbook.application.access import ALL_SCOPES, Principal
from slotbook.application.booking import BookingRequest, create_appointment
from slotbook.application.credits import add_credits
from slotbook.application.demo import load_demo
from slotbook.application.organizations import (
    create_api_key,
    create_department,
    create_organization,
    create_worker,
)
from slotbook.application.ports import Services
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.domain.schedules import DailyRange
from slotbook.infra.db.migrate import upgrade
from slotbook.sdk import webhooks
from tests.sdk.servers import Failure, FlakyApp, serve
from tests.support import TestClock

ROOT = Path(__file__).parents[2]
# The moncreneau documents' "now": their responses are dated 2026-01-21.
MONCRENEAU_NOW = datetime(2026, 1, 21, 10, 0, tzinfo=UTC)
# Appointment 123 is the next one booked in the moncreneau world.
MONCRENEAU_NEXT_ID = 123
READ_ONLY_SCOPES = frozenset({"appointments:read", "departments:read"})

T = TypeVar("T")


class ControlledApp(FlakyApp):
    """A FlakyApp steered over HTTP: `POST /_test/fail-next` with `{"status", "code",
    "retryAfter", "times"}` queues failures, `GET /_test/seen` lists the requests received
    since `POST /_test/reset` (method, path, idempotencyKey)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/_test/"):
            await super().__call__(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        answer: Any = {"ok": True}
        action = scope["path"].removeprefix("/_test/")
        if action == "fail-next":
            order = orjson.loads(body or b"{}")
            headers = (("Retry-After", str(order["retryAfter"])),) if "retryAfter" in order else ()
            failure = Failure(int(order["status"]), str(order.get("code", "FAILING")), headers)
            self.fail_next(*[failure] * int(order.get("times", 1)))
        elif action == "reset":
            self.failures.clear()
            self.seen.clear()
        elif action == "seen":
            answer = [
                {"method": s.method, "path": s.path, "idempotencyKey": s.idempotency_key}
                for s in self.seen
            ]
        else:
            answer = {"code": "NOT_FOUND", "message": f"no test action {action}"}
        content = orjson.dumps(answer)
        length = b"%d" % len(content)
        headers = [(b"content-type", b"application/json"), (b"content-length", length)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": content})


@dataclass
class World:
    url: str
    key: str
    settings: Settings
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        """The environment of an SDK process: the server, the key, and no proxy."""
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        return {
            **env,
            "SLOTBOOK_BASE_URL": self.url,
            "SLOTBOOK_API_KEY": self.key,
            **self.extra_env,
        }

    def drain_credits(self) -> None:
        """Take every credit of organization 1, so the next booking is refused with 402."""

        async def drain(services: Services) -> None:
            async with services.uow(1, write=False) as uow:
                balance = await uow.credits.balance()
            await add_credits(services, 1, -balance)

        _run_with_services(self.settings, TestClock(), drain)


def _run_with_services(
    settings: Settings, clock: TestClock, work: Callable[[Services], Awaitable[T]]
) -> T:
    """Run `work` on a container of its own, in a thread with its own event loop (the test's
    loop, if one runs, is never blocked on, and the server's container is not shared)."""

    async def main() -> T:
        container = build(settings, clock=clock)
        try:
            return await work(container.services)
        finally:
            await container.aclose()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result(timeout=300)


def _settings(tmp: Path) -> Settings:
    url = f"sqlite:///{tmp / 'slotbook.db'}"
    upgrade(url)
    return Settings(database_url=url, anonymous_rate_limit=10**9, webhook_allow_private=True)


@contextmanager
def _serving(settings: Settings, clock: TestClock) -> Iterator[str]:
    app = ControlledApp(create_app(container=build(settings, clock=clock)))
    with serve(app) as url:
        yield url


@contextmanager
def demo_world(tmp: Path) -> Iterator[World]:
    """`slotbook demo` on the real clock, its all-scopes key, and a read-only key."""
    settings = _settings(tmp)
    clock = TestClock()

    async def load(services: Services) -> tuple[str, str]:
        demo = await load_demo(services)
        read_only = await create_api_key(services, 1, READ_ONLY_SCOPES, name="read-only")
        return demo.api_key.key, read_only.key

    key, read_only = _run_with_services(settings, clock, load)
    with _serving(settings, clock) as url:
        yield World(url, key, settings, {"SLOTBOOK_READ_ONLY_KEY": read_only})


def _every_day(start: str, end: str) -> list[DailyRange]:
    first = time.fromisoformat(start)
    last = time.fromisoformat(end)
    return [
        DailyRange(day, first.hour * 60 + first.minute, last.hour * 60 + last.minute)
        for day in range(7)
    ]


async def _moncreneau(services: Services) -> str:
    """Organization 1 with departments 5 and 8 and worker 42, all open every day 08:00-18:00
    (the documents book on Sundays: hours are set, never left to a default), and appointments
    1 to 122 in department 8."""
    await create_organization(
        services,
        "Ministry of Interior",
        credits=1000,
        time_zone="Africa/Conakry",
        organization_id=1,
    )
    await create_department(services, 1, "Passport Service", "Passport issuance", False, 5)
    await create_department(services, 1, "ID Card Service", "National ID card issuance", False, 8)
    await create_worker(services, 1, "Mariama Bah", [5], 42)
    issued = await create_api_key(services, 1, ALL_SCOPES, name="moncreneau documents")
    admin = Principal(1, issued.stored.id, issued.stored.scopes, 10**6)
    await scheduling.update_department(
        services, admin, 8, {"slot_interval_minutes": 20, "slot_capacity": 10}
    )
    await scheduling.set_hours(
        services, admin, _every_day("08:00", "18:00"), worker_id=42, department_id=None
    )
    for department_id in (5, 8):
        await scheduling.set_hours(
            services,
            admin,
            _every_day("08:00", "18:00"),
            worker_id=None,
            department_id=department_id,
        )
    first_day = date(2026, 3, 2)
    for number in range(1, MONCRENEAU_NEXT_ID):
        day = first_day + timedelta(days=(number - 1) // 10)
        at = datetime.combine(day, time(8)) + timedelta(minutes=20 * ((number - 1) % 10))
        booked = await create_appointment(
            services, admin, BookingRequest(8, at, f"Earlier booking {number}")
        )
        assert booked.id == number, f"appointment ids are not sequential: {booked.id}"
    return issued.key


@contextmanager
def moncreneau_world(tmp: Path) -> Iterator[World]:
    settings = _settings(tmp)
    clock = TestClock()
    clock.freeze(MONCRENEAU_NOW)
    key = _run_with_services(settings, clock, _moncreneau)
    with _serving(settings, clock) as url:
        yield World(url, key, settings)


def require_tool(name: str, install: str) -> str:
    """The path of a program the test needs: skipped without it on a developer's machine, a
    failure under CI=true, where it must be installed."""
    found = shutil.which(name)
    if found:
        return found
    message = f"this test needs `{name}` ({install})"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class Ran:
    args: list[str]
    returncode: int
    output: str

    def __str__(self) -> str:
        return f"$ {' '.join(self.args)}  (exit {self.returncode})\n{self.output}"


def run(args: list[str], world: World, cwd: Path, timeout: float = 300) -> Ran:
    """Run an SDK process against `world`; its output is printed (shown with pytest -s or on
    failure)."""
    done = subprocess.run(
        args,
        cwd=cwd,
        env=world.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    ran = Ran(args, done.returncode, done.stdout)
    print(ran)
    return ran


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"the receiver's test secret").decode()


def check_webhook_receiver(args: list[str], cwd: Path, port: int) -> str:
    """Start a webhook receiver example on `port`, send it a delivery signed by the Python
    SDK and a tampered one: the first is accepted (2xx), the second refused (400). Returns
    what the receiver printed."""
    env = {**os.environ, "PORT": str(port), "SLOTBOOK_WEBHOOK_SECRET": WEBHOOK_SECRET}
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}/webhooks/slotbook"
    try:
        deadline = _time.monotonic() + 30
        while _time.monotonic() < deadline and process.poll() is None:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            _time.sleep(0.1)
        body = orjson.dumps(
            {
                "id": "evt_1",
                "type": "appointment.created",
                "timestamp": "2027-02-01T09:30:00Z",
                "data": {"appointment": {"id": 123, "status": "SCHEDULED"}},
            }
        )
        now = int(_time.time())
        headers = {
            "webhook-id": "msg_1",
            "webhook-timestamp": str(now),
            "webhook-signature": webhooks.sign(body, WEBHOOK_SECRET, "msg_1", now),
            "content-type": "application/json",
        }
        accepted = httpx.post(url, content=body, headers=headers, timeout=30)
        assert accepted.is_success, (accepted.status_code, accepted.text)
        changed = body.replace(b"123", b"124")
        tampered = httpx.post(url, content=changed, headers=headers, timeout=30)
        assert tampered.status_code == 400, (tampered.status_code, tampered.text)
        assert tampered.text == "WEBHOOK_SIGNATURE_MISMATCH"
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    print(output)
    return output
