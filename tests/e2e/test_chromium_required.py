"""Without Chromium the browser tests are skipped locally but fail in CI."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import require_chromium


def test_missing_chromium_fails_in_ci() -> None:
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        require_chromium("/nonexistent/chromium", {"CI": "true"})


def test_missing_chromium_is_skipped_elsewhere() -> None:
    with pytest.raises(pytest.skip.Exception):
        require_chromium("/nonexistent/chromium", {})
