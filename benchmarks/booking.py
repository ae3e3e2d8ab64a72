"""Booking throughput of `slotbook serve` on PostgreSQL against a bare FastAPI app, with wrk.

Run it from the repository root: `.venv/bin/python -m benchmarks.booking` (docs/benchmarks.md).
It makes a fresh database, sets it up with the `slotbook` commands, serves it with one worker,
books with wrk (each request at a distinct dateTime), does the same against a bare FastAPI app
answering a JSON of the same size, prints the figures and their ratio, then checks in SQL that
appointments, ledger rows and credits consumed all equal the 201 responses. Loopback only.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url

from benchmarks.databases import fresh_database
from benchmarks.disk_probe import DiskProbe

HERE = Path(__file__).resolve().parent
LUA_SCRIPT = HERE / "booking.lua"
BARE_APP = HERE / "bare_app.py"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CREDITS = 100_000_000
RATE_LIMIT_PER_HOUR = 1_000_000_000
# Far-future, non-overlapping ranges of dateTimes for the sample, the warm-up and the measure.
SAMPLE_AT = "2029-06-01T09:00:00"
WARMUP_FROM = int(datetime(2030, 1, 1, tzinfo=UTC).timestamp())
MEASURE_FROM = int(datetime(2040, 1, 1, tzinfo=UTC).timestamp())
# Each measured block books from a date this much (a year) after the previous block's.
BLOCK_DATES = 366 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Options:
    server_url: str
    duration: int
    connections: int
    threads: int
    warmup: int
    drain: int
    blocks: int
    show_wrk: bool


@dataclass(frozen=True, slots=True)
class Load:
    """What the Lua script counted during one wrk run."""

    sent: int
    created: int  # 201 responses
    other: int  # any other status
    seconds: float  # first request to last response
    p50_ms: float
    p99_ms: float
    socket_errors: int
    timeouts: int
    unexpected: str  # the first non-201 answer (one other than 409 if any), if any
    # Latency in µs at 0.1%, 0.2%, ... 100% of the requests (1,000 quantiles).
    quantiles: tuple[int, ...] = ()
    conflicts: int = 0  # 409 responses, among `other`

    @property
    def rate(self) -> float:
        return (self.created + self.other) / self.seconds if self.seconds else 0.0


def pooled(loads: list[Load]) -> Load:
    """The runs of one server as one: counts and seconds added, p50 and p99 read off the
    pooled latency distribution (each run's quantiles weighted by its requests)."""
    weighted = [(load.created + load.other, load.quantiles) for load in loads]

    def percentile(share: float) -> float:
        # The smallest latency at or under which `share` of all requests fall.
        total = sum(count for count, _ in weighted)
        for value in sorted({v for _, quantiles in weighted for v in quantiles}):
            below = sum(
                count * bisect.bisect_right(quantiles, value) / len(quantiles)
                for count, quantiles in weighted
                if quantiles
            )
            if below >= share * total:
                return value / 1000
        return float("nan")

    return Load(
        sent=sum(load.sent for load in loads),
        created=sum(load.created for load in loads),
        other=sum(load.other for load in loads),
        seconds=sum(load.seconds for load in loads),
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        socket_errors=sum(load.socket_errors for load in loads),
        timeouts=sum(load.timeouts for load in loads),
        unexpected=next((load.unexpected for load in loads if load.unexpected), ""),
        quantiles=(),
        conflicts=sum(load.conflicts for load in loads),
    )


@dataclass(frozen=True, slots=True)
class Figures:
    load: Load
    peak_rss_mib: float
    cpu_seconds: float  # of the server process during the measured run
    database_cpu_seconds: float | None = None  # of its PostgreSQL backends, when readable

    @property
    def cpu_us_per_request(self) -> float:
        return self._per_request(self.cpu_seconds)

    @property
    def database_cpu_us_per_request(self) -> float:
        seconds = self.database_cpu_seconds
        return float("nan") if seconds is None else self._per_request(seconds)

    def _per_request(self, seconds: float) -> float:
        answered = self.load.created + self.load.other
        return 1e6 * seconds / answered if answered else float("nan")


@dataclass(frozen=True, slots=True)
class Ledger:
    appointments: int
    booking_rows: int
    debited: int  # minus the sum of the BOOKING ledger deltas
    consumed: int  # minus the balance, so that a difference is the credits consumed
    last_balance_after: int
    balance: int


def parse_options() -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server-url",
        default="postgresql://postgres@127.0.0.1:5432",
        help="PostgreSQL server on a loopback address (a database is created and dropped)",
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per server")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured warm-up")
    parser.add_argument(
        "--drain", type=int, default=2, help="last seconds without new requests (answers arrive)"
    )
    parser.add_argument(
        "--blocks",
        type=int,
        default=2,
        help="turns each server takes, alternating with the other (--duration split evenly)",
    )
    parser.add_argument("--show-wrk", action="store_true", help="print wrk's own reports")
    args = parser.parse_args()
    if args.blocks < 1:
        parser.error("--blocks must be at least 1")
    if args.duration // args.blocks <= args.drain or args.warmup <= args.drain:
        parser.error("--duration / --blocks and --warmup must be longer than --drain")
    if not 1 <= args.threads <= args.connections:
        parser.error("--threads must be between 1 and --connections")
    host = make_url(args.server_url).host or ""
    if host not in LOOPBACK:
        parser.error(f"--server-url must be on a loopback address, not {host!r}")
    return Options(
        server_url=args.server_url,
        duration=args.duration,
        connections=args.connections,
        threads=args.threads,
        warmup=args.warmup,
        drain=args.drain,
        blocks=args.blocks,
        show_wrk=args.show_wrk,
    )


