"""Mounting the dashboard on the FastAPI application: its routers and its static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from slotbook.web.routers import (
    api_keys,
    appointment_types,
    appointments,
    auth,
    booking,
    booking_links,
    branding,
    calendar,
    check_in,
    clients,
    credits,
    departments,
    desk_booking,
    home,
    waitlist,
    webhooks,
    workers,
)

STATIC = Path(__file__).with_name("static")


def mount(app: FastAPI) -> None:
    """Dashboard pages under /dashboard (session login, not API keys), files under /static."""
    for module in (
        auth,
        home,
        credits,
        api_keys,
        branding,
        calendar,
        desk_booking,
        appointments,
        check_in,
        clients,
        webhooks,
        waitlist,  # before booking: /book/waitlist/{token} is not a department's page
        booking,
        booking_links,
        departments,
        workers,
        appointment_types,
    ):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
