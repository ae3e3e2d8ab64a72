"""Fixtures for dashboard tests: an owner and a staff user of the test's organization."""

from __future__ import annotations

import pytest

from slotbook.bootstrap import Container
from slotbook.domain.users import Role
from tests.support import Login, Tenant, make_user


@pytest.fixture
async def owner(container: Container, tenant: Tenant) -> Login:
    return await make_user(container.services, tenant.organization_id, Role.OWNER)


@pytest.fixture
async def staff(container: Container, tenant: Tenant) -> Login:
    return await make_user(container.services, tenant.organization_id, Role.STAFF)
