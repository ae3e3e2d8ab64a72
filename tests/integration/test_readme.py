"""Every curl command in the README works as printed against a freshly started server."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

README = Path(__file__).parents[2] / "README.md"


def readme_curls() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), flags=re.S)
    commands = []
    for block in blocks:
        # A command may continue over lines inside a quoted -d '...' body.
        for command in re.split(r"\n(?=curl )", block.strip()):
            if command.startswith("curl "):
                commands.append(command)
    return commands


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`make run` in miniature: migrate, demo data, serve; yields (base URL, demo key)."""
    env = {
        **os.environ,
        "SLOTBOOK_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('readme') / 'demo.db'}",
    }
    cli = [sys.executable, "-m", "slotbook.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True, timeout=60)
    demo = subprocess.run(
        [*cli, "demo"], env=env, check=True, capture_output=True, text=True, timeout=60
    )
    key = demo.stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, key
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_readme_curls_work_as_printed(served: tuple[str, str]) -> None:
    base, key = served
    commands = readme_curls()
    assert len(commands) >= 6
    for command in commands:
        runnable = command.replace("http://127.0.0.1:8000", base).replace("YOUR_API_KEY", key)
        result = subprocess.run(
            ["bash", "-c", runnable + ' -s -w "\\n%{http_code}"'],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        body, _, status = result.stdout.rpartition("\n")
        assert result.returncode == 0, (command, result.stderr)
        assert status in ("200", "201"), (command, status, body)
        json.loads(body)
        if command.startswith("curl -X POST") and "/appointments " in command + " ":
            # The next steps use the id the README shows for this booking.
            shown = re.search(r'"id": (\d+),\n  "dateTime"', README.read_text())
            assert shown is not None
            assert json.loads(body)["id"] == int(shown.group(1))
