"""/compat/groups: seed 002's own requests against Slotbook, its answers and its errors, and
the proof that the dialect and the native API are two faces of the same state."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slotbook.application.access import ALL_SCOPES
from slotbook.bootstrap import Container
from slotbook.infra.webhooks.delivery import DeliveryWorker
from tests.receiver import Receiver
from tests.scheduling_support import add_type, add_worker, set_department, set_worker_hours
from tests.support import Hooks, Tenant, TestClock, balance, book, make_tenant

BASE = "/compat/groups/api/v1/groups"
RECORD_KEYS = {
    "id",
    "group_id",
    "calendar_id",
    "fiche_id",
    "intervention_ids",
    "date",
    "start",
    "end",
    "name",
    "comments",
    "websource",
    "from_web",
    "state",
    "deleted",
    "created_at",
    "updated_at",
}


def local(days: int, hour: int = 10, minute: int = 30) -> str:
    """A wall-clock time `days` ahead, as seed 002 writes it."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return f"{day.isoformat()} {hour:02d}:{minute:02d}:00"


def iso(text: str) -> str:
    return text.replace(" ", "T")


async def new_client(http: httpx.AsyncClient, tenant: Tenant, **fields: Any) -> int:
    r = await http.post(
        "/api/v1/clients", headers=tenant.headers, json={"name": "Awa Camara", **fields}
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def post(
    http: httpx.AsyncClient,
    tenant: Tenant,
    appointment: dict[str, Any],
    group_id: int | None = None,
    key: str | None = None,
) -> httpx.Response:
    group = tenant.department_id if group_id is None else group_id
    return await http.post(
        f"{BASE}/{group}/appointments",
        params={"apikey": key or tenant.key},
        json={"appointment": appointment},
    )


def error_of(response: httpx.Response) -> tuple[int, int | None, str]:
    """Status, numeric code and name, after checking the whole documented shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "name", "message", "detail"}, error
    assert isinstance(error["message"], str)
    assert isinstance(error["detail"], str)
    return response.status_code, error["code"], error["name"]


async def test_seed_example_books_and_updates_the_fiche(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    intervention = await add_type(client, tenant, durationMinutes=30)
    fiche_id = await new_client(client, tenant)
    date = local(5)
    # Seed 002's example, with our ids.
    created = await post(
        client,
        tenant,
        {
            "date": date,
            "calendar_id": tenant.worker_id,
            "intervention_ids": [intervention],
            "comments": "",
            "fiche": {
                "id": fiche_id,
                "group_id": tenant.department_id,
                "firstphone": "06 12 34 56 78",
            },
        },
    )
    assert created.status_code == 201, created.text
    record = created.json()
    assert set(record) == RECORD_KEYS
    assert record["group_id"] == tenant.department_id
    assert record["calendar_id"] == tenant.worker_id
    assert record["fiche_id"] == fiche_id
    assert record["intervention_ids"] == [intervention]
    assert record["date"] == record["start"] == date
    assert record["end"] == date[:11] + "11:00:00"
    assert (record["comments"], record["websource"], record["from_web"]) == ("", None, 1)
    assert (record["state"], record["deleted"], record["name"]) == (3, 0, "Awa Camara")

    native = await client.get(f"/api/v1/appointments/{record['id']}", headers=tenant.headers)
    assert native.status_code == 200
    n = native.json()
    assert (n["dateTime"], n["endTime"]) == (iso(date), iso(record["end"]))
    assert (n["workerId"], n["clientId"], n["appointmentTypeId"]) == (
        tenant.worker_id,
        fiche_id,
        intervention,
    )
    assert (n["status"], n["fromWeb"], n["notes"], n["departmentId"]) == (
        "SCHEDULED",
        True,
        None,
        tenant.department_id,
    )
    fiche = await client.get(f"/api/v1/clients/{fiche_id}", headers=tenant.headers)
    assert fiche.json()["phone"] == "06 12 34 56 78"
    assert fiche.json()["name"] == "Awa Camara"  # only the fields given change


async def test_new_fiche_websource_from_web_and_json_suffix(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    r = await client.post(
        f"{BASE}/{tenant.department_id}/appointments.json",
        params={"apikey": tenant.key},
        json={
            "appointment": {
                "date": local(6),
                "intervention_ids": [],
                "comments": "Premier rendez-vous",
                "websource": "our iPhone application",
                "from_web": 0,
                "fiche": {
                    "firstname": "Moussa",
                    "lastname": "Keita",
                    "email": "moussa@example.org",
                    "secondphone": "+224 620 00 00 00",
                    "address": "not kept: unknown fields are ignored",
                },
            }
        },
    )
    assert r.status_code == 201, r.text
    record = r.json()
    assert (record["comments"], record["websource"], record["from_web"]) == (
        "Premier rendez-vous",
        "our iPhone application",
        0,
    )
    assert record["calendar_id"] == tenant.worker_id  # the department's only worker
    fiche = (
        await client.get(f"/api/v1/clients/{record['fiche_id']}", headers=tenant.headers)
    ).json()
    assert (fiche["name"], fiche["email"], fiche["secondPhone"]) == (
        "Moussa Keita",
        "moussa@example.org",
        "+224 620 00 00 00",
    )
    native = (
        await client.get(f"/api/v1/appointments/{record['id']}", headers=tenant.headers)
    ).json()
    assert (native["source"], native["fromWeb"], native["notes"]) == (
        "our iPhone application",
        False,
        "Premier rendez-vous",
    )
    # The same e-mail on a new fiche: EmailAlreadyExists (11), nothing booked.
    again = await post(
        client,
        tenant,
        {"date": local(7), "fiche": {"firstname": "Other", "email": "MOUSSA@example.org"}},
    )
    assert error_of(again) == (400, 11, "EmailAlreadyExists")


async def test_a_free_calendar_is_assigned_when_none_is_named(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    # The staffed department asks native clients to name a worker; the dialect assigns one.
    second = await add_worker(client, tenant, tenant.staffed_department_id)
    for worker in (tenant.worker_id, second):
        await set_worker_hours(client, tenant, worker)
    group = tenant.staffed_department_id
    when = local(4, 9, 0)
    assigned = set()
    for n in range(2):
        r = await post(client, tenant, {"date": when, "fiche": {"lastname": f"Client {n}"}}, group)
        assert r.status_code == 201, r.text
        assigned.add(r.json()["calendar_id"])
    assert assigned == {tenant.worker_id, second}
    full = await post(client, tenant, {"date": when, "fiche": {"lastname": "Late"}}, group)
    assert error_of(full) == (400, None, "NotAvailable")
    # calendar_id 0 is seed 002's "no preference".
    other = await post(
        client,
        tenant,
        {"date": local(4, 10, 0), "calendar_id": 0, "fiche": {"lastname": "Z"}},
        group,
    )
    assert other.status_code == 201, other.text
    assert other.json()["calendar_id"] in {tenant.worker_id, second}


async def test_concurrent_bookings_without_calendar_share_the_free_calendars(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    second = await add_worker(client, tenant, tenant.staffed_department_id)
    for worker in (tenant.worker_id, second):
        await set_worker_hours(client, tenant, worker)
    when = local(9, 11, 0)
    answers = await asyncio.gather(
        *(
            post(client, tenant, {"date": when, "fiche": {"lastname": f"C{n}"}}, group_id=g)
            for n, g in enumerate([tenant.staffed_department_id] * 3)
        )
    )
    booked = sorted(a.json()["calendar_id"] for a in answers if a.status_code == 201)
    assert booked == sorted([tenant.worker_id, second])
    (refused,) = [a for a in answers if a.status_code != 201]
    assert error_of(refused) == (400, None, "NotAvailable")
    assert await balance(client, tenant) == 98


async def test_booking_rules_answer_with_seed_codes(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_department(
        client,
        tenant,
        tenant.department_id,
        bookingPolicy={
            "minNoticeMinutes": 48 * 60,
            "maxAdvanceDays": 20,
            "maxUpcomingPerClient": 2,
            "minMinutesBetweenClientAppointments": 120,
        },
    )
    me = {"id": await new_client(client, tenant)}
    soon = await post(client, tenant, {"date": local(1), "fiche": me})
    assert error_of(soon) == (400, 9, "MintimeRdv")
    assert soon.json()["error"]["message"] == "This appointment is too soon"
    far = await post(client, tenant, {"date": local(25), "fiche": me})
    assert error_of(far) == (400, 8, "MaxRdvPeriod")
    assert (await post(client, tenant, {"date": local(5, 10, 0), "fiche": me})).status_code == 201
    same = await post(client, tenant, {"date": local(5, 10, 15), "fiche": me})
    assert error_of(same) == (400, 12, "SameTimeRdv")
    close = await post(client, tenant, {"date": local(5, 11, 30), "fiche": me})
    assert error_of(close) == (400, 7, "MintimeBetween")
    assert (await post(client, tenant, {"date": local(6, 10, 0), "fiche": me})).status_code == 201
    third = await post(client, tenant, {"date": local(7, 10, 0), "fiche": me})
    assert error_of(third) == (400, 6, "MaxRdvNumber")
    assert third.json()["error"]["message"] == (
        "The user has reached the maximum number of upcoming appointments"
    )


async def test_parameter_and_access_errors(client: httpx.AsyncClient, tenant: Tenant) -> None:
    good = {"date": local(5), "fiche": {"lastname": "Dupont"}}
    url = f"{BASE}/{tenant.department_id}/appointments"
    missing = await client.post(url, json={"appointment": good})
    assert error_of(missing) == (400, 5, "LoginFailed")
    wrong = await client.post(url, params={"apikey": "sk_nope"}, json={"appointment": good})
    assert error_of(wrong) == (400, 5, "LoginFailed")
    reader = await tenant.key_with("appointments:read")
    refused = await post(client, tenant, good, key=reader)
    assert error_of(refused) == (400, 1, "Unauthorized")
    # The fiche is a client write: the key needs clients:write too; with it, a fiche
    # without a name is an invalid parameter, not an access refusal.
    booker = await tenant.key_with("appointments:create", "clients:write")
    nameless = await post(client, tenant, {"date": local(5), "fiche": {}}, key=booker)
    assert error_of(nameless) == (400, 2, "InvalidParameter")
    unknown = await post(client, tenant, good, group_id=2_000_000_000)
    assert error_of(unknown) == (400, 3, "NoResult")
    for missing_id in (
        {"intervention_ids": [2_000_000_000], "fiche": {"lastname": "D"}},
        {"fiche": {"id": 2_000_000_000, "firstphone": "0612"}},
    ):
        r = await post(client, tenant, {"date": local(5), **missing_id})
        assert error_of(r) == (400, 3, "NoResult"), missing_id
    other = await make_tenant(tenant.services)
    foreign = await post(client, tenant, good, group_id=other.department_id)
    # Another organization's group: refused as the native API refuses it (403 there).
    assert error_of(foreign) == (400, 1, "Unauthorized")
    invalid = [
        {"date": "2027-02-15T10:00:00", "fiche": {"lastname": "D"}},  # not seed 002's format
        {"date": "2027-02-30 10:00:00", "fiche": {"lastname": "D"}},
        {"date": local(-2), "fiche": {"lastname": "D"}},  # in the past
        {"date": local(5)},  # no fiche
        {"date": local(5), "fiche": {"email": "x@example.org"}},  # a new fiche needs a name
        {"date": local(5), "fiche": {"lastname": "D", "group_id": tenant.staffed_department_id}},
        {"date": local(5), "intervention_ids": [1, 2], "fiche": {"lastname": "D"}},
        {"date": local(5), "calendar_id": True, "fiche": {"lastname": "D"}},
        {"date": local(5), "calendar_id": -1, "fiche": {"lastname": "D"}},
        {"date": local(5), "calendar_id": 2_000_000_000, "fiche": {"lastname": "D"}},
        {"date": 20270215, "fiche": {"lastname": "D"}},
    ]
    for body in invalid:
        r = await post(client, tenant, body)
        assert error_of(r) == (400, 2, "InvalidParameter"), (body, r.text)
    for raw in (b"{", b"[]", b'{"appointment": 3}', b""):
        r = await client.post(
            url,
            params={"apikey": tenant.key},
            content=raw,
            headers={"content-type": "application/json"},
        )
        assert error_of(r) == (400, 2, "InvalidParameter"), raw
    bad_group = await client.get(f"{BASE}/abc/appointments", params={"apikey": tenant.key})
    assert error_of(bad_group) == (400, 2, "InvalidParameter")
    bad_flag = await client.get(url, params={"apikey": tenant.key, "include_past": "maybe"})
    assert error_of(bad_flag) == (400, 2, "InvalidParameter")
    assert await balance(client, tenant) == 100  # nothing was booked


async def test_requests_refused_before_routing_use_the_seed_shape(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    url = f"{BASE}/{tenant.department_id}/appointments"
    twice = await client.get(f"{url}?apikey={tenant.key}&include_past=1&include_past=0")
    assert error_of(twice) == (400, 2, "InvalidParameter")
    assert "include_past" in twice.json()["error"]["detail"]
    limit = container.settings.max_body_bytes
    huge = await client.post(
        url,
        params={"apikey": tenant.key},
        content=b" " * (limit + 1),
        headers={"content-type": "application/json"},
    )
    assert error_of(huge) == (400, 2, "InvalidParameter")
    # The native API keeps its envelope.
    native = await client.get("/api/v1/appointments?size=1&size=2", headers=tenant.headers)
    assert (native.status_code, native.json()["code"]) == (400, "INVALID_REQUEST")


async def test_list_shows_future_by_default_and_states(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    now = datetime(2027, 6, 15, 8, 0, tzinfo=UTC)  # 10:00 in Paris
    clock.freeze(now)
    past = await book(client, tenant, now + timedelta(hours=1))
    kept = await book(client, tenant, now + timedelta(days=2))
    gone = await book(client, tenant, now + timedelta(days=3))
    staffed = await book(
        client,
        tenant,
        now + timedelta(days=2),
        departmentId=tenant.staffed_department_id,
        workerId=tenant.worker_id,
    )
    assert (
        await client.post(f"/api/v1/appointments/{kept['id']}/confirm", headers=tenant.headers)
    ).status_code == 200
    assert (
        await client.delete(f"/api/v1/appointments/{gone['id']}", headers=tenant.headers)
    ).status_code == 200
    clock.freeze(now + timedelta(hours=2))
    missed = await client.post(f"/api/v1/appointments/{past['id']}/no-show", headers=tenant.headers)
    assert missed.status_code == 200

    url = f"{BASE}/{tenant.department_id}/appointments"
    future = await client.get(url, params={"apikey": tenant.key})
    assert future.status_code == 200, future.text
    body = future.json()
    assert body["totalRecords"] == 2
    assert [(r["id"], r["state"], r["deleted"]) for r in body["records"]] == [
        (kept["id"], 3, 0),
        (gone["id"], 3, 1),
    ]
    assert all(set(r) == RECORD_KEYS for r in body["records"])
    assert body["records"][0]["date"] == "2027-06-17 10:00:00"
    everything = await client.get(url, params={"apikey": tenant.key, "include_past": 1})
    assert [(r["id"], r["state"]) for r in everything.json()["records"]] == [
        (past["id"], 2),
        (kept["id"], 3),
        (gone["id"], 3),
    ]
    assert staffed["id"] not in {r["id"] for r in everything.json()["records"]}
    by_calendar = await client.get(
        f"{BASE}/{tenant.staffed_department_id}/appointments.json",
        params={"apikey": tenant.key, "calendar_id": tenant.worker_id},
    )
    assert [r["id"] for r in by_calendar.json()["records"]] == [staffed["id"]]
    # Checked in: in progress (0); completed: came (1).
    clock.freeze(now + timedelta(days=2, minutes=5))
    await client.post(f"/api/v1/appointments/{kept['id']}/check-in", headers=tenant.headers)
    clock.freeze(now + timedelta(days=1, hours=23))
    states = await client.get(url, params={"apikey": tenant.key})
    assert states.json()["records"][0]["state"] == 0
    await client.post(f"/api/v1/appointments/{kept['id']}/complete", headers=tenant.headers)
    states = await client.get(url, params={"apikey": tenant.key})
    assert states.json()["records"][0]["state"] == 1


async def test_cancel_honours_the_notice_and_refunds(
    client: httpx.AsyncClient, tenant: Tenant, clock: TestClock
) -> None:
    await set_department(
        client, tenant, tenant.department_id, bookingPolicy={"minCancelNoticeMinutes": 24 * 60}
    )
    made = await post(client, tenant, {"date": local(3), "fiche": {"lastname": "Dupont"}})
    assert made.status_code == 201, made.text
    record = made.json()
    assert await balance(client, tenant) == 99
    url = f"{BASE}/{tenant.department_id}/appointments/{record['id']}"
    clock.freeze(datetime.now(UTC) + timedelta(days=2, hours=12))
    late = await client.delete(url, params={"apikey": tenant.key})
    assert error_of(late) == (400, 10, "MintimeAnnulation")
    assert late.json()["error"]["message"] == "This appointment is too close to be cancelled"
    clock.frozen = None
    wrong_group = await client.delete(
        f"{BASE}/{tenant.staffed_department_id}/appointments/{record['id']}",
        params={"apikey": tenant.key},
    )
    assert error_of(wrong_group) == (400, 3, "NoResult")
    done = await client.delete(url + ".json", params={"apikey": tenant.key})
    assert done.status_code == 200, done.text
    assert (done.json()["id"], done.json()["deleted"]) == (record["id"], 1)
    native = await client.get(f"/api/v1/appointments/{record['id']}", headers=tenant.headers)
    assert native.json()["status"] == "CANCELLED"
    assert await balance(client, tenant) == 100
    again = await client.delete(url, params={"apikey": tenant.key})
    assert again.status_code == 200  # idempotent, refunds nothing more
    assert await balance(client, tenant) == 100
    missing = await client.delete(
        f"{BASE}/{tenant.department_id}/appointments/2000000000", params={"apikey": tenant.key}
    )
    assert error_of(missing) == (400, 3, "NoResult")


async def test_both_faces_share_credits_and_webhooks(
    client: httpx.AsyncClient,
    tenant: Tenant,
    hooks: Hooks,
    receiver: Receiver,
    worker: DeliveryWorker,
) -> None:
    await hooks.register(receiver.url())
    # Through the dialect, read natively.
    dialect = await post(client, tenant, {"date": local(8), "fiche": {"lastname": "Diallo"}})
    assert dialect.status_code == 201, dialect.text
    theirs = dialect.json()
    assert await balance(client, tenant) == 99
    native_view = (
        await client.get(f"/api/v1/appointments/{theirs['id']}", headers=tenant.headers)
    ).json()
    # Natively, read through the dialect.
    ours = await book(client, tenant, iso(local(9)), name="Camara")
    assert await balance(client, tenant) == 98
    listed = (
        await client.get(
            f"{BASE}/{tenant.department_id}/appointments", params={"apikey": tenant.key}
        )
    ).json()
    assert [r["id"] for r in listed["records"]] == [theirs["id"], ours["id"]]
    assert listed["records"][1]["date"] == local(9)
    # Cancelled natively, seen deleted through the dialect; cancelled through the dialect,
    # seen cancelled natively; each refunds once.
    cancelled_native = await client.delete(
        f"/api/v1/appointments/{ours['id']}", headers=tenant.headers
    )
    cancelled_dialect = await client.delete(
        f"{BASE}/{tenant.department_id}/appointments/{theirs['id']}",
        params={"apikey": tenant.key},
    )
    assert cancelled_dialect.status_code == 200
    assert await balance(client, tenant) == 100
    listed = (
        await client.get(
            f"{BASE}/{tenant.department_id}/appointments", params={"apikey": tenant.key}
        )
    ).json()
    assert [r["deleted"] for r in listed["records"]] == [1, 1]
    # The webhooks carry the native representation, whichever face made the change.
    while await worker.run_once():
        pass
    sent = {
        (r.json["type"], r.json["data"]["appointment"]["id"]): r.json for r in receiver.requests
    }
    assert len(receiver.requests) == 4
    assert sent[("appointment.created", theirs["id"])]["data"]["appointment"] == native_view
    assert sent[("appointment.created", ours["id"])]["data"]["appointment"] == ours
    after_dialect = (
        await client.get(f"/api/v1/appointments/{theirs['id']}", headers=tenant.headers)
    ).json()
    assert sent[("appointment.cancelled", theirs["id"])]["data"]["appointment"] == after_dialect
    assert (
        sent[("appointment.cancelled", ours["id"])]["data"]["appointment"]
        == cancelled_native.json()
    )


# 60 per backend in a normal run; raise SLOTBOOK_FUZZ_EXAMPLES for a deeper one.
EXAMPLES = max(60, int(os.environ.get("SLOTBOOK_FUZZ_EXAMPLES", "60")))
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
_field = st.sampled_from(
    ["date", "calendar_id", "intervention_ids", "comments", "fiche", "websource", "from_web"]
)
_bodies = st.one_of(
    _json,
    st.fixed_dictionaries({"appointment": st.dictionaries(_field, _json, max_size=7)}),
    st.fixed_dictionaries(
        {
            "appointment": st.fixed_dictionaries(
                {
                    "date": st.text(max_size=25) | st.just("2027-02-15 10:30:00"),
                    "fiche": st.dictionaries(
                        st.sampled_from(["id", "group_id", "firstname", "email", "firstphone"]),
                        _json,
                        max_size=4,
                    ),
                }
            )
        }
    ),
)
# Any text as one path segment, percent-encoded as a client would send it.
_segments = (
    # Without "/": the server decodes %2F before routing, so it would change the path.
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/"),
        min_size=1,
        max_size=12,
    )
    .filter(lambda s: s.strip(".") != "")
    .map(lambda s: quote(s, safe=""))
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=_bodies, group=_segments | st.integers().map(str), flag=st.text(max_size=6))
async def test_random_input_never_gives_a_server_error(
    client: httpx.AsyncClient, tenant: Tenant, body: Any, group: str, flag: str
) -> None:
    # A key of its own: hundreds of examples would exhaust the default hourly limit.
    key = tenant.keys.get("fuzz") or await tenant.key_with(*ALL_SCOPES, rate_limit=10**7)
    tenant.keys["fuzz"] = key
    params = {"apikey": key}
    for path in (f"{BASE}/{tenant.department_id}/appointments", f"{BASE}/{group}/appointments"):
        r = await client.post(path, params=params, json=body)
        assert r.status_code in (201, 400), r.text
        if r.status_code == 400:
            error_of(r)
    listed = await client.get(
        f"{BASE}/{group}/appointments", params={**params, "include_past": flag}
    )
    assert listed.status_code in (200, 400), listed.text
    if listed.status_code == 400:
        error_of(listed)
    deleted = await client.delete(
        f"{BASE}/{tenant.department_id}/appointments/{group}", params=params
    )
    assert deleted.status_code in (200, 400), deleted.text
    if deleted.status_code == 400:
        error_of(deleted)


async def test_compat_routes_stay_out_of_the_native_schema(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert not [p for p in schema["paths"] if p.startswith("/compat")]
