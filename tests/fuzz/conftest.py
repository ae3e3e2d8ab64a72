"""Prints how many cases schemathesis ran, and how long it took, per backend."""

from __future__ import annotations

import pytest

from tests.fuzz.test_schemathesis import TALLIES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for backend, tally in TALLIES.items():
        terminalreporter.write_line(
            f"schemathesis on {backend}: {tally.cases} cases "
            f"in {tally.finished - tally.started:.1f} s"
        )