def slotbook(env: dict[str, str], *args: str) -> str:
    """Run a `slotbook` command of this virtual environment; its last output line."""
    command = [str(Path(sys.executable).with_name("slotbook")), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"`slotbook {' '.join(args)}` failed:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[int]:
    """Start a server process, wait until it accepts connections; yields its pid."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        # Worker processes listen once the app is imported: on a busy machine that takes a while.
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server exited ({process.returncode}):\n{log.read_text()}")
            try:
                # uvicorn listens only once the application has started.
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    message = f"server did not listen in 180 s:\n{log.read_text()}"
                    raise SystemExit(message) from None
                time.sleep(0.1)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used (a figure the machine's noise spares)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (the worker processes of `uvicorn --workers`)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        parents.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(parents.get(current, ()))
    return tree


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of the process and its descendants (a process that left is not counted)."""
    total = 0.0
    for member in process_tree(pid):
        try:
            total += cpu_seconds(member)
        except OSError:
            continue
    return total


def backend_cpu_seconds(database_url: str) -> dict[int, float]:
    """CPU time of each PostgreSQL backend connected to the database, by pid (the server runs
    on this machine: the URL is a loopback address). Empty when /proc does not show them."""
    with psycopg.connect(database_url) as conn:
        pids = [
            int(row[0])
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ]
    found: dict[int, float] = {}
    for pid in pids:
        try:
            found[pid] = cpu_seconds(pid)
        except OSError:
            continue
    return found


def peak_rss_mib(pid: int) -> float:
    """The highest peak memory of the process and its descendants."""
    peaks = []
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks, default=float("nan"))


