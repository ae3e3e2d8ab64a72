"""`slotbook serve --workers 2`: a scrape of /metrics adds up the counts of both processes
(prometheus-client's multiprocess mode), and the access log is one JSON line per request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.integration.test_readme import free_port

TOKEN = "workers-metrics-token"
MAX_REQUESTS = 400


def _health_count(text: str) -> float:
    wanted = ('route="/health"', 'status="200"', 'method="GET"')
    for line in text.splitlines():
        if line.startswith("slotbook_http_requests_total{") and all(w in line for w in wanted):
            return float(line.rpartition(" ")[2])
    return 0.0


def test_a_scrape_counts_the_requests_of_every_worker(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'workers.db'}"
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_99999.db").write_bytes(b"stale")  # of a process long gone
    env = {
        **os.environ,
        "SLOTBOOK_DATABASE_URL": database,
        "SLOTBOOK_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    cli = [sys.executable, "-m", "slotbook.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*cli, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300  # a loaded machine starts processes slowly
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            sent = 1
            # A new connection each time, until both processes have answered some.
            while sent < MAX_REQUESTS and len(_health_pids(log)) < 2:
                for _ in range(8):
                    answer = httpx.get(f"{base}/health", headers={"Connection": "close"})
                    assert answer.status_code == 200
                    sent += 1
                time.sleep(0.1)
            assert len(_health_pids(log)) == 2
            scrape = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
            assert scrape.status_code == 200
            assert _health_count(scrape.text) == sent
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert len(_access(log, "/health")) == sent
    assert not (metrics_dir / "counter_99999.db").exists()


def _access(log: Path, route: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [x for x in lines if x.get("logger") == "slotbook.access" and x.get("route") == route]


def _health_pids(log: Path) -> set[object]:
    return {line["process"] for line in _access(log, "/health")}
