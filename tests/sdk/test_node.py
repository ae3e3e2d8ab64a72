"""The Node.js SDK (sdk/node) against a live server: its own `node --test` suite, the
moncreneau documents' Node.js snippets as written, and the examples of its README.

Without Node.js these tests are skipped on a developer's machine and fail under CI=true."""

from __future__ import annotations

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

NODE_SDK = ROOT / "sdk" / "node"


@pytest.fixture(scope="module")
def node() -> str:
    return require_tool("node", "apt-get install nodejs")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with demo_world(tmp_path_factory.mktemp("node-demo")) as world:
        yield world


def test_node_test_suite(node: str, demo: World) -> None:
    # One file at a time (the retry tests steer the server's shared failure queue), without
    # --test-concurrency, which Debian's Node.js 18 lacks.
    files = sorted(str(p.relative_to(NODE_SDK)) for p in (NODE_SDK / "test").glob("*.test.mjs"))
    assert len(files) >= 5
    for file in files:
        ran = run([node, "--test", "--test-reporter=spec", file], demo, NODE_SDK)
        assert ran.returncode == 0, str(ran)
        # The summary of the spec reporter: "pass 7", "fail 0".
        assert re.search(r"\bpass [1-9]\d*\n", ran.output), str(ran)
        assert re.search(r"\bfail 0\n", ran.output), str(ran)


def test_readme_examples_run(node: str, demo: World) -> None:
    quick = run([node, "examples/quick-start.mjs"], demo, NODE_SDK)
    assert quick.returncode == 0, str(quick)
    assert "5 Passport Service - Ministry of Interior" in quick.output
    assert "Status: SCHEDULED" in quick.output
    assert "New status: CANCELLED" in quick.output
    common = run([node, "examples/quick-start.cjs"], demo, NODE_SDK)
    assert common.returncode == 0, str(common)
    assert "Credits left: " in common.output
    assert "404 APPOINTMENT_NOT_FOUND" in common.output


def test_readme_shows_the_examples_verbatim() -> None:
    embedded = embedded_examples(NODE_SDK / "README.md")
    examples = {p.name for p in (NODE_SDK / "examples").iterdir()}
    assert set(embedded) == examples, "every example is in the README, and only those"
    for name, text in embedded.items():
        assert text == (NODE_SDK / "examples" / name).read_text(), f"README differs from {name}"


def test_moncreneau_snippets_run_as_written(
    node: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Create (appointment 123), get, list, cancel, then the quick start; then the create
    snippet again with no credit left takes its INSUFFICIENT_CREDITS branch."""
    with moncreneau_world(tmp_path_factory.mktemp("node-moncreneau")) as world:
        outputs = [_snippet(node, world, name) for name in _SNIPPETS]
        created, got, listed, cancelled, quick = outputs
        assert "Appointment created with ID: 123\nQR Code: " in created
        assert "Status: SCHEDULED\nDate: 2026-02-15T10:00:00\nBeneficiary: Amadou Diallo" in got
        assert "Total: 1\nAmadou Diallo - 2026-02-15T10:00:00\n" in listed
        assert "Appointment cancelled\nNew status: CANCELLED\n1 credit refunded" in cancelled
        assert "Appointment created: 124" in quick
        world.drain_credits()
        refused = _snippet(node, world, "moncreneau-create.mjs")
        assert "Insufficient credits: Insufficient credits" in refused


_SNIPPETS = [
    "moncreneau-create.mjs",
    "moncreneau-get.mjs",
    "moncreneau-list.mjs",
    "moncreneau-cancel.mjs",
    "moncreneau-quick-start.mjs",
]


def _snippet(node: str, world: World, name: str) -> str:
    ran = run([node, str(Path("examples") / name)], world, NODE_SDK)
    assert ran.returncode == 0, str(ran)
    return ran.output


def test_typescript_declarations_compile(node: str) -> None:
    """The hand-written .d.ts files compile with uses of both module systems (TypeScript is
    the package's only devDependency: `npm ci` in sdk/node installs it)."""
    tsc = NODE_SDK / "node_modules" / ".bin" / "tsc"
    if not tsc.exists():
        require_tool(str(tsc), "cd sdk/node && npm ci")
    done = subprocess.run(
        [str(tsc), "-p", "types-check"],
        cwd=NODE_SDK,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_webhook_receiver_example(node: str) -> None:
    """The README's receiver accepts a delivery the Python SDK signed and refuses a changed one."""
    output = check_webhook_receiver([node, "examples/webhook-receiver.mjs"], NODE_SDK, free_port())
    assert "msg_1 appointment.created: appointment 123" in output
    assert "refused: WEBHOOK_SIGNATURE_MISMATCH" in output


def test_docs_quick_start_is_the_example() -> None:
    shown = {
        name: text
        for name, text in embedded_examples(ROOT / "docs" / "sdk.md").items()
        if name.startswith("sdk/node/")
    }
    assert shown, "docs/sdk.md shows the Node.js quick start"
    for name, text in shown.items():
        assert text == (ROOT / name).read_text(), f"docs/sdk.md differs from {name}"
