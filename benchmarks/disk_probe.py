"""How long the disk took to sync while a benchmark ran: the context of its p99.

Every booking's commit waits for PostgreSQL's WAL to reach the disk (fdatasync), and the
bookings of one organization queue behind the commit that holds its row: when the disk
stalls for 300 ms, every booking in flight waits 300 ms. A thread of the benchmark syncs
8 KiB every 10 ms (a load far below PostgreSQL's own) next to PostgreSQL's data, if it may
write there, and reports how long those syncs took.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import psycopg

STALL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class SyncLatency:
    directory: str
    beside_postgres: bool  # the same file system as PostgreSQL's data directory
    syncs: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    stalls: int  # syncs longer than STALL_SECONDS

    def describe(self) -> str:
        where = "beside PostgreSQL's data" if self.beside_postgres else "not on PostgreSQL's disk"
        return (
            f"disk during the run: {self.syncs:,} fdatasync of 8 KiB in {self.directory} "
            f"({where}): p50 {self.p50_ms:.2f} ms, p99 {self.p99_ms:.2f} ms, "
            f"max {self.max_ms:,.0f} ms, {self.stalls} over {STALL_SECONDS * 1000:.0f} ms"
        )


def data_directory(database_url: str) -> Path | None:
    """PostgreSQL's data directory, when this user may read the setting and write there."""
    try:
        with psycopg.connect(database_url) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
    except psycopg.Error:
        return None
    path = Path(row[0]) if row else None
    return path if path is not None and os.access(path, os.W_OK) else None


class DiskProbe:
    """Syncs a small file every 10 ms in a thread, from `with` to its end."""

    def __init__(self, database_url: str, interval: float = 0.01) -> None:
        near = data_directory(database_url)
        self._directory = near or Path(tempfile.gettempdir())
        self._beside = near is not None
        self._interval = interval
        self._latencies: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        descriptor, name = tempfile.mkstemp(prefix="slotbook-probe-", dir=self._directory)
        block = b"\0" * 8192
        try:
            while not self._stop.wait(self._interval):
                os.pwrite(descriptor, block, 0)
                started = time.perf_counter()
                os.fdatasync(descriptor)
                self._latencies.append(time.perf_counter() - started)
        finally:
            os.close(descriptor)
            os.unlink(name)

    def __enter__(self) -> DiskProbe:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def result(self) -> SyncLatency:
        ordered = sorted(self._latencies) or [0.0]
        count = len(self._latencies)

        def at(share: float) -> float:
            return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]

        return SyncLatency(
            directory=str(self._directory),
            beside_postgres=self._beside,
            syncs=count,
            p50_ms=at(0.5),
            p99_ms=at(0.99),
            max_ms=1000 * ordered[-1],
            stalls=sum(1 for seconds in ordered if seconds > STALL_SECONDS),
        )