def run_wrk(
    options: Options,
    port: int,
    key: str,
    department: int,
    seconds: int,
    first: int,
    extra: Sequence[str] = (),
    timeout: int = 10,
) -> Load:
    """One wrk run; `extra` are the script's optional arguments (see booking.lua)."""
    command = [
        "wrk",
        f"--threads={options.threads}",
        f"--connections={options.connections}",
        f"--duration={seconds}s",
        f"--timeout={timeout}s",
        "--latency",
        f"--script={LUA_SCRIPT}",
        f"http://127.0.0.1:{port}",
        "--",
        key,
        str(department),
        str(first),
        str(options.threads),
        str(seconds - options.drain),
        *extra,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    if options.show_wrk:
        print(done.stdout)
    fields: dict[str, str] = {}
    unexpected = ""
    quantiles: tuple[int, ...] = ()
    for line in done.stdout.splitlines():
        if line.startswith("slotbook-bench "):
            fields = dict(part.split("=", 1) for part in line.split()[1:])
        elif line.startswith("slotbook-bench-unexpected "):
            unexpected = line.partition(" ")[2]
        elif line.startswith("slotbook-bench-quantiles "):
            quantiles = tuple(int(v) for v in line.partition(" ")[2].split(","))
    if not fields:
        raise SystemExit(f"wrk printed no figures:\n{done.stdout}\n{done.stderr}")
    return Load(
        sent=int(fields["sent"]),
        created=int(fields["created"]),
        other=int(fields["other"]),
        seconds=float(fields["seconds"]),
        p50_ms=int(fields["p50_us"]) / 1000,
        p99_ms=int(fields["p99_us"]) / 1000,
        socket_errors=int(fields["socket_errors"]),
        timeouts=int(fields["timeouts"]),
        unexpected=unexpected,
        quantiles=quantiles,
        conflicts=int(fields.get("conflicts", 0)),
    )


def warm_up(options: Options, port: int, key: str, department: int) -> int:
    """Unmeasured load; returns its 201s."""
    return run_wrk(options, port, key, department, options.warmup, WARMUP_FROM).created


def measure(
    options: Options,
    pid: int,
    port: int,
    key: str,
    department: int,
    seconds: int,
    first: int,
    database_url: str | None = None,
    extra: Sequence[str] = (),
) -> Figures:
    """One measured run against the server `pid` and its worker processes (and the
    database's backends, when given), booking from the date `first` on."""
    backends = backend_cpu_seconds(database_url) if database_url else {}
    cpu_before = tree_cpu_seconds(pid)
    load = run_wrk(options, port, key, department, seconds, first, extra)
    cpu = tree_cpu_seconds(pid) - cpu_before
    database_cpu = None
    if database_url:
        # A backend that connected during the run counts whole; one that left is lost (the
        # server's pool keeps its connections, so neither happens much).
        after = backend_cpu_seconds(database_url)
        if after:
            database_cpu = sum(seconds - backends.get(p, 0.0) for p, seconds in after.items())
    return Figures(load, peak_rss_mib(pid), cpu, database_cpu)


def pooled_figures(runs: list[Figures]) -> Figures:
    """A server's runs as one: loads pooled, CPU added, the last peak memory (a high mark)."""
    database = [run.database_cpu_seconds for run in runs]
    return Figures(
        pooled([run.load for run in runs]),
        runs[-1].peak_rss_mib,
        sum(run.cpu_seconds for run in runs),
        None if any(d is None for d in database) else sum(d for d in database if d is not None),
    )


def ledger(database_url: str) -> Ledger:
    """Totals of organization 1 as they stand (the check compares them before and after)."""
    with psycopg.connect(database_url) as conn:
        (appointments,) = conn.execute(
            "SELECT count(*) FROM appointment WHERE organization_id = 1"
        ).fetchone() or (0,)
        rows, debited = conn.execute(
            "SELECT count(*), coalesce(-sum(delta), 0) FROM credit_ledger"
            " WHERE organization_id = 1 AND reason = 'BOOKING'"
        ).fetchone() or (0, 0)
        (last_after,) = conn.execute(
            "SELECT balance_after FROM credit_ledger WHERE organization_id = 1"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone() or (0,)
        (balance,) = conn.execute("SELECT credits FROM organization WHERE id = 1").fetchone() or (
            0,
        )
    return Ledger(
        appointments=int(appointments),
        booking_rows=int(rows),
        debited=int(debited),
        consumed=-int(balance),
        last_balance_after=int(last_after),
        balance=int(balance),
    )


def prepare(env: dict[str, str]) -> str:
    """Schema, the demo organization with plenty of credits, a booking key; returns the key."""
    slotbook(env, "migrate")
    slotbook(env, "demo")
    slotbook(env, "credits", "add", "--organization", "1", "--amount", str(CREDITS))
    return slotbook(
        env,
        "apikey",
        "create",
        "--organization",
        "1",
        "--scopes",
        "appointments:create,admin",
        "--name",
        "benchmark",
        "--rate-limit",
        str(RATE_LIMIT_PER_HOUR),
    )


def open_desk(port: int, key: str) -> int:
    """A department without configured hours: it takes any future time (docs/scheduling.md),
    so each benchmark request books its own distinct minute without working-hour refusals."""
    response = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/departments",
        headers={"X-API-Key": key},
        json={"name": "Benchmark desk", "alwaysOpen": True},
        timeout=10,
    )
    if response.status_code != 201:
        raise SystemExit(f"creating the department failed: {response.status_code} {response.text}")
    return int(response.json()["id"])


def sample_booking(port: int, key: str, department: int) -> bytes:
    response = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/appointments",
        headers={"X-API-Key": key},
        json={"departmentId": department, "dateTime": SAMPLE_AT, "name": "Benchmark Client"},
        timeout=10,
    )
    if response.status_code != 201:
        raise SystemExit(f"sample booking failed: {response.status_code} {response.text}")
    return response.content


