"""The examples of sdk/python/README.md run as written against a live server."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.sdk.conftest import LiveServer
from tests.support import Tenant

README = Path(__file__).resolve().parents[2] / "sdk" / "python" / "README.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


async def test_the_readme_example_books_lists_and_cancels(live: LiveServer, tenant: Tenant) -> None:
    (example,) = python_blocks(README.read_text(encoding="utf-8"))
    env = {**os.environ, "SLOTBOOK_API_KEY": tenant.key, "SLOTBOOK_BASE_URL": live.url}
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", example],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    booked, listed, status = result.stdout.splitlines()
    assert booked.split()[0].isdigit()
    assert listed == "1 scheduled"
    assert status == "CANCELLED"
