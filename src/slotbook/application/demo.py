"""Demo data reproducing the moncreneau documents' examples, and a fresh all-scopes key."""

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

DEMO_ORGANIZATION_ID = 1


@dataclass(frozen=True, slots=True)
class DemoResult:
    created: bool  # False when the demo organization already existed
    api_key: IssuedApiKey


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
    key = await create_api_key(services, DEMO_ORGANIZATION_ID, name="demo")
    if created:
        stored = key.stored
        admin = Principal(stored.organization_id, stored.id, stored.scopes, 10**6)
        await load_demo_schedule(services, admin)
    return DemoResult(created, key)
