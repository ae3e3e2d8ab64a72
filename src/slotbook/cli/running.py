"""What every command shares: running one use case, and how schedules are printed."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

import typer
from typer import rich_utils

from slotbook.application.access import Principal
from slotbook.application.organizations import operator_for
from slotbook.application.ports import Services
from slotbook.bootstrap import Container, build
from slotbook.config import get_settings
from slotbook.domain.errors import DomainError
from slotbook.domain.schedules import WEEKDAYS, DailyRange, clock_text

T = TypeVar("T")

# Help is laid out for the terminal, and for 120 columns when there is none (a pipe, CI):
# rich's own fallback, 80, cut option defaults and descriptions short. TERMINAL_WIDTH, when
# set, still wins.
if rich_utils.MAX_WIDTH is None:
    rich_utils.MAX_WIDTH = shutil.get_terminal_size(fallback=(120, 24)).columns

HELP_SETTINGS = {"max_content_width": 120}


def run(work: Callable[[Container], Awaitable[T]]) -> T:
    """Run one use case with a fresh container; domain errors go to stderr with exit status 1."""

    async def main() -> T:
        container = build(get_settings())
        try:
            return await work(container)
        finally:
            await container.aclose()

    try:
        return asyncio.run(main())
    except DomainError as error:
        typer.echo(f"error: {error.code}: {error.message}", err=True)
        raise typer.Exit(1) from None


def run_for(organization_id: int, use: Callable[[Services, Principal], Awaitable[T]]) -> T:
    """Run a use case as the administrator of an existing organization."""

    async def work(container: Container) -> T:
        principal = await operator_for(container.services, organization_id)
        return await use(container.services, principal)

    return run(work)


def week_text(ranges: Iterable[DailyRange]) -> str:
    """`MONDAY 09:00-12:00 13:00-17:00; TUESDAY ...`, or `none` without ranges."""
    days: dict[int, list[str]] = {}
    for r in sorted(ranges):
        days.setdefault(r.weekday, []).append(
            f"{clock_text(r.start_minute)}-{clock_text(r.end_minute)}"
        )
    if not days:
        return "none"
    return "; ".join(f"{WEEKDAYS[day]} {' '.join(spans)}" for day, spans in days.items())
