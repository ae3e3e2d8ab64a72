"""Demo data reproducing the moncreneau documents' examples, dashboard logins, a fresh key."""

from __future__ import annotations

from dataclasses import dataclass

from slotbook.application.access import Principal
from slotbook.application.demo_schedule import load_demo_schedule
from slotbook.application.organizations import (
    IssuedApiKey,
    create_api_key,
    create_department,
    create_organization,
    create_worker,
)
from slotbook.application.ports import Services
from slotbook.application.users import create_user
from slotbook.domain.users import Role

DEMO_ORGANIZATION_ID = 1

# Known on purpose: the demo is for trying Slotbook on one's own machine, never for production.
DEMO_LOGINS: tuple[tuple[str, str, Role], ...] = (
    ("owner@example.org", "demo-owner-password", Role.OWNER),
    ("staff@example.org", "demo-staff-password", Role.STAFF),
)


@dataclass(frozen=True, slots=True)
class DemoResult:
    created: bool  # False when the demo organization already existed
    api_key: IssuedApiKey
    logins: tuple[tuple[str, str, Role], ...] = DEMO_LOGINS


async def load_demo(services: Services, credits: int = 100) -> DemoResult:
    """Organization 1 "Ministry of Interior" with the seeds' departments 5 and 8, worker 42.

    Running it again keeps the data and only issues another key, so `make run` can call it on
    every start.
    """
    created = await services.registry.get_organization(DEMO_ORGANIZATION_ID) is None
    if created:
        await create_organization(
            services,
            "Ministry of Interior",
            credits=credits,
            time_zone="Africa/Conakry",
            organization_id=DEMO_ORGANIZATION_ID,
        )
        org = DEMO_ORGANIZATION_ID
        await create_department(services, org, "Passport Service", "Passport issuance", False, 5)
        await create_department(
            services, org, "ID Card Service", "National ID card issuance", False, 8
        )
        await create_department(
            services,
            org,
            "Residence Permits",
            "Residence permit interviews with a named officer",
            True,
            9,
        )
        await create_worker(services, org, "Mariama Bah", [5], 42)
        await create_worker(services, org, "Ibrahima Sow", [5, 9], 43)
        await create_worker(services, org, "Aissatou Barry", [9], 44)
    for email, password, role in DEMO_LOGINS:
        # Also for a demo database made before dashboard users existed.
        if await services.registry.find_user_by_email(email) is None:
            await create_user(services, DEMO_ORGANIZATION_ID, email, password, role)
    key = await create_api_key(services, DEMO_ORGANIZATION_ID, name="demo")
    if created:
        stored = key.stored
        admin = Principal(stored.organization_id, stored.id, stored.scopes, 10**6)
        await load_demo_schedule(services, admin)
    return DemoResult(created, key)
