"""A revoked key is refused at once by every server process (issue 21, F2)."""

from __future__ import annotations

import httpx

from slotbook.api.app import create_app
from slotbook.application.access import user_principal
from slotbook.application.organizations import revoke_api_key
from slotbook.bootstrap import build
from slotbook.config import Settings
from slotbook.domain.users import Role
from tests.support import Tenant


def _client(container_app: object) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=container_app, raise_app_exceptions=False)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_a_key_revoked_in_one_process_is_refused_by_the_next_request_of_another(
    test_settings: Settings, tenant: Tenant
) -> None:
    # Two "processes": two containers, each with its own engine and key handling, one database.
    first, second = build(test_settings), build(test_settings)
    try:
        key = await tenant.key_with("departments:read")
        async with (
            _client(create_app(container=first)) as one,
            _client(create_app(container=second)) as other,
        ):
            headers = {"X-API-Key": key}
            # Both have seen (and, were there a cache, cached) the key as valid.
            for client in (one, other, other):
                assert (await client.get("/api/v1/departments", headers=headers)).status_code == 200
            owner = user_principal(tenant.organization_id, 1, Role.OWNER)
            key_id = next(
                k.id
                for k in await first.services.registry.list_api_keys(tenant.organization_id)
                if key.startswith(k.prefix)
            )
            await revoke_api_key(first.services, owner, key_id)
            refused = await other.get("/api/v1/departments", headers=headers)
            assert refused.status_code == 401
            assert refused.json()["code"] == "UNAUTHORIZED"
            assert (await one.get("/api/v1/departments", headers=headers)).status_code == 401
    finally:
        await first.aclose()
        await second.aclose()


async def test_an_unknown_key_is_refused_without_a_lookup_while_its_refusal_is_cached(
    test_settings: Settings,
) -> None:
    container = build(test_settings.model_copy(update={"key_cache_ttl": 60.0}))
    calls = 0
    find = container.services.registry.find_api_key

    async def counting(key_hash: str):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return await find(key_hash)

    container.services.registry.find_api_key = counting  # type: ignore[method-assign]
    try:
        for _ in range(3):
            assert await container.authenticator.authenticate("sb_live_nope") is None
        assert calls == 1
    finally:
        await container.aclose()
