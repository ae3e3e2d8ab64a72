"""Fixtures: every backend-dependent test runs on SQLite and on PostgreSQL.

PostgreSQL tests need SLOTBOOK_TEST_DATABASE_URL (a server URL; the suite creates and drops
its own database there). Without it they are skipped, unless SLOTBOOK_REQUIRE_POSTGRES=1
(as in CI), where a missing server fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from slotbook.api.app import create_app
from slotbook.bootstrap import Container, build, delivery_worker
from slotbook.config import Settings
from slotbook.infra.db.migrate import upgrade
from slotbook.infra.webhooks.delivery import DeliveryWorker
from tests.receiver import Receiver
from tests.support import Hooks, Tenant, TestClock, make_tenant

BACKENDS = ["sqlite", "postgresql"]


def _postgres_base_url() -> str | None:
    url = os.environ.get("SLOTBOOK_TEST_DATABASE_URL")
    if url:
        return url
    if os.environ.get("SLOTBOOK_REQUIRE_POSTGRES") == "1":
        pytest.fail("SLOTBOOK_REQUIRE_POSTGRES=1 but SLOTBOOK_TEST_DATABASE_URL is not set")
    return None


def _admin_dsn(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def create_postgres_database(base_url: str) -> str:
    name = f"slotbook_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_dsn(base_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(base_url: str, url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(_admin_dsn(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the test server, dropped afterwards."""
    base = _postgres_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need SLOTBOOK_TEST_DATABASE_URL")
    url = create_postgres_database(base)
    try:
        yield url
    finally:
        drop_postgres_database(base, url)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database of each backend, shared by the session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'slotbook.db'}"
        upgrade(url)
        yield url
        return
    with postgres_database() as url:
        upgrade(url)
        yield url


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of each backend with no schema, for tests of migrations and the CLI."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def backend(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


@pytest.fixture(scope="session")
def test_settings(database_url: str) -> Settings:
    # Tests share one client address; the anonymous limit is tested with its own app.
    return Settings(
        database_url=database_url,
        anonymous_rate_limit=10**9,
        page_rate_limit=10**9,
        login_address_free_failures=10**6,  # every test logs in from the same address
        db_pool_size=20,
        webhook_allow_private=True,  # the test receivers listen on 127.0.0.1
        webhook_timeout=5.0,
    )


@pytest.fixture(scope="session")
async def container(test_settings: Settings) -> AsyncIterator[Container]:
    built = build(test_settings, clock=TestClock())
    yield built
    await built.aclose()


@pytest.fixture(scope="session")
def app(container: Container) -> FastAPI:
    return create_app(container=container)


@pytest.fixture
def clock(container: Container) -> Iterator[TestClock]:
    test_clock = container.services.clock
    assert isinstance(test_clock, TestClock)
    yield test_clock
    test_clock.frozen = None


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def tenant(container: Container) -> Tenant:
    """A fresh organization per test: tenants never see each other, so no cleanup is needed."""
    return await make_tenant(container.services)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A real HTTP server on 127.0.0.1 that records webhook requests."""
    started = await Receiver().start()
    yield started
    await started.stop()


@pytest.fixture
async def worker(container: Container) -> AsyncIterator[DeliveryWorker]:
    """The delivery worker of `slotbook worker`, run step by step by the test."""
    built = delivery_worker(container)
    yield built
    await built.aclose()


@pytest.fixture
async def hooks(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> AsyncIterator[Hooks]:
    """Registers webhooks of the test's tenant and deletes them (and their pending
    deliveries) afterwards, so no later test's worker sends them anywhere."""
    helper = Hooks(client, tenant)
    yield helper
    await helper.delete_all()