def report(options: Options, booking: Figures, bare: Figures, body_size: int) -> None:
    print(
        f"\nPOST /api/v1/appointments, {options.connections} connections, {options.duration} s "
        f"each in {options.blocks} alternating turns (last {options.drain} s of each draining), "
        f"1 uvicorn worker, wrk {options.threads} thread(s), {os.cpu_count()} CPUs, response "
        f"{body_size} bytes\n"
    )
    header = f"{'':24}{'requests/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'peak RSS MiB':>14}"
    print(header + f"{'CPU µs/req':>12}{'non-201':>9}{'errors':>8}")
    for label, figures in (("bare FastAPI", bare), ("slotbook booking", booking)):
        load = figures.load
        print(
            f"{label:24}{load.rate:>12,.0f}{load.p50_ms:>9.2f}{load.p99_ms:>9.2f}"
            f"{figures.peak_rss_mib:>14.1f}{figures.cpu_us_per_request:>12,.0f}"
            f"{load.other:>9,}{load.socket_errors + load.timeouts:>8,}"
        )
    ratio = booking.load.rate / bare.load.rate if bare.load.rate else float("nan")
    print(f"{'ratio booking/bare':24}{ratio:>12.1%}")
    print(
        "PostgreSQL CPU µs per booking (its backends, same run): "
        f"{booking.database_cpu_us_per_request:,.0f}"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (other work on the machine)")
    for label, figures in (("bare", bare), ("booking", booking)):
        if figures.load.unexpected:
            print(f"first non-201 answer ({label}): {figures.load.unexpected}")


def check(expected: int, before: Ledger, after: Ledger) -> bool:
    counts = {
        "appointments": after.appointments - before.appointments,
        "BOOKING ledger rows": after.booking_rows - before.booking_rows,
        "credits debited": after.debited - before.debited,
        "balance decrease": after.consumed - before.consumed,
    }
    ok = all(value == expected for value in counts.values())
    ok = ok and after.last_balance_after == after.balance
    shown = ", ".join(f"{name} {value:,}" for name, value in counts.items())
    verdict = "OK" if ok else "MISMATCH"
    print(f"\ncheck in SQL: 201 responses {expected:,}; during the run {shown}; the last")
    print(f"ledger row's balance_after equals the balance ({after.balance:,}): {verdict}")
    return ok


def main() -> int:
    options = parse_options()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    with fresh_database(options.server_url) as database_url, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "SLOTBOOK_DATABASE_URL": database_url}
        env.pop("SLOTBOOK_REDIS_URL", None)  # one worker counts its rate limits in process
        key = prepare(env)
        before = ledger(database_url)

        port = free_port()
        serve = [str(Path(sys.executable).with_name("slotbook")), "serve", "--port", str(port)]
        bare_port = free_port()
        bare_app = [
            sys.executable,
            str(BARE_APP),
            "--port",
            str(bare_port),
            "--body",
            str(work / "body.json"),
        ]
        with ExitStack() as servers:
            pid = servers.enter_context(serving(serve, env, port, work / "slotbook.log"))
            department = open_desk(port, key)
            body = sample_booking(port, key, department)
            (work / "body.json").write_bytes(body)
            bare_pid = servers.enter_context(serving(bare_app, env, bare_port, work / "bare.log"))
            probe = servers.enter_context(DiskProbe(database_url))
            created = warm_up(options, port, key, department)
            warm_up(options, bare_port, key, department)
            # The two servers take turns, in blocks (slotbook, bare, bare, slotbook, ...), so
            # that a change in the machine's speed during the run weighs on both alike.
            seconds = options.duration // options.blocks
            booking_runs: list[Figures] = []
            bare_runs: list[Figures] = []
            for block in range(options.blocks):
                first = MEASURE_FROM + block * BLOCK_DATES
                turns = ("booking", "bare") if block % 2 == 0 else ("bare", "booking")
                for turn in turns:
                    if turn == "booking":
                        run = measure(
                            options, pid, port, key, department, seconds, first, database_url
                        )
                        booking_runs.append(run)
                        created += run.load.created
                    else:
                        bare_runs.append(
                            measure(options, bare_pid, bare_port, key, department, seconds, first)
                        )
        booking, bare = pooled_figures(booking_runs), pooled_figures(bare_runs)

        report(options, booking, bare, len(body))
        print(probe.result().describe())
        ok = check(created + 1, before, ledger(database_url))
        disk = probe.result()
        json_line = {
            "booking_rps": round(booking.load.rate),
            "bare_rps": round(bare.load.rate),
            "ratio": round(booking.load.rate / bare.load.rate, 4) if bare.load.rate else None,
            "booking_p99_ms": booking.load.p99_ms,
            "booking_cpu_us": round(booking.cpu_us_per_request),
            "database_cpu_us": (
                None
                if booking.database_cpu_seconds is None
                else round(booking.database_cpu_us_per_request)
            ),
            "bare_cpu_us": round(bare.cpu_us_per_request),
            "disk_sync_max_ms": round(disk.max_ms, 1),
            "disk_sync_stalls": disk.stalls,
        }
        print(f"summary {json.dumps(json_line)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
