"""An organization's branding (accent color and logo): set by an owner, shown on its public
booking page and in its e-mails."""

from __future__ import annotations

from dataclasses import dataclass

from slotbook.application.access import Principal, Scope, require
from slotbook.application.ports import Services
from slotbook.domain.branding import Branding, Logo, accent_color, logo_type
from slotbook.domain.errors import DepartmentNotFound


@dataclass(frozen=True, slots=True)
class BrandingChange:
    """What the owner sent; a field left None stays as it is."""

    accent_color: str | None = None  # "" removes it
    logo: bytes | None = None  # a new image
    remove_logo: bool = False


async def organization_branding(services: Services, principal: Principal) -> Branding:
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await uow.organization.branding()


async def organization_logo(services: Services, principal: Principal) -> Logo | None:
    require(principal, Scope.ADMIN)
    async with services.uow(principal.organization_id, write=False) as uow:
        return await uow.organization.logo()


async def change_branding(
    services: Services, principal: Principal, change: BrandingChange
) -> Branding:
    """Check everything first (a refused color or image changes nothing), then write."""
    require(principal, Scope.ADMIN)
    color = accent_color(change.accent_color) if change.accent_color else None
    logo = Logo(change.logo, logo_type(change.logo)) if change.logo is not None else None
    async with services.uow(principal.organization_id, write=True) as uow:
        if change.accent_color is not None:
            await uow.organization.set_accent_color(color)
        if logo is not None or change.remove_logo:
            await uow.organization.set_logo(logo)
        branding = await uow.organization.branding()
        await uow.commit()
    return branding


async def department_logo(services: Services, department_id: int) -> Logo | None:
    """The logo a department's public pages show (its organization's); no login needed, as
    the pages that show it."""
    organization_id = await services.registry.owner_of_department(department_id)
    if organization_id is None:
        raise DepartmentNotFound(department_id)
    async with services.uow(organization_id, write=False) as uow:
        return await uow.organization.logo()
