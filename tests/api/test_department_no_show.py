"""A department's settings and its no-show rule change in one use case that takes a principal
(what the dashboard's department form calls): scoped to the caller's organization and scopes,
all or nothing."""

from __future__ import annotations

import pytest

from slotbook.application.access import ALL_SCOPES, Principal, Scope
from slotbook.application.scheduling import create_department, get_department, update_department
from slotbook.domain.errors import DepartmentNotFound, Forbidden, InvalidRequest
from slotbook.domain.policy import NoShowRule
from tests.support import Tenant, make_tenant


def principal_of(tenant: Tenant, *scopes: str) -> Principal:
    return Principal(tenant.organization_id, None, frozenset(scopes or ALL_SCOPES), 1000)


async def rule_of(tenant: Tenant, department_id: int) -> tuple[int | None, int]:
    detail = await get_department(tenant.services, principal_of(tenant), department_id)
    return detail.department.no_show_limit, detail.department.no_show_window_days


async def test_a_new_department_gets_its_rule_with_its_settings(tenant: Tenant) -> None:
    detail = await create_department(
        tenant.services, principal_of(tenant), {"name": "Desk"}, NoShowRule(2, 30)
    )
    assert await rule_of(tenant, detail.department.id) == (2, 30)


async def test_an_update_sets_the_rule_or_leaves_it_alone(tenant: Tenant) -> None:
    owner = principal_of(tenant)
    department = tenant.department_id
    await update_department(tenant.services, owner, department, {"name": "A"}, NoShowRule(3, 60))
    assert await rule_of(tenant, department) == (3, 60)
    await update_department(tenant.services, owner, department, {"name": "B"})
    assert await rule_of(tenant, department) == (3, 60)
    await update_department(tenant.services, owner, department, {}, NoShowRule(None, 90))
    assert await rule_of(tenant, department) == (None, 90)


async def test_another_organization_cannot_set_the_rule(tenant: Tenant) -> None:
    other = await make_tenant(tenant.services)
    with pytest.raises((DepartmentNotFound, Forbidden)):  # the id exists, elsewhere
        await update_department(
            tenant.services, principal_of(other), tenant.department_id, {}, NoShowRule(1, 1)
        )
    assert await rule_of(tenant, tenant.department_id) == (None, 90)


async def test_a_caller_without_the_admin_scope_cannot_set_the_rule(tenant: Tenant) -> None:
    reader = principal_of(tenant, Scope.DEPARTMENTS_READ.value)
    with pytest.raises(Forbidden):
        await update_department(tenant.services, reader, tenant.department_id, {}, NoShowRule(1, 1))
    assert await rule_of(tenant, tenant.department_id) == (None, 90)


async def test_a_refused_setting_leaves_the_rule_as_it_was(tenant: Tenant) -> None:
    with pytest.raises(InvalidRequest):
        await update_department(
            tenant.services,
            principal_of(tenant),
            tenant.department_id,
            {"slot_interval_minutes": 0},
            NoShowRule(4, 20),
        )
    assert await rule_of(tenant, tenant.department_id) == (None, 90)


@pytest.mark.parametrize(("limit", "window"), [(0, 90), (1, 0), (1, 3661)])
def test_a_rule_out_of_bounds_is_refused(limit: int, window: int) -> None:
    with pytest.raises(InvalidRequest):
        NoShowRule(limit, window)
