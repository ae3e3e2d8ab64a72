"""Runs the date-sensitive tests as if the machine's clock and time zone were set to moments
that break date assumptions: a month with an accent, the end of February, a year end, leap
day, weekends and the days clocks change in Europe and America.

Every Python process of the run (the test runner, and the servers and commands the browser
tests start) is moved to the moment by `tests/travel/sitecustomize.py` with time-machine, and
the machine's time zone is set with TZ; the application is not told. (libfaketime, Debian's
`faketime`, was tried first: with a faked monotonic clock Python's timed waits never end, and
without one its `clock_nanosleep` fails every `time.sleep`.) The browser keeps the real date,
which the pages do not read. SQLite only: the application takes every "now" from Python, never
from the database, so the PostgreSQL half adds nothing here but time.

    python -m tests.on_dates                   # every moment
    python -m tests.on_dates --moment leap-day  # one of them
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Moment:
    name: str
    utc: datetime
    zone: str  # the machine's time zone (TZ)
    why: str
    # The browser tests too (see BROWSER_PATHS): at half of the moments, for time.
    browser: bool = False

    def paths(self) -> tuple[str, ...]:
        return PATHS + BROWSER_PATHS if self.browser else PATHS


MOMENTS = (
    Moment(
        "february-end",
        datetime(2027, 2, 28, 23, 30, tzinfo=UTC),
        "Europe/Paris",
        "a Sunday, the last day of February in UTC and already 1 March (a Monday) in Paris",
    ),
    Moment(
        "europe-dst",
        datetime(2027, 3, 28, 0, 30, tzinfo=UTC),
        "Europe/Paris",
        "Paris skips 02:00-03:00 half an hour later; a Sunday",
        browser=True,
    ),
    Moment(
        "august",
        datetime(2027, 8, 16, 21, 45, tzinfo=UTC),
        "Africa/Conakry",
        "'août' has an accent; late on a Monday",
        browser=True,
    ),
    Moment(
        "america-dst",
        datetime(2027, 11, 7, 5, 30, tzinfo=UTC),
        "America/New_York",
        "New York repeats 01:00-02:00 half an hour later; a Sunday",
    ),
    Moment(
        "year-end",
        datetime(2027, 12, 31, 23, 30, tzinfo=UTC),
        "Pacific/Auckland",
        "'décembre'; 31 December in UTC, already 2028 in Auckland; a Friday",
        browser=True,
    ),
    Moment(
        "leap-day",
        datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
        "America/Los_Angeles",
        "29 February; a Tuesday",
    ),
)

# Scheduling, listing, the calendar, the desk and the booking page: API, dashboard and browser
# tests, and the dialects and SDK calls that book "N days ahead". The domain's unit tests are
# not here: the domain is pure, "now" is one of its parameters, so they cannot read the date.
PATHS = (
    "tests/api/test_scheduling.py",
    "tests/api/test_booking_rules.py",
    "tests/api/test_busy_times.py",
    "tests/api/test_listing.py",
    "tests/api/test_series.py",
    "tests/api/test_transitions.py",
    "tests/api/test_lifecycle_on_schedule.py",
    "tests/api/test_calendar.py",
    "tests/api/test_clients.py",
    "tests/api/test_waitlist.py",
    "tests/compat",
    "tests/sdk/test_scheduling.py",
    "tests/sdk/test_schedule_admin.py",
    "tests/sdk/test_lifecycle.py",
    "tests/web",
)
# The same pages in a real browser: much slower (a server and Chromium per run), and what they
# add to tests/web is the pages' scripts, which read no date of their own; so at the moments
# with a DST change, month names with accents and a year end only (`browser=True`).
BROWSER_PATHS = (
    "tests/e2e/test_public_booking.py",
    "tests/e2e/test_desk.py",
    "tests/e2e/test_admin_pages.py",
    "tests/e2e/test_front_desk.py",
)


def run(moment: Moment, paths: tuple[str, ...], extra: list[str]) -> tuple[int, str]:
    """The tests at `moment`: pytest's exit status and what it printed."""
    travel = str(Path(__file__).parent / "travel")
    env = dict(
        os.environ,
        TZ=moment.zone,
        SLOTBOOK_TEST_CLOCK_OFFSET=str(moment.utc.timestamp() - time.time()),
        PYTHONPATH=os.pathsep.join(p for p in (travel, os.environ.get("PYTHONPATH")) if p),
    )
    env.pop("SLOTBOOK_TEST_DATABASE_URL", None)  # SQLite only, see above
    env.pop("SLOTBOOK_REQUIRE_POSTGRES", None)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:time_machine",  # started by sitecustomize already
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        "-k",
        "not postgresql",
        *paths,
        *extra,
    ]
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    report = (
        f"== {moment.name}: {moment.utc:%Y-%m-%d %H:%M} UTC, TZ={moment.zone} ({moment.why})\n"
        f"{done.stdout}{done.stderr}"
        f"== {moment.name}: exit {done.returncode} in {time.monotonic() - started:.0f} s\n"
    )
    return done.returncode, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moment", action="append", choices=[m.name for m in MOMENTS])
    parser.add_argument(
        "--jobs",
        type=int,
        default=3,
        # A moment's run waits on servers and browsers a third of its time (8m50s of wall
        # clock for 10m44s of CPU with 2 jobs on 2 cores).
        help="moments run side by side (default 3)",
    )
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args()
    chosen = [m for m in MOMENTS if not args.moment or m.name in args.moment]
    failed = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = {pool.submit(run, m, m.paths(), args.pytest_args): m for m in chosen}
        for finished in as_completed(runs):
            code, report = finished.result()
            print(report, flush=True)
            if code != 0:
                failed.append(runs[finished].name)
    if failed:
        sys.exit(f"dates: the tests failed on {', '.join(sorted(failed))}")
    print(f"dates: the tests held on all {len(chosen)} moments")


if __name__ == "__main__":
    main()
