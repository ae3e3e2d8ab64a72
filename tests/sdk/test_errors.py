"""The SDK's typed errors, raised from the real app's error envelopes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from slotbook.bootstrap import Container
from slotbook_client import (
    AuthenticationError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SlotbookError,
    ValidationError,
)
from tests.sdk.conftest import SDK
from tests.support import Tenant, future, make_tenant


def _book(tenant: Tenant, **overrides: Any) -> Any:
    fields = {
        "department_id": tenant.department_id,
        "date_time": future(),
        "name": "A",
        **overrides,
    }
    return lambda c: c.appointments.create(**fields)


async def test_unknown_key_is_an_authentication_error(sdk: SDK) -> None:
    client = sdk.client("sk_not_a_key")
    with pytest.raises(AuthenticationError) as caught:
        await sdk.call(client, lambda c: c.departments.list())
    assert (caught.value.status, caught.value.code) == (401, "UNAUTHORIZED")
    assert isinstance(caught.value, SlotbookError)


async def test_missing_scope_is_permission_denied(sdk: SDK, tenant: Tenant) -> None:
    client = sdk.client(await tenant.key_with("appointments:read"))
    with pytest.raises(PermissionDeniedError) as caught:
        await sdk.call(client, _book(tenant))
    assert caught.value.status == 403
    assert "appointments:create" in caught.value.message


async def test_other_organizations_appointment_is_permission_denied(
    sdk: SDK, api: Any, tenant: Tenant, container: Container
) -> None:
    other = await make_tenant(container.services)
    theirs = await sdk.call(sdk.client(other.key), _book(other))
    with pytest.raises(PermissionDeniedError):
        await sdk.call(api, lambda c: c.appointments.get(theirs.id))


async def test_unknown_appointment_is_not_found(sdk: SDK, api: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        await sdk.call(api, lambda c: c.appointments.cancel(2_000_000_000))
    assert caught.value.code == "APPOINTMENT_NOT_FOUND"
    assert str(caught.value) == "Appointment not found with id: 2000000000"


async def test_invalid_requests_are_validation_errors(sdk: SDK, api: Any, tenant: Tenant) -> None:
    with pytest.raises(ValidationError) as past:
        await sdk.call(api, _book(tenant, date_time="2020-01-01T10:00:00"))
    assert (past.value.status, past.value.code) == (400, "INVALID_REQUEST")
    assert past.value.message == "DateTime must be in the future"
    with pytest.raises(ValidationError) as blank:
        await sdk.call(api, _book(tenant, name=" "))
    assert blank.value.details[0]["field"] == "name"


async def test_no_credit_is_insufficient_credits(sdk: SDK, container: Container) -> None:
    broke = await make_tenant(container.services, credits=0)
    with pytest.raises(InsufficientCreditsError) as caught:
        await sdk.call(sdk.client(broke.key), _book(broke))
    assert caught.value.status == 402
    assert str(caught.value) == (
        "Insufficient credits to create appointment. Current: 0, Required: 1"
    )


async def test_cancelling_a_finished_appointment_is_a_conflict(
    sdk: SDK, api: Any, tenant: Tenant, container: Container
) -> None:
    done = await sdk.call(api, _book(tenant))
    async with container.engine.begin() as conn:
        await conn.execute(
            text("UPDATE appointment SET status = 'COMPLETED' WHERE id = :id"), {"id": done.id}
        )
    with pytest.raises(ConflictError) as caught:
        await sdk.call(api, lambda c: c.appointments.cancel(done.id))
    assert (caught.value.status, caught.value.code) == (409, "INVALID_TRANSITION")


async def test_rate_limit_beyond_the_wait_bound_is_raised_at_once(sdk: SDK, tenant: Tenant) -> None:
    client = sdk.client(await tenant.key_with("departments:read", rate_limit=1))
    await sdk.call(client, lambda c: c.departments.list())
    sdk.flaky.seen.clear()
    with pytest.raises(RateLimitError) as caught:
        await sdk.call(client, lambda c: c.departments.list())
    assert caught.value.status == 429
    # The API asks to wait for the hour's window to end: longer than max_retry_after (60 s).
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 60
    assert caught.value.headers["x-ratelimit-remaining"] == "0"
    assert len(sdk.flaky.seen) == 1
