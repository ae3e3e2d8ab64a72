"""Booking throughput of the bookings offices really make, next to a bare FastAPI app.

    .venv/bin/python -m benchmarks.booking_scenarios throughput [--scenario named] ...
    .venv/bin/python -m benchmarks.booking_scenarios flash [--clients 1000 --slots 200]

`throughput` books one scenario with wrk, in turns alternating with the bare app
(benchmarks/bare_app.py, same number of processes), at each prefill size in turn, then at half
the peak rate. Scenarios:

- `open`: a department without hours or workers (what benchmarks/booking.py books);
- `named`: a department with weekly hours, 10 workers and a 15-minute type, `workerId` given;
- `auto`: the same department, the worker assigned by the server (no `workerId`).

`flash` sends a crowd of clients at once, auto-assigned, at the only free slots of one
department, and checks that exactly as many are booked as there were free slots, that every
other answer is a 409 and that no slot is left free.

The machinery (fresh database, `slotbook` commands, servers, wrk and its Lua script, the
figures and the ledger check) is benchmarks/booking.py's. Loopback only; docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url

from benchmarks.booking import (
    BARE_APP,
    LOOPBACK,
    Figures,
    Options,
    check,
    free_port,
    ledger,
    measure,
    pooled_figures,
    prepare,
    run_wrk,
    serving,
)
from benchmarks.databases import fresh_database

SCENARIOS = ("open", "named", "auto")
WORKERS = 10
SLOT_MINUTES = 15
# Weekly hours of the scheduled department: Monday to Friday, 08:00 to 18:00 (UTC, so that
# wrk can lay out the slots without a time-zone library): 40 slots a day.
OPENS_AT = 8 * 60
CLOSES_AT = 18 * 60
WORKING_DAYS = 5
# The existing appointments of a prefill lie after every date the load books, so they never
# refuse a booking; the load must still find its way past them.
PREFILL_FROM = datetime(2100, 1, 4, tzinfo=UTC)
PREFILL_STATEMENT_ROWS = 200_000
# Each stage (a prefill size, then the half-rate run) books its own years, from a Monday.
STAGE_YEARS = 10
FIRST_STAGE_YEAR = 2040


@dataclass(frozen=True, slots=True)
class Department:
    id: int
    type_id: int | None  # None: the open desk (no type, no hours, no workers)
    workers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Stage:
    prefill: int
    booking: Figures
    bare: Figures


def monday_on_or_after(year: int) -> int:
    day = date(year, 1, 1)
    day += timedelta(days=-day.weekday() % 7)
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def script_arguments(
    department: Department, scenario: str, rate_per_thread: float = 0, quota: int = 0
) -> list[str]:
    """The optional arguments of booking.lua for a scenario (see the script)."""
    pacing = [f"{rate_per_thread:.3f}", str(quota)]
    if department.type_id is None:
        return pacing
    workers = ",".join(map(str, department.workers)) if scenario == "named" else ""
    return [
        *pacing,
        "slots",
        str(department.type_id),
        workers,
        str(len(department.workers)),
        str((CLOSES_AT - OPENS_AT) // SLOT_MINUTES),
        str(OPENS_AT * 60),
        str(SLOT_MINUTES * 60),
        str(WORKING_DAYS),
    ]


# --- setting up through the API ----------------------------------------------------------------


def call(client: httpx.Client, method: str, path: str, body: object) -> dict[str, object]:
    response = client.request(method, f"/api/v1{path}", json=body)
    if response.status_code not in (200, 201):
        raise SystemExit(f"{method} {path} failed: {response.status_code} {response.text}")
    answer: dict[str, object] = response.json()
    return answer


def api_client(port: int, key: str) -> httpx.Client:
    return httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": key}, timeout=30)


def open_desk(port: int, key: str) -> Department:
    with api_client(port, key) as client:
        created = call(
            client, "POST", "/departments", {"name": "Benchmark desk", "alwaysOpen": True}
        )
    return Department(int(str(created["id"])), None, ())


def scheduled_department(
    port: int,
    key: str,
    name: str,
    ranges: Sequence[tuple[str, int, int]],
    policy: dict[str, int] | None = None,
) -> Department:
    """A department in UTC with weekly hours, WORKERS workers following them and a
    SLOT_MINUTES type offered by all of them."""
    with api_client(port, key) as client:
        body: dict[str, object] = {
            "name": name,
            "timeZone": "UTC",
            "slotIntervalMinutes": SLOT_MINUTES,
        }
        if policy:
            body["bookingPolicy"] = policy
        department = int(str(call(client, "POST", "/departments", body)["id"]))
        hours = [
            {
                "weekday": day,
                "start": f"{a // 60:02d}:{a % 60:02d}",
                "end": f"{b // 60:02d}:{b % 60:02d}",
            }
            for day, a, b in ranges
        ]
        call(client, "PUT", f"/departments/{department}/hours", {"ranges": hours})
        workers = tuple(
            int(
                str(
                    call(
                        client,
                        "POST",
                        "/workers",
                        {"name": f"Counter {n + 1}", "departmentIds": [department]},
                    )["id"]
                )
            )
            for n in range(WORKERS)
        )
        kind = call(
            client,
            "POST",
            "/appointment-types",
            {"name": "Visit", "durationMinutes": SLOT_MINUTES, "departmentId": department},
        )
    return Department(department, int(str(kind["id"])), workers)


def weekdays(count: int) -> list[str]:
    return ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"][:count]


def sample_booking(port: int, key: str, department: Department, scenario: str) -> bytes:
    """One booking before the load (it checks the set-up and gives the bare app its answer)."""
    body: dict[str, object] = {
        "departmentId": department.id,
        "dateTime": "2029-06-04T09:00:00",  # a Monday, inside the hours
        "name": "Benchmark Client",
    }
    if department.type_id is not None:
        body["appointmentTypeId"] = department.type_id
    if scenario == "named":
        body["workerId"] = department.workers[0]
    response = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/appointments",
        headers={"X-API-Key": key},
        json=body,
        timeout=30,
    )
    if response.status_code != 201:
        raise SystemExit(f"sample booking failed: {response.status_code} {response.text}")
    return response.content


# --- prefill -----------------------------------------------------------------------------------


def prefill(database_url: str, department: Department, have: int, want: int) -> float:
    """Adds appointments `have` to `want` of the department's prefill in set-based inserts
    (no ledger or history rows: no constraint asks for them); returns the seconds taken.
    Appointment i is worker i % WORKERS's (none for the open desk), SLOT_MINUTES long, back
    to back from PREFILL_FROM, so they never overlap."""
    started = time.monotonic()
    per_time = max(1, len(department.workers))
    worker = "(%(workers)s::int[])[1 + i %% %(per_time)s]" if department.workers else "NULL::int"
    statement = f"""
        INSERT INTO appointment (
            uuid, organization_id, department_id, worker_id, appointment_type_id, name,
            external_user_id, starts_at, ends_at, blocked_from, blocked_until, status,
            qr_token, session_key, created_at, updated_at)
        SELECT gen_random_uuid(), organization_id, %(department)s, {worker}, %(type)s,
            'Prefilled Client', 'prefill-' || i, at, at + slot, at, at + slot, 'SCHEDULED',
            'prefill-' || %(department)s || '-' || i, 'prefill-' || %(department)s || '-' || i,
            now(), now()
        FROM department,
            LATERAL generate_series(%(first)s::bigint, %(last)s::bigint) AS i,
            LATERAL (SELECT make_interval(mins => %(minutes)s) AS slot) AS length,
            LATERAL (SELECT %(start)s::timestamptz + (i / %(per_time)s) * slot AS at) AS starts
        WHERE department.id = %(department)s
    """
    with psycopg.connect(database_url) as conn:
        for first in range(have, want, PREFILL_STATEMENT_ROWS):
            last = min(want, first + PREFILL_STATEMENT_ROWS) - 1
            conn.execute(
                statement,
                {
                    "workers": list(department.workers),
                    "per_time": per_time,
                    "department": department.id,
                    "type": department.type_id,
                    "first": first,
                    "last": last,
                    "minutes": SLOT_MINUTES,
                    "start": PREFILL_FROM,
                },
            )
            conn.commit()
        conn.execute("ANALYZE appointment")
    return time.monotonic() - started


# --- throughput --------------------------------------------------------------------------------


@contextmanager
def slotbook_server(
    database_url: str, processes: int, work: Path
) -> Iterator[tuple[int, int, dict[str, str]]]:
    """`slotbook serve --workers N` on a free port; yields (its pid, its port, environment)."""
    env = {**os.environ, "SLOTBOOK_DATABASE_URL": database_url}
    env.pop("SLOTBOOK_REDIS_URL", None)  # the key's rate limit is out of reach anyway
    port = free_port()
    serve = [
        str(Path(sys.executable).with_name("slotbook")),
        "serve",
        "--port",
        str(port),
        "--workers",
        str(processes),
    ]
    with serving(serve, env, port, work / "slotbook.log") as pid:
        all_started(work / "slotbook.log", processes)
        yield pid, port, env


def all_started(log: Path, processes: int, seconds: float = 180) -> None:
    """Waits until every worker process has started the app (uvicorn logs it at info level):
    the parent listens at once, and a request sent before then waits for a worker, or gives
    one worker all the load while the other is still importing."""
    deadline = time.monotonic() + seconds
    while log.read_text().count("Application startup complete.") < processes:
        if time.monotonic() > deadline:
            print(f"warning: fewer than {processes} processes started in {seconds:.0f} s")
            return
        time.sleep(0.2)


@contextmanager
def bare_server(processes: int, work: Path, body: bytes) -> Iterator[tuple[int, int]]:
    (work / "body.json").write_bytes(body)
    port = free_port()
    command = [
        sys.executable,
        str(BARE_APP),
        "--port",
        str(port),
        "--body",
        str(work / "body.json"),
        "--workers",
        str(processes),
    ]
    with serving(command, dict(os.environ), port, work / "bare.log") as pid:
        all_started(work / "bare.log", processes)
        yield pid, port


def throughput(args: argparse.Namespace) -> int:
    options = Options(
        server_url=args.server_url,
        duration=args.duration,
        connections=args.connections,
        threads=args.threads,
        warmup=args.warmup,
        drain=args.drain,
        blocks=args.blocks,
        show_wrk=args.show_wrk,
    )
    sizes = sorted(set(args.prefill))
    ok = True
    with fresh_database(options.server_url) as database_url, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        key = prepare({**os.environ, "SLOTBOOK_DATABASE_URL": database_url})
        stages: list[Stage] = []
        with ExitStack() as servers:
            pid, port, _ = servers.enter_context(
                slotbook_server(database_url, args.processes, work)
            )
            if args.scenario == "open":
                department = open_desk(port, key)
            else:
                department = scheduled_department(
                    port,
                    key,
                    "Benchmark office",
                    [(d, OPENS_AT, CLOSES_AT) for d in weekdays(WORKING_DAYS)],
                )
            body = sample_booking(port, key, department, args.scenario)
            bare_pid, bare_port = servers.enter_context(bare_server(args.processes, work, body))
            extra = script_arguments(department, args.scenario)
            have = 0
            for stage, size in enumerate(sizes):
                if size > have:
                    seconds = prefill(database_url, department, have, size)
                    print(f"prefill: {size - have:,} appointments in {seconds:.1f} s")
                    have = size
                year = FIRST_STAGE_YEAR + stage * STAGE_YEARS
                before = ledger(database_url)
                created = run_wrk(
                    options,
                    port,
                    key,
                    department.id,
                    options.warmup + options.drain,
                    monday_on_or_after(year),
                    extra,
                ).created
                run_wrk(
                    options, bare_port, key, department.id, options.warmup + options.drain, 0, extra
                )
                booking_runs: list[Figures] = []
                bare_runs: list[Figures] = []
                # Each wrk run sends for its share of --duration, then waits --drain seconds
                # for the answers in flight (every booking made is then counted).
                seconds_each = options.duration // options.blocks + options.drain
                for block in range(options.blocks):
                    first = monday_on_or_after(year + 1 + block)
                    turns = ("booking", "bare") if block % 2 == 0 else ("bare", "booking")
                    for turn in turns:
                        if turn == "booking":
                            run = measure(
                                options,
                                pid,
                                port,
                                key,
                                department.id,
                                seconds_each,
                                first,
                                database_url,
                                extra,
                            )
                            booking_runs.append(run)
                            created += run.load.created
                        else:
                            bare_runs.append(
                                measure(
                                    options,
                                    bare_pid,
                                    bare_port,
                                    key,
                                    department.id,
                                    seconds_each,
                                    first,
                                    None,
                                    extra,
                                )
                            )
                stages.append(Stage(size, pooled_figures(booking_runs), pooled_figures(bare_runs)))
                ok = check(created, before, ledger(database_url)) and ok
            half = None
            if args.half_rate:
                peak = max(stage.booking.load.rate for stage in stages)
                year = FIRST_STAGE_YEAR + len(sizes) * STAGE_YEARS
                before = ledger(database_url)
                paced = script_arguments(department, args.scenario, peak / 2 / options.threads)
                half = measure(
                    options,
                    pid,
                    port,
                    key,
                    department.id,
                    options.duration // options.blocks + options.drain,
                    monday_on_or_after(year),
                    database_url,
                    paced,
                )
                ok = check(half.load.created, before, ledger(database_url)) and ok
        report_throughput(args, options, stages, half)
    return 0 if ok else 1


def report_throughput(
    args: argparse.Namespace, options: Options, stages: list[Stage], half: Figures | None
) -> None:
    print(
        f"\nscenario {args.scenario}: POST /api/v1/appointments, {args.processes} server "
        f"process(es) and the bare app with as many, {options.connections} connections, "
        f"{options.duration} s per server and prefill size in {options.blocks} alternating "
        f"turns, wrk {options.threads} thread(s), {os.cpu_count()} CPUs"
    )
    print(
        f"{'prefill':>10}{'bookings/s':>12}{'bare/s':>9}{'share':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'CPU µs/bk':>11}{'PG µs/bk':>10}{'growth':>8}{'non-201':>9}{'errors':>8}"
    )
    base = stages[0].booking
    summary = []
    for stage in stages:
        booking, bare = stage.booking, stage.bare
        share = booking.load.rate / bare.load.rate if bare.load.rate else float("nan")
        # Cost growth: CPU per booking (server and database) against the smallest table.
        cost = booking.cpu_us_per_request + (booking.database_cpu_us_per_request or 0)
        base_cost = base.cpu_us_per_request + (base.database_cpu_us_per_request or 0)
        print(
            f"{stage.prefill:>10,}{booking.load.rate:>12,.0f}{bare.load.rate:>9,.0f}{share:>8.1%}"
            f"{booking.load.p50_ms:>9.2f}{booking.load.p99_ms:>9.2f}"
            f"{booking.cpu_us_per_request:>11,.0f}{booking.database_cpu_us_per_request:>10,.0f}"
            f"{cost / base_cost:>8.2f}{booking.load.other:>9,}"
            f"{booking.load.socket_errors + booking.load.timeouts:>8,}"
        )
        if booking.load.unexpected:
            print(f"{'':10}first non-201 answer: {booking.load.unexpected}")
        summary.append(
            {
                "prefill": stage.prefill,
                "booking_rps": round(booking.load.rate),
                "bare_rps": round(bare.load.rate),
                "share": round(share, 4),
                "p50_ms": booking.load.p50_ms,
                "p99_ms": booking.load.p99_ms,
                "cost_growth": round(cost / base_cost, 3),
            }
        )
    line: dict[str, object] = {
        "scenario": args.scenario,
        "processes": args.processes,
        "stages": summary,
    }
    if half is not None:
        load = half.load
        print(
            f"at half the peak rate: {load.rate:,.0f} bookings/s, p50 {load.p50_ms:.2f} ms, "
            f"p99 {load.p99_ms:.2f} ms, non-201 {load.other:,}"
        )
        line["half_rate"] = {"rps": round(load.rate), "p50_ms": load.p50_ms, "p99_ms": load.p99_ms}
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (other work on the machine)")
    print(f"summary {json.dumps(line)}")


# --- flash crowd -------------------------------------------------------------------------------


def flash(args: argparse.Namespace) -> int:
    if args.slots % WORKERS or args.clients % (args.slots // WORKERS):
        raise SystemExit(
            f"--slots must be a multiple of {WORKERS}, --clients of --slots / {WORKERS}"
        )
    starts = args.slots // WORKERS  # start times of the day, each with WORKERS free workers
    # Tomorrow is the only bookable day (maxAdvanceDays, and hours on its weekday only), so
    # the department has exactly --slots free slots.
    day = datetime.now(UTC).date() + timedelta(days=1)
    options = Options(
        server_url=args.server_url,
        duration=args.seconds,
        connections=args.clients,
        threads=args.threads,
        warmup=0,
        drain=1,
        blocks=1,
        show_wrk=args.show_wrk,
    )
    with fresh_database(options.server_url) as database_url, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        key = prepare({**os.environ, "SLOTBOOK_DATABASE_URL": database_url})
        with slotbook_server(database_url, args.processes, work) as (_, port, _):
            weekday = weekdays(7)[day.weekday()]
            department = scheduled_department(
                port,
                key,
                "Flash office",
                [(weekday, OPENS_AT, OPENS_AT + starts * SLOT_MINUTES)],
                {"maxAdvanceDays": 3},
            )
            free_before = free_slots(port, key, department, day)
            before = ledger(database_url)
            first = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
            # Each client asks for one of the day's start times: clients / starts per time.
            per_time = args.clients // starts
            extra = [
                "0",
                str(args.clients // args.threads),
                "slots",
                str(department.type_id),
                "",
                str(per_time),
                str(starts),
                str(OPENS_AT * 60),
                str(SLOT_MINUTES * 60),
                "7",
            ]
            load = run_wrk(
                options, port, key, department.id, args.seconds, first, extra, timeout=args.seconds
            )
            free_after = free_slots(port, key, department, day)
            statuses = answered_statuses(database_url, department)
            after = ledger(database_url)
    answered = load.created + load.other
    print(
        f"\nflash crowd: {args.clients} clients at once on {args.processes} server process(es), "
        f"auto-assigned, {args.slots} free slots ({starts} start times x {WORKERS} workers) on "
        f"{day}; free slots before {free_before}"
    )
    print(
        f"201: {load.created}  other: {load.other}  unanswered: {args.clients - answered}  "
        f"socket errors/timeouts: {load.socket_errors}/{load.timeouts}"
    )
    print(
        f"p50 {load.p50_ms:.1f} ms  p99 {load.p99_ms:.1f} ms  "
        f"(the crowd answered in {load.seconds:.2f} s)"
    )
    print(f"free slots after: {free_after}; active appointments per start time: {dict(statuses)}")
    ok = (
        free_before == args.slots
        and load.created == args.slots
        and answered == args.clients
        and free_after == 0
        and all(count == WORKERS for count in statuses.values())
        and len(statuses) == starts
    )
    print(f"409: {load.conflicts}")
    ok = ok and load.conflicts == load.other
    if load.unexpected:
        print(f"first non-201 answer (other than 409 if any): {load.unexpected}")
    ok = check(load.created, before, after) and ok
    print(f"flash crowd: {'OK' if ok else 'FAILED'}")
    print(
        "summary "
        + json.dumps(
            {
                "clients": args.clients,
                "slots": args.slots,
                "created": load.created,
                "other": load.other,
                "p99_ms": load.p99_ms,
                "free_after": free_after,
            }
        )
    )
    return 0 if ok else 1


def free_slots(port: int, key: str, department: Department, day: date) -> int:
    """The places left on the department's slot list over the next week."""
    response = httpx.get(
        f"http://127.0.0.1:{port}/api/v1/appointments/available-slots",
        headers={"X-API-Key": key},
        params={
            "departmentId": department.id,
            "appointmentTypeId": department.type_id,
            "startDate": (day - timedelta(days=1)).isoformat(),
            "endDate": (day + timedelta(days=6)).isoformat(),
        },
        timeout=30,
    )
    if response.status_code != 200:
        raise SystemExit(f"free slots failed: {response.status_code} {response.text}")
    return sum(int(slot["remaining"]) for slot in response.json()["slots"])


