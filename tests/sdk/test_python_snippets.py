"""The moncreneau documents' Python snippets (sdk/python/examples/moncreneau_*.py), each run
as written in its own process against a live server of the documents' world."""

from __future__ import annotations

import sys

import pytest

from tests.sdk.live_world import ROOT, World, moncreneau_world, run

PYTHON_SDK = ROOT / "sdk" / "python"

_SNIPPETS = [
    "moncreneau_create.py",
    "moncreneau_get.py",
    "moncreneau_list.py",
    "moncreneau_cancel.py",
    "moncreneau_quick_start.py",
]


def test_every_moncreneau_example_is_run() -> None:
    examples = {p.name for p in (PYTHON_SDK / "examples").glob("moncreneau_*.py")}
    assert examples == set(_SNIPPETS)


def test_moncreneau_snippets_run_as_written(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Create (appointment 123), get, list, cancel, then the quick start; then the create
    snippet again with no credit left takes its InsufficientCreditsError branch."""
    with moncreneau_world(tmp_path_factory.mktemp("python-moncreneau")) as world:
        outputs = [_snippet(world, name) for name in _SNIPPETS]
        created, got, listed, cancelled, quick = outputs
        assert "Appointment created with ID: 123\nQR Code: " in created
        assert "Status: SCHEDULED\nDate: 2026-02-15T10:00:00\nBeneficiary: Amadou Diallo" in got
        assert "Total: 1\nAmadou Diallo - 2026-02-15T10:00:00\n" in listed
        assert "Appointment cancelled\nNew status: CANCELLED\n1 credit refunded" in cancelled
        assert "Appointment created: 124" in quick
        world.drain_credits()
        refused = _snippet(world, "moncreneau_create.py")
        assert "Insufficient credits: Insufficient credits" in refused
        assert "Appointment created" not in refused


def _snippet(world: World, name: str) -> str:
    ran = run([sys.executable, f"examples/{name}"], world, PYTHON_SDK)
    assert ran.returncode == 0, str(ran)
    return ran.output
