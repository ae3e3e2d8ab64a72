"""Every curl command in the README works as printed against a freshly started server."""

from __future__ import annotations

import itertools
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


def readme_answers() -> dict[str, object]:
    """The answer the README shows after a curl command (the ```json block right after its
    ```bash block), by the command's text."""
    blocks = re.findall(r"```(\w+)\n(.*?)```", README.read_text(), flags=re.S)
    shown: dict[str, object] = {}
    for (kind, text), (next_kind, answer) in itertools.pairwise(blocks):
        if kind == "bash" and next_kind == "json" and text.strip().startswith("curl "):
            shown[text.strip()] = json.loads(answer)
    return shown


# Values that differ on every run; the README's must still have the same form.
VOLATILE = {"uuid", "qrCode", "createdAt", "updatedAt"}


def _form(value: str) -> str:
    return re.sub(r"[0-9]", "9", re.sub(r"[A-Za-z_-]", "a", value))


def assert_current(shown: object, actual: object, where: str = "") -> None:
    """Every field the README shows is in the real answer, with the same value (or, for the
    volatile ones, the same form): a sample answer never shows a field or value that is gone."""
    if isinstance(shown, list):
        assert isinstance(actual, list), where
        assert actual, f"{where}: the README shows items, the answer has none"
        assert_current(shown[0], actual[0], f"{where}[0]")
        return
    if isinstance(shown, dict):
        assert isinstance(actual, dict), where
        for key, value in shown.items():
            assert key in actual, f"README shows {where}.{key}, the answer has no such field"
            if key in VOLATILE and isinstance(value, str):
                assert len(_form(value)) == len(_form(actual[key])), (where, key, actual[key])
                if key.endswith("At"):
                    assert _form(value) == _form(actual[key]), (where, key, actual[key])
            else:
                assert_current(value, actual[key], f"{where}.{key}")
        return
    assert shown == actual, f"README shows {where} = {shown!r}, the answer has {actual!r}"


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_readme_curls_work_as_printed(served: tuple[str, str]) -> None:
    base, key = served
    commands = readme_curls()
    answers = readme_answers()
    assert len(commands) >= 6
    assert len(answers) >= 2
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
        answer = json.loads(body)
        if command in answers:
            assert_current(answers[command], answer, command.split(" -H")[0])


def test_an_outdated_sample_answer_is_caught() -> None:
    actual = {"id": 5, "workerId": 42, "createdAt": "2026-12-07T20:43:46Z", "qrCode": "QR-ab"}
    assert_current({"id": 5, "workerId": 42, "createdAt": "2026-11-26T10:30:00Z"}, actual)
    for outdated in (
        {"workerId": None},  # a value that changed
        {"createdAt": "2026-11-26T10:30:00"},  # a form that changed
        {"fromWeb": True},  # a field that is gone
    ):
        with pytest.raises(AssertionError):
            assert_current(outdated, actual)