def answered_statuses(database_url: str, department: Department) -> Counter[str]:
    """Active appointments of the department by start time."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT starts_at, count(*) FROM appointment WHERE department_id = %s"
            " AND status IN ('SCHEDULED', 'CONFIRMED', 'CHECKED_IN') GROUP BY starts_at",
            (department.id,),
        ).fetchall()
    return Counter({row[0].strftime("%H:%M"): int(row[1]) for row in rows})


# --- options -----------------------------------------------------------------------------------


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part]


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server-url",
        default="postgresql://postgres@127.0.0.1:5432",
        help="PostgreSQL server on a loopback address (a database is created and dropped)",
    )
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2, 3, 4))
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--show-wrk", action="store_true", help="print wrk's own reports")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("throughput", help="bookings/s of a scenario, share of the bare app")
    load.add_argument("--scenario", choices=SCENARIOS, default="named")
    load.add_argument(
        "--prefill",
        type=sizes,
        default=[0],
        help="comma-separated sizes of the department's existing appointments, measured in "
        "turn (e.g. 0,10000,1000000)",
    )
    load.add_argument("--duration", type=int, default=8, help="seconds of load per server and size")
    load.add_argument("--connections", type=int, default=16)
    load.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load")
    load.add_argument(
        "--drain",
        type=int,
        default=3,
        help="seconds each run waits, after sending, for the answers in flight (more than the "
        "slowest answer, or the check in SQL finds bookings no answer counted)",
    )
    load.add_argument("--blocks", type=int, default=2, help="alternating turns per server")
    load.add_argument(
        "--half-rate", action="store_true", help="then book at half the peak rate (latency)"
    )
    crowd = commands.add_parser("flash", help="a crowd of clients for the last free slots")
    crowd.add_argument("--clients", type=int, default=1000)
    crowd.add_argument("--slots", type=int, default=200)
    crowd.add_argument("--seconds", type=int, default=60, help="how long the crowd may take")
    args = parser.parse_args(argv)
    host = make_url(args.server_url).host or ""
    if host not in LOOPBACK:
        parser.error(f"--server-url must be on a loopback address, not {host!r}")
    if args.command == "throughput":
        if args.duration // args.blocks < 1 or args.warmup < 1 or args.drain < 1:
            parser.error("--duration / --blocks, --warmup and --drain must be 1 s or more")
        if not 1 <= args.threads <= args.connections:
            parser.error("--threads must be between 1 and --connections")
    elif args.clients % args.threads:
        parser.error("--clients must be a multiple of --threads")
    return args


def main() -> int:
    args = parse()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    return throughput(args) if args.command == "throughput" else flash(args)


if __name__ == "__main__":
    sys.exit(main())
