"""The PHP SDK (sdk/php) against a live server: its PHPUnit suite, the moncreneau documents'
PHP snippets as written, and the examples of its README, in a project that installed the
package with Composer (from its folder, offline).

Without PHP, PHPUnit or Composer these tests are skipped on a developer's machine and fail
under CI=true."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sdk.live_world import (
    ROOT,
    World,
    check_webhook_receiver,
    demo_world,
    free_port,
    moncreneau_world,
    require_tool,
    run,
)
from tests.sdk.readme_examples import embedded_examples

PHP_SDK = ROOT / "sdk" / "php"
EXAMPLES = PHP_SDK / "examples"


@pytest.fixture(scope="module")
def php() -> str:
    found = require_tool("php", "apt-get install php-cli php-curl")
    modules = subprocess.run([found, "-m"], capture_output=True, text=True, check=True).stdout
    if "curl" not in modules.split():
        require_tool("php-curl", "apt-get install php-curl")
    return found


@pytest.fixture(scope="module")
def project(php: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An application that installed slotbook/client with Composer from sdk/php."""
    composer = require_tool("composer", "apt-get install composer")
    app = tmp_path_factory.mktemp("php-app")
    manifest = {
        "name": "example/app",
        "require": {"slotbook/client": "*@dev"},
        "repositories": [
            {"type": "path", "url": str(PHP_SDK), "options": {"symlink": True}},
            {"packagist.org": False},
        ],
    }
    (app / "composer.json").write_text(json.dumps(manifest, indent=2))
    env = {
        **os.environ,
        "COMPOSER_HOME": str(app / ".composer"),
        "COMPOSER_ALLOW_SUPERUSER": "1",
        "COMPOSER_DISABLE_NETWORK": "1",
    }
    done = subprocess.run(
        [composer, "install", "--no-interaction", "--no-progress"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (app / "vendor" / "autoload.php").exists()
    return app


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with demo_world(tmp_path_factory.mktemp("php-demo")) as world:
        yield world


def test_phpunit_suite(php: str, demo: World) -> None:
    phpunit = require_tool("phpunit", "apt-get install phpunit")
    ran = run([phpunit, "-c", "phpunit.xml.dist"], demo, PHP_SDK)
    assert ran.returncode == 0, str(ran)
    assert re.search(r"^OK \(\d+ tests, \d+ assertions\)$", ran.output, re.MULTILINE), str(ran)


def _example(php: str, world: World, project: Path, name: str) -> str:
    # The documents' snippets have no autoloader line: it is loaded before them, as an
    # application's front controller would.
    autoload = project / "vendor" / "autoload.php"
    args = [php, "-d", f"auto_prepend_file={autoload}", str(EXAMPLES / name)]
    ran = run(args, world, project)
    assert ran.returncode == 0, str(ran)
    assert "Warning" not in ran.output, str(ran)
    assert "Deprecated" not in ran.output, str(ran)
    return ran.output


def test_readme_examples_run(php: str, demo: World, project: Path) -> None:
    quick = _example(php, demo, project, "quick-start.php")
    assert "5 Passport Service - Ministry of Interior" in quick
    assert "Status: SCHEDULED" in quick
    assert "New status: CANCELLED" in quick
    errors = _example(php, demo, project, "errors-and-options.php")
    assert "Credits left: " in errors
    assert "404 APPOINTMENT_NOT_FOUND: Appointment not found with id: 999999" in errors


def test_readme_shows_the_examples_verbatim() -> None:
    embedded = embedded_examples(PHP_SDK / "README.md")
    assert set(embedded) == {p.name for p in EXAMPLES.iterdir()}
    for name, text in embedded.items():
        assert text == (EXAMPLES / name).read_text(), f"README differs from {name}"


def test_moncreneau_snippets_run_as_written(
    php: str, project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Create (appointment 123), get, list, cancel, then the quick start; then the create
    snippet again with no credit left takes its InsufficientCreditsException branch."""
    with moncreneau_world(tmp_path_factory.mktemp("php-moncreneau")) as world:
        created = _example(php, world, project, "moncreneau-create.php")
        assert "Appointment created with ID: 123\nQR Code: QR-" in created
        got = _example(php, world, project, "moncreneau-get.php")
        assert "Status: SCHEDULED\nDate: 2026-02-15T10:00:00\nBeneficiary: Amadou Diallo" in got
        listed = _example(php, world, project, "moncreneau-list.php")
        assert "Total: 1\nAmadou Diallo - 2026-02-15T10:00:00\n" in listed
        cancelled = _example(php, world, project, "moncreneau-cancel.php")
        assert "Appointment cancelled\nNew status: CANCELLED\n1 credit refunded" in cancelled
        quick = _example(php, world, project, "moncreneau-quick-start.php")
        assert quick.strip().endswith("Appointment created: 124")
        world.drain_credits()
        refused = _example(php, world, project, "moncreneau-create.php")
        assert "Insufficient credits: Insufficient credits to create appointment" in refused


def test_webhook_receiver_example(php: str, project: Path) -> None:
    """The README's receiver, served by PHP's built-in server, accepts a delivery the Python
    SDK signed and refuses a changed one."""
    port = free_port()
    receiver = EXAMPLES / "webhook-receiver.php"
    output = check_webhook_receiver([php, "-S", f"127.0.0.1:{port}", str(receiver)], project, port)
    assert "msg_1 appointment.created: appointment 123" in output
    assert "refused: WEBHOOK_SIGNATURE_MISMATCH" in output


def test_docs_quick_start_is_the_example() -> None:
    shown = {
        name: text
        for name, text in embedded_examples(ROOT / "docs" / "sdk.md").items()
        if name.startswith("sdk/php/")
    }
    assert shown, "docs/sdk.md shows the PHP quick start"
    for name, text in shown.items():
        assert text == (ROOT / name).read_text(), f"docs/sdk.md differs from {name}"
