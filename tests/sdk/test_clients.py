"""The SDK's clients and patients against the real app, and the errors that carry seed 002's
numeric codes."""

from __future__ import annotations

from typing import Any

import pytest

from slotbook_client import BookingRuleError, ConflictError, NotFoundError, Record
from tests.sdk.conftest import SDK
from tests.support import Tenant, future


async def test_clients_create_get_find_list_update(sdk: SDK, api: Any) -> None:
    awa = await sdk.call(
        api,
        lambda c: c.clients.create(
            name="Awa Camara",
            email="awa@example.org",
            phone="06 12 34 56 78",
            second_phone="07 00 00 00 01",
            external_user_id="customer_1",
            notes="Prefers mornings",
        ),
    )
    assert isinstance(awa, Record)
    assert (awa.name, awa.email, awa.second_phone, awa.no_show_count) == (
        "Awa Camara",
        "awa@example.org",
        "07 00 00 00 01",
        0,
    )
    other = await sdk.call(api, lambda c: c.clients.create(name="Jean Dupont"))
    assert await sdk.call(api, lambda c: c.clients.get(awa.id)) == awa
    assert (await sdk.call(api, lambda c: c.clients.by_email("AWA@example.org"))).id == awa.id

    found = await sdk.call(api, lambda c: c.clients.list(search="camara"))
    assert [c.id for c in found.clients] == [awa.id]
    assert found.total_elements == 1
    first = await sdk.call(api, lambda c: c.clients.list(page=0, size=1))
    assert ([c.id for c in first.clients], first.is_last) == ([awa.id], False)
    walked = await sdk.collect(api, lambda c: c.clients.iter_all(size=1))
    assert [c.id for c in walked] == [awa.id, other.id]

    changed = await sdk.call(
        api, lambda c: c.clients.update(awa.id, phone="06 99 99 99 99", notes=None)
    )
    assert (changed.phone, changed.notes) == ("06 99 99 99 99", None)
    assert (changed.name, changed.email) == ("Awa Camara", "awa@example.org")


async def test_email_errors_carry_seed_002_codes(sdk: SDK, api: Any) -> None:
    await sdk.call(api, lambda c: c.clients.create(name="Awa", email="awa@example.org"))
    with pytest.raises(ConflictError) as taken:
        await sdk.call(api, lambda c: c.clients.create(name="Awa 2", email="Awa@Example.org"))
    assert not isinstance(taken.value, BookingRuleError)
    assert (taken.value.status, taken.value.code) == (409, "EMAIL_ALREADY_EXISTS")
    assert (taken.value.numeric_code, taken.value.legacy_code) == (11, "EmailAlreadyExists")
    with pytest.raises(NotFoundError) as unknown:
        await sdk.call(api, lambda c: c.clients.by_email("nobody@example.org"))
    assert (unknown.value.code, unknown.value.numeric_code) == ("EMAIL_NOT_FOUND", 13)


async def test_client_delete_and_erase(sdk: SDK, api: Any, tenant: Tenant) -> None:
    plain = await sdk.call(api, lambda c: c.clients.create(name="Never booked"))
    assert await sdk.call(api, lambda c: c.clients.delete(plain.id)) == Record()
    with pytest.raises(NotFoundError) as gone:
        await sdk.call(api, lambda c: c.clients.get(plain.id))
    assert gone.value.code == "CLIENT_NOT_FOUND"

    awa = await sdk.call(api, lambda c: c.clients.create(name="Awa", email="awa@example.org"))
    booked = await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=future(), client_id=awa.id
        ),
    )
    with pytest.raises(ConflictError) as referenced:
        await sdk.call(api, lambda c: c.clients.delete(awa.id))
    assert referenced.value.code == "STILL_REFERENCED"
    assert await sdk.call(api, lambda c: c.clients.delete(awa.id, erase=True)) == Record()
    erased = await sdk.call(api, lambda c: c.clients.get(awa.id))
    assert (erased.name, erased.email) == (None, None)
    assert erased.erased_at is not None
    appointment = await sdk.call(api, lambda c: c.appointments.get(booked.id))
    assert (appointment.client_id, appointment.name) == (awa.id, "")


async def test_patients_of_a_client(sdk: SDK, api: Any, tenant: Tenant) -> None:
    owner = await sdk.call(api, lambda c: c.clients.create(name="Awa"))
    rex = await sdk.call(
        api,
        lambda c: c.patients.create(
            owner.id, name="Rex", species="dog", birth_date="2020-05-01", notes="Bites"
        ),
    )
    assert (rex.client_id, rex.name, rex.species, rex.birth_date) == (
        owner.id,
        "Rex",
        "dog",
        "2020-05-01",
    )
    tom = await sdk.call(api, lambda c: c.patients.create(owner.id, name="Tom"))
    listed = await sdk.call(api, lambda c: c.patients.list(owner.id))
    assert [p.id for p in listed] == [rex.id, tom.id]
    assert await sdk.call(api, lambda c: c.patients.get(rex.id)) == rex

    changed = await sdk.call(api, lambda c: c.patients.update(rex.id, name="Rex II", notes=None))
    assert (changed.name, changed.notes, changed.species) == ("Rex II", None, "dog")

    assert await sdk.call(api, lambda c: c.patients.delete(tom.id)) == Record()
    with pytest.raises(NotFoundError) as gone:
        await sdk.call(api, lambda c: c.patients.get(tom.id))
    assert gone.value.code == "PATIENT_NOT_FOUND"
    await sdk.call(
        api,
        lambda c: c.appointments.create(
            department_id=tenant.department_id, date_time=future(), patient_id=rex.id
        ),
    )
    with pytest.raises(ConflictError) as referenced:
        await sdk.call(api, lambda c: c.patients.delete(rex.id))
    assert referenced.value.code == "STILL_REFERENCED"
