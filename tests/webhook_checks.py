"""The receiving-side verification example of docs/webhooks.md, loaded from the document."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[1] / "docs" / "webhooks.md"


def documented_verify() -> Callable[..., bool]:
    """The `verify` function exactly as docs/webhooks.md shows it."""
    text = DOC.read_text()
    section = text[text.index("## Verifying a request") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOC), "exec"), namespace)  # noqa: S102 - our own docs
    verify: Callable[..., bool] = namespace["verify"]
    return verify
