"""End-to-end fixtures: a real `slotbook serve` process with demo data, and Debian's Chromium.

The browser is /usr/bin/chromium (apt-get install chromium), driven by Playwright's own
driver; Playwright's browser download is never used. Without Chromium these tests are skipped
on a developer's machine and FAIL under CI=true, so CI cannot pass without running them.
The async API runs on the test session's event loop (the sync API would hold a loop of its
own and block the other async tests).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from tests.conftest import (
    _postgres_base_url,
    create_postgres_database,
    drop_postgres_database,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).parents[2] / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
LOCKED_EMAIL = "locked-desk@example.org"
LOCKED_PASSWORD = "right password 1"


@dataclass(frozen=True)
class Server:
    base: str
    backend: str
    owner: tuple[str, str]
    staff: tuple[str, str]
    api_key: str = ""  # the demo's all-scopes key (`slotbook demo` prints it last)

    def url(self, path: str) -> str:
        return self.base + path


def _free_port() -> int:
    """A free port, within SLOTBOOK_E2E_PORTS ("8300-8399") when machines share port ranges."""
    low, _, high = os.environ.get("SLOTBOOK_E2E_PORTS", "0-0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError(f"no free port in SLOTBOOK_E2E_PORTS={low}-{high}")


def _cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "slotbook.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"slotbook {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def _demo_login(output: str, role: str) -> tuple[str, str]:
    line = next(x for x in output.splitlines() if x.strip().startswith(f"{role}: "))
    email, _, password = line.split(": ", 1)[1].partition(" / ")
    return email, password


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """migrate, demo data, one extra user for the lockout test, then `slotbook serve`."""
    pg_base = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'slotbook.db'}"
    else:
        pg_base = _postgres_base_url()
        if pg_base is None:
            pytest.skip("PostgreSQL tests need SLOTBOOK_TEST_DATABASE_URL")
        url = create_postgres_database(pg_base)
    env = {
        **os.environ,
        "SLOTBOOK_DATABASE_URL": url,
        "SLOTBOOK_ANONYMOUS_RATE_LIMIT": "1000000",
        # Webhook endpoints on 127.0.0.1 can be registered (no worker runs: nothing is sent).
        "SLOTBOOK_WEBHOOK_ALLOW_PRIVATE": "true",
    }
    _cli(env, "migrate")
    demo = _cli(env, "demo")
    _cli(
        env,
        *("user", "create", "--organization", "1", "--email", LOCKED_EMAIL),
        *("--role", "staff", "--password", LOCKED_PASSWORD),
    )
    port = _free_port()
    log = tmp_path_factory.mktemp("e2e-log") / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "slotbook.cli", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # Bounded: up to two minutes, as imports alone took 30-48 s on a two-core machine at a
        # load average of 16 (`make test-dates` runs two suites side by side).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{base}/ready", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail(f"slotbook serve did not become ready:\n{log.read_text()}")
        yield Server(
            base,
            request.param,
            _demo_login(demo, "owner"),
            _demo_login(demo, "staff"),
            demo.strip().splitlines()[-1],
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if pg_base is not None:
            drop_postgres_database(pg_base, url)


def require_chromium(path: str = CHROMIUM, environ: Mapping[str, str] = os.environ) -> None:
    """Skip without Chromium on a developer's machine; fail in CI, where it must be there."""
    if Path(path).exists() and shutil.which(path):
        return
    message = f"browser tests need Debian's chromium at {path} (apt-get install chromium)"
    if environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    require_chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
async def context(browser: Browser, server: Server) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile (no cookies) per test, allowed to use the clipboard."""
    ctx = await browser.new_context(viewport=DESKTOP, locale="en-GB")  # type: ignore[arg-type]
    await ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
    ctx.set_default_timeout(15_000)
    yield ctx
    await ctx.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()
