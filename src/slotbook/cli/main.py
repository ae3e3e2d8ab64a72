"""`slotbook`: serve, migrate, demo data, and tenant administration."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from slotbook.application import credits as credit_cases
from slotbook.application import demo as demo_cases
from slotbook.application import organizations as org_cases
from slotbook.application import setup as setup_cases
from slotbook.application import transitions as transition_cases
from slotbook.application import users as user_cases
from slotbook.application import waitlist as waitlist_cases
from slotbook.application.access import READ_ONLY_SCOPES, parse_scopes
from slotbook.bootstrap import Container, build
from slotbook.cli.running import HELP_SETTINGS, run, run_for
from slotbook.cli.schedule import department_app, hours_app, staff_app, type_app
from slotbook.cli.setup_file import FILE_NAMES, read_setup
from slotbook.config import get_settings
from slotbook.domain.users import Role
from slotbook.infra.db.migrate import upgrade

HOUSEKEEPING_INTERVAL = 300.0  # seconds between purges of expired records
# Seconds between waitlist sweeps: a lapsed offer passes on within this of its expiry (the
# promise is 60 s; a pass over a backlog takes a transaction per offer).
WAITLIST_INTERVAL = 15.0

app = typer.Typer(
    help="Slotbook: an open-source appointment-booking API.",
    no_args_is_help=True,
    context_settings=HELP_SETTINGS,
)
organization_app = typer.Typer(
    help="Organizations (tenants).", no_args_is_help=True, context_settings=HELP_SETTINGS
)
apikey_app = typer.Typer(
    help="API keys: create, list, revoke.", no_args_is_help=True, context_settings=HELP_SETTINGS
)
credits_app = typer.Typer(help="Credits.", no_args_is_help=True, context_settings=HELP_SETTINGS)
user_app = typer.Typer(
    help="Dashboard users.", no_args_is_help=True, context_settings=HELP_SETTINGS
)
app.add_typer(organization_app, name="organization")
app.add_typer(department_app, name="department")
app.add_typer(hours_app, name="hours")
app.add_typer(staff_app, name="staff")
app.add_typer(type_app, name="appointment-type")
app.add_typer(apikey_app, name="apikey")
app.add_typer(credits_app, name="credits")
app.add_typer(user_app, name="user")


WORKER_START_SECONDS = 60


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (use Redis when > 1)")] = 1,
    worker_start_timeout: Annotated[
        int,
        typer.Option(
            help="Seconds a server process may take to start or answer the supervisor before "
            "it is replaced (with --workers > 1; a busy machine needs more than uvicorn's 5)"
        ),
    ] = WORKER_START_SECONDS,
    access_log: Annotated[
        bool, typer.Option(help="One JSON line per request (docs/observability.md)")
    ] = True,
) -> None:
    """Serve the API, its docs (/docs) and health probes."""
    import uvicorn

    from slotbook.infra.logs import logging_config

    settings = get_settings()
    if workers > 1 and not settings.redis_url:
        typer.echo(
            "warning: several workers without SLOTBOOK_REDIS_URL count rate limits per process",
            err=True,
        )
    if workers > 1:
        _prepare_multiprocess_metrics()
    config = logging_config(settings.log_level, settings.log_format)
    if not access_log:
        config["loggers"]["slotbook.access"] = {"level": "WARNING"}
    uvicorn.run(
        "slotbook.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=worker_start_timeout,
        access_log=False,  # the app writes its own access line
        log_config=config,
        log_level=settings.log_level,
        # The app applies SLOTBOOK_TRUSTED_PROXIES itself (api/app.py); uvicorn's default would
        # believe X-Forwarded-For from 127.0.0.1 whatever the configuration says.
        proxy_headers=False,
    )


def _prepare_multiprocess_metrics() -> None:
    """Server processes count their metrics in files of one directory, which a scrape adds
    up (prometheus-client's multiprocess mode). PROMETHEUS_MULTIPROC_DIR, or a new temporary
    one; emptied first, since what it holds belongs to processes that are gone."""
    import os
    import tempfile
    from pathlib import Path

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="slotbook-metrics-")


@app.command()
def worker() -> None:
    """Deliver webhooks, send reminders (and run the background jobs) until stopped with
    Ctrl-C or SIGTERM.

    Run several on PostgreSQL to share the load; run one on SQLite."""
    import logging
    import signal

    from slotbook.bootstrap import delivery_worker, reminder_worker, waitlist_notifier
    from slotbook.infra.logs import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)

    async def main() -> None:
        container = build(settings)
        deliveries = delivery_worker(container)
        reminders = reminder_worker(container)
        notifier = waitlist_notifier(container)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        typer.echo("worker started", err=True)

        async def housekeeping() -> None:
            # Stored Idempotency-Key responses past their retention.
            while not stop.is_set():
                try:
                    await container.idempotency.purge(container.services.clock.now())
                except Exception:
                    logging.getLogger("slotbook.worker").exception("housekeeping failed")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), HOUSEKEEPING_INTERVAL)

        async def waitlist() -> None:
            # Lapsed offers pass on, passed entries expire (one transaction each: a worker
            # killed mid-pass leaves the rest due for the next pass, or another worker).
            while not stop.is_set():
                try:
                    await waitlist_cases.sweep_waitlist(container.services)
                    await notifier.run_once()  # the offers just made, and any others untold
                except Exception:
                    logging.getLogger("slotbook.worker").exception("waitlist sweep failed")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), WAITLIST_INTERVAL)

        try:
            await asyncio.gather(
                deliveries.run(stop),
                reminders.run(stop, settings.reminder_interval),
                housekeeping(),
                waitlist(),
            )
        finally:
            await deliveries.aclose()
            await container.aclose()
        typer.echo("worker stopped", err=True)

    try:
        # uvloop (from uvicorn[standard], which `serve` runs on too): the worker's requests
        # and round trips cost it less CPU than on asyncio's loop (0.36 against 0.42 ms per
        # delivery, docs/benchmarks.md).
        import uvloop
    except ImportError:  # not built for this platform (Windows)
        asyncio.run(main())
    else:
        uvloop.run(main())


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic)."""
    url = get_settings().database_url
    upgrade(url)
    typer.echo("database is up to date")


@app.command()
def demo() -> None:
    """Load the demo organization (idempotent) and print a new all-scopes API key last."""
    result = run(lambda c: demo_cases.load_demo(c.services))
    if result.created:
        typer.echo("Loaded demo data: organization 1 'Ministry of Interior'")
        typer.echo("  departments 5 Passport Service, 8 ID Card Service,")
        typer.echo("  9 Residence Permits (showAdminsInBooking=true); workers 42, 43, 44")
        typer.echo("  with working hours, appointment types and a few bookings next Monday")
    else:
        typer.echo("Demo data already present; issued another API key")
    typer.echo("Dashboard logins (open /dashboard on the server):")
    for email, password, role in result.logins:
        typer.echo(f"  {role.value}: {email} / {password}")
    typer.echo("API key (shown once, all scopes):")
    typer.echo(result.api_key.key)


@organization_app.command("create")
def organization_create(
    name: Annotated[str, typer.Option(help="Organization name")],
    credits: Annotated[int, typer.Option(help="Initial credits")] = 0,
    timezone: Annotated[str, typer.Option(help="IANA time zone")] = "UTC",
) -> None:
    """Create an organization; prints its id last."""
    organization = run(lambda c: org_cases.create_organization(c.services, name, credits, timezone))
    typer.echo(f"Created organization {organization.name!r} with {credits} credits")
    typer.echo(organization.id)


@apikey_app.command("create")
def apikey_create(
    organization: Annotated[int, typer.Option(help="Organization id")],
    scopes: Annotated[
        str,
        typer.Option(help="Comma-separated scopes; admin sets the organization up"),
    ] = ",".join(sorted(READ_ONLY_SCOPES)),
    name: Annotated[str, typer.Option(help="A label for the key")] = "default",
    rate_limit: Annotated[int, typer.Option(help="Requests per hour")] = (
        org_cases.DEFAULT_RATE_LIMIT_PER_HOUR
    ),
) -> None:
    """Create an API key; prints the key (shown only this once) last."""

    async def work(c: Container) -> org_cases.IssuedApiKey:
        return await org_cases.create_api_key(
            c.services, organization, parse_scopes(scopes), name, rate_limit
        )

    issued = run(work)
    typer.echo(
        f"Created key {issued.stored.prefix}… scopes: {','.join(sorted(issued.stored.scopes))}"
    )
    typer.echo(issued.key)


@apikey_app.command("list")
def apikey_list(
    organization: Annotated[int, typer.Option(help="Organization id", show_default=False)],
) -> None:
    """The organization's keys, newest first: id, prefix, name, scopes, use and revocation
    (never the key itself)."""
    keys = run_for(organization, org_cases.list_api_keys)
    for key in keys:
        used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "never"
        state = (
            f"revoked {key.revoked_at.isoformat(timespec='seconds')}"
            if key.revoked_at
            else "active"
        )
        typer.echo(
            f"{key.id} {key.prefix}… {key.name!r} scopes: {','.join(sorted(key.scopes))}; "
            f"last used: {used}; {state}"
        )


@apikey_app.command("revoke")
def apikey_revoke(
    organization: Annotated[int, typer.Option(help="Organization id", show_default=False)],
    key: Annotated[int, typer.Option(help="Key id (see apikey list)", show_default=False)],
) -> None:
    """Revoke a key for good (every running server refuses it from its next request); prints
    its id last."""
    revoked = run_for(organization, lambda s, p: org_cases.revoke_api_key(s, p, key))
    typer.echo(f"Revoked key {revoked.id} {revoked.prefix}… {revoked.name!r}")
    typer.echo(revoked.id)


@app.command()
def apply(
    file: Annotated[
        Path,
        typer.Argument(help="The YAML description (see examples/clinic.yaml)", show_default=False),
    ],
    organization: Annotated[
        int | None,
        typer.Option(help="Organization id (default: the one named in the file, or a new one)"),
    ] = None,
) -> None:
    """Bring an organization to what FILE describes: departments with their time zone,
    interval, capacity and hours, staff, appointment types. Things are matched by name; what
    is missing is created, what differs updated, the rest left; applying twice changes
    nothing the second time. Prints what it did, the organization's id last."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        typer.echo(f"error: cannot read {file}: {error.strerror}", err=True)
        raise typer.Exit(1) from None

    async def work(c: Container) -> list[setup_cases.Change]:
        plan = read_setup(text).plan()
        return await setup_cases.apply_plan(c.services, plan, organization)

    changes = run(work)
    for change in changes:
        fields = ", ".join(FILE_NAMES.get(f, f) for f in change.fields)
        typer.echo(
            f"{change.action} {change.kind} {change.id} {change.name!r}"
            + (f": {fields}" if fields else "")
        )
    counts = Counter(change.action for change in changes)
    typer.echo(
        f"{counts['created']} created, {counts['updated']} updated, "
        f"{counts['left']} left as they were"
    )
    typer.echo(changes[0].id)


@credits_app.command("add")
def credits_add(
    organization: Annotated[int, typer.Option(help="Organization id")],
    amount: Annotated[int, typer.Option(help="Credits to add (negative to correct)")],
) -> None:
    """Add credits (or remove them, never below zero); prints the new balance last."""
    balance = run(lambda c: credit_cases.add_credits(c.services, organization, amount))
    typer.echo(balance)


@user_app.command("create")
def user_create(
    organization: Annotated[int, typer.Option(help="Organization id")],
    email: Annotated[str, typer.Option(help="Login e-mail")],
    role: Annotated[Role, typer.Option(help="owner (everything) or staff (calendar, check-in)")],
    password: Annotated[
        str | None,
        typer.Option(help="The password (prompted for, hidden, when not given)"),
    ] = None,
) -> None:
    """Create a dashboard user; prints the user's id last."""
    secret = password
    if secret is None:
        secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = run(lambda c: user_cases.create_user(c.services, organization, email, str(secret), role))
    typer.echo(f"Created {user.role.value} {user.email} in organization {user.organization_id}")
    typer.echo(user.id)


@app.command()
def sweep(
    grace_minutes: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=10_080,
            metavar="MIN",
            help="Minutes after the start before a no-show "
            "(default: SLOTBOOK_NO_SHOW_GRACE_MINUTES)",
        ),
    ] = None,
) -> None:
    """Mark past unattended appointments MISSED and pass lapsed waitlist offers on; prints how
    many appointments were marked last. Run it every few minutes (cron, a systemd timer);
    `slotbook worker` passes waitlist offers on by itself."""
    minutes = grace_minutes if grace_minutes is not None else get_settings().no_show_grace_minutes
    marked = run(lambda c: transition_cases.sweep_no_shows(c.services, timedelta(minutes=minutes)))
    typer.echo(f"Marked {marked} appointment(s) as MISSED (grace {minutes} min)")
    swept = run(lambda c: waitlist_cases.sweep_waitlist(c.services))
    typer.echo(
        f"Waitlist: {swept.offers_lapsed} lapsed offer(s) passed on, "
        f"{swept.entries_expired} entr(y/ies) expired"
    )
    typer.echo(marked)


@department_app.command("no-show-rule")
def department_no_show_rule(
    department: Annotated[int, typer.Option(help="Department id")],
    limit: Annotated[
        int | None, typer.Option(help="No-shows that block new bookings (omit: no limit)")
    ] = None,
    window_days: Annotated[int, typer.Option(help="Days the no-shows are counted over")] = 90,
) -> None:
    """Refuse bookings (TOO_MANY_NO_SHOWS) of clients with LIMIT no-shows in WINDOW days."""
    run(lambda c: org_cases.set_no_show_rule(c.services, department, limit, window_days))
    typer.echo(
        f"Department {department}: "
        + (f"at most {limit} no-shows in {window_days} days" if limit else "no no-show limit")
    )


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
