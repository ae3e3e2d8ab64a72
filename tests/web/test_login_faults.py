"""Issue 21, F7: logins throttled by e-mail and by address with growing waits, alike for
unknown and known e-mails; cookies `Secure` by configuration; a webhook's secret never kept
for an Idempotency-Key replay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from slotbook.api.app import create_app
from slotbook.bootstrap import Container, build
from slotbook.config import Settings
from slotbook.domain.users import Role
from slotbook.infra.db.integration_tables import idempotency_key
from tests.support import Login, Tenant, TestClock, make_user
from tests.web.dashboard import LOGIN, hidden, log_in


@asynccontextmanager
async def dashboard(
    settings: Settings, clock: TestClock | None = None, address: str = "198.51.100.1"
) -> AsyncIterator[tuple[httpx.AsyncClient, Container]]:
    container = build(settings, clock=clock)
    transport = httpx.ASGITransport(app=create_app(container=container), client=(address, 5000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http, container
    finally:
        await container.aclose()


async def attempts(http: httpx.AsyncClient, login: Login, count: int) -> list[int]:
    return [(await log_in(http, login, "wrong password")).status_code for _ in range(count)]


async def test_unknown_and_known_emails_get_the_same_answers_and_the_same_work(
    test_settings: Settings, tenant: Tenant
) -> None:
    clock = TestClock()
    clock.freeze(datetime.now(UTC))
    async with dashboard(test_settings, clock) as (http, container):
        known = await make_user(container.services, tenant.organization_id, Role.OWNER)
        unknown = Login(f"nobody-{tenant.organization_id}@example.org", "whatever-password")
        checks = 0
        verify = container.services.passwords.verify

        def counting(password_hash: str, password: str) -> bool:
            nonlocal checks
            checks += 1
            return verify(password_hash, password)

        container.services.passwords.verify = counting  # type: ignore[method-assign]
        answers: dict[str, list[int]] = {}
        work: dict[str, int] = {}
        for name, login in (("known", known), ("unknown", unknown)):
            checks = 0
            answers[name] = await attempts(http, login, 7)
            work[name] = checks
    assert answers["known"] == answers["unknown"] == [401] * 5 + [429, 429]
    # One password check per attempt that was let through, whether the account exists or not.
    assert work["known"] == work["unknown"] == 5


async def test_the_owner_is_never_kept_out_longer_than_the_cap(
    test_settings: Settings, tenant: Tenant
) -> None:
    clock = TestClock()
    clock.freeze(datetime.now(UTC))
    async with dashboard(test_settings, clock) as (http, container):
        owner = await make_user(container.services, tenant.organization_id, Role.OWNER)
        # A guesser keeps going, each time as soon as allowed.
        for _ in range(30):
            assert (await log_in(http, owner, "guess")).status_code == 401
            clock.advance(timedelta(seconds=60))
        assert (await log_in(http, owner, "guess")).status_code == 401
        clock.advance(timedelta(seconds=59))
        assert (await log_in(http, owner)).status_code == 429
        clock.advance(timedelta(seconds=1))
        assert (await log_in(http, owner)).status_code == 303


async def test_one_address_failing_on_many_emails_is_slowed_down(
    test_settings: Settings, tenant: Tenant
) -> None:
    settings = test_settings.model_copy(update={"login_address_free_failures": 3})
    clock = TestClock()
    clock.freeze(datetime.now(UTC))
    strangers = [Login(f"s{n}-{tenant.organization_id}@example.org", "x" * 10) for n in range(4)]
    async with dashboard(settings, clock, address="203.0.113.50") as (http, container):
        statuses = [(await log_in(http, login)).status_code for login in strangers]
        assert statuses == [401, 401, 401, 429]
        owner = await make_user(container.services, tenant.organization_id, Role.OWNER)
    # The same counters, another address: the owner logs in at once.
    async with dashboard(settings, clock, address="203.0.113.51") as (http, _):
        assert (await log_in(http, owner)).status_code == 303


def _cookie_flags(response: httpx.Response, name: str) -> str:
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert found, name
    return found[0]


async def test_secure_cookies_follow_the_configuration_not_the_scheme(
    test_settings: Settings, tenant: Tenant
) -> None:
    cases: list[tuple[dict[str, Any], bool]] = [
        ({"public_base_url": "https://book.example.org"}, True),
        ({"public_base_url": "http://localhost:8000"}, False),
        ({"public_base_url": "https://book.example.org", "secure_cookies": False}, False),
        ({"public_base_url": "http://localhost:8000", "secure_cookies": True}, True),
    ]
    for changes, secure in cases:
        async with dashboard(test_settings.model_copy(update=changes)) as (http, container):
            owner = await make_user(container.services, tenant.organization_id, Role.OWNER)
            # Plain HTTP, as a TLS-terminating proxy forwards it.
            form = await http.get(LOGIN)
            flags = _cookie_flags(form, "slotbook_login_csrf")
            assert ("Secure" in flags) is secure, changes
            # A browser would send a Secure cookie over the proxy's HTTPS; httpx over HTTP
            # does not, so it is handed back here.
            http.cookies.set("slotbook_login_csrf", flags.split(";")[0].partition("=")[2])
            answer = await http.post(
                LOGIN,
                data={
                    "csrf_token": hidden(form.text, "csrf_token"),
                    "email": owner.email,
                    "password": owner.password,
                },
            )
            assert answer.status_code == 303
            assert ("Secure" in _cookie_flags(answer, "slotbook_session")) is secure, changes


async def test_a_replayed_webhook_creation_shows_no_secret_and_none_is_stored(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": f"hook-{tenant.organization_id}"}
    body = {"url": "http://127.0.0.1:8480/slotbook", "events": ["appointment.created"]}
    first = await client.post("/api/v1/webhooks", headers=headers, json=body)
    assert first.status_code == 201, first.text
    secret = first.json()["secret"]
    assert secret.startswith("whsec_")
    again = await client.post("/api/v1/webhooks", headers=headers, json=body)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    replayed = again.json()
    assert "secret" not in replayed
    assert replayed["id"] == first.json()["id"]
    assert replayed["url"] == body["url"]
    async with container.engine.connect() as conn:
        stored = (
            await conn.execute(
                select(idempotency_key).where(
                    idempotency_key.c.organization_id == tenant.organization_id
                )
            )
        ).all()
    assert stored
    assert all(secret not in repr(tuple(row)) for row in stored)
    listed = await client.get("/api/v1/webhooks", headers=tenant.headers)
    for hook in listed.json()["webhooks"]:
        await client.delete(f"/api/v1/webhooks/{hook['id']}", headers=tenant.headers)
