"""Admin pages (owners): departments, workers and appointment types change what the API then
shows; refusals come back as the form with a sentence in the user's language; staff, other
organizations and forms without their CSRF token are refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from slotbook.bootstrap import Container
from tests.support import Login, Tenant, make_tenant
from tests.web.dashboard import log_in, page_token

DEPARTMENTS = "/dashboard/departments"
WORKERS = "/dashboard/workers"
TYPES = "/dashboard/appointment-types"
PAGES = (DEPARTMENTS, WORKERS, TYPES)

DEPARTMENT_FORM = {
    "name": "Passports",
    "description": "Passport issuance",
    "time_zone": "Africa/Conakry",
    "slot_interval": "15",
    "slot_capacity": "2",
    "booking_page": "on",
    "max_upcoming": "3",
    "min_between": "",
    "max_advance_days": "60",
    "min_notice": "120",
    "min_cancel_notice": "",
    "no_show_limit": "",
    "no_show_window": "90",
}


async def _post(
    client: httpx.AsyncClient, path: str, data: dict[str, str | list[str]], page: str
) -> httpx.Response:
    return await client.post(path, data={"csrf_token": await page_token(client, page), **data})


def _id_from(response: httpx.Response, prefix: str) -> int:
    assert response.status_code == 303, response.text
    match = re.fullmatch(rf"{prefix}/(\d+)\?done=created", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def _labelled(html: str) -> None:
    """Every visible field of the page has a <label for> naming its id."""
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    fields = re.findall(r"<(input|select|textarea)\b([^>]*)>", html)
    checked = 0
    for _, attributes in fields:
        if 'type="hidden"' in attributes:
            continue
        found = re.search(r'\bid="([^"]+)"', attributes)
        assert found, attributes
        assert found.group(1) in labels, attributes
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_each_page_renders_with_labels(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant, language: str
) -> None:
    await log_in(client, owner)
    titles = {
        "en": ("Departments", "Workers", "Appointment types"),
        "fr": ("Services", "Agents", "Types de rendez-vous"),
    }[language]
    worker_id = tenant.worker_id
    created = await client.post(
        "/api/v1/appointment-types",
        headers=tenant.headers,
        json={"name": "Renewal", "durationMinutes": 20},
    )
    pages = [*PAGES, f"{DEPARTMENTS}/{tenant.department_id}", f"{WORKERS}/{worker_id}"]
    pages.append(f"{TYPES}/{created.json()['id']}")
    for path in pages:
        page = await client.get(path, params={"lang": language})
        assert page.status_code == 200, path
        assert f'<html lang="{language}">' in page.text
        _labelled(page.text)
    listing = await client.get(DEPARTMENTS)
    for title, path in zip(titles, PAGES, strict=True):
        assert f'<a href="{path}"' in listing.text
        assert title in listing.text


async def test_department_create_edit_and_closures_show_in_the_api(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant
) -> None:
    await log_in(client, owner)
    department_id = _id_from(
        await _post(client, DEPARTMENTS, DEPARTMENT_FORM, DEPARTMENTS), DEPARTMENTS
    )
    api = f"/api/v1/departments/{department_id}"
    shown = (await client.get(api, headers=tenant.headers)).json()
    assert shown["name"] == "Passports"
    assert shown["timeZone"] == "Africa/Conakry"
    assert shown["slotIntervalMinutes"] == 15
    assert shown["slotCapacity"] == 2
    assert shown["bookingPolicy"] == {
        "maxUpcomingPerClient": 3,
        "minMinutesBetweenClientAppointments": None,
        "maxAdvanceDays": 60,
        "minNoticeMinutes": 120,
        "minCancelNoticeMinutes": None,
    }
    page = await client.get(f"{DEPARTMENTS}/{department_id}?done=created")
    assert "The department is added." in page.text
    assert 'id="booking-page" name="booking_page" checked' in page.text

    changed = {
        **DEPARTMENT_FORM,
        "name": "Passport office",
        "time_zone": "",
        "max_upcoming": "",
        "min_cancel_notice": "1440",
        "no_show_limit": "2",
        "no_show_window": "30",
        "show_admins": "on",
        "address": "12 rue de la Paix, Conakry",
        "directions": "Door B, second floor.",
    }
    del changed["booking_page"]
    saved = await _post(client, f"{DEPARTMENTS}/{department_id}", changed, DEPARTMENTS)
    assert saved.status_code == 303
    shown = (await client.get(api, headers=tenant.headers)).json()
    assert shown["name"] == "Passport office"
    assert shown["inheritsTimeZone"] is True
    assert shown["showAdminsInBooking"] is True
    assert shown["bookingPolicy"]["maxUpcomingPerClient"] is None
    assert shown["bookingPolicy"]["minCancelNoticeMinutes"] == 1440
    assert shown["address"] == "12 rue de la Paix, Conakry"  # shown to visitors who book
    assert shown["directions"] == "Door B, second floor."
    page = await client.get(saved.headers["location"])
    assert re.search(r'id="address"[^>]*value="12 rue de la Paix, Conakry"', page.text)
    assert "The settings are saved." in page.text
    assert re.search(r'id="booking-page" name="booking_page" aria', page.text)  # unticked
    assert 'name="no_show_limit" type="number"' in page.text
    assert re.search(r'id="no-show-limit"[^>]*value="2"', page.text)
    assert re.search(r'id="no-show-window"[^>]*value="30"', page.text)
    row = re.search(
        rf'<tr data-department-id="{department_id}">(.*?)</tr>',
        (await client.get(DEPARTMENTS)).text,
        re.S,
    )
    assert row
    assert "Passport office" in row.group(1)
    assert ">No</td>" in row.group(1)

    day = (datetime.now(UTC).date() + timedelta(days=40)).isoformat()
    closed = await _post(
        client,
        f"{DEPARTMENTS}/{department_id}/closures",
        {"date": day, "reason": "National holiday"},
        DEPARTMENTS,
    )
    assert closed.status_code == 303
    closures = (await client.get(f"{api}/closures", headers=tenant.headers)).json()
    assert [(c["date"], c["reason"]) for c in closures] == [(day, "National holiday")]
    page = await client.get(f"{DEPARTMENTS}/{department_id}")
    assert "National holiday" in page.text
    removed = await _post(
        client,
        f"{DEPARTMENTS}/{department_id}/closures/{closures[0]['id']}/delete",
        {},
        DEPARTMENTS,
    )
    assert removed.status_code == 303
    assert (await client.get(f"{api}/closures", headers=tenant.headers)).json() == []


async def test_department_refusals_keep_the_form_in_the_users_language(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant
) -> None:
    await log_in(client, owner)
    cases = [
        ({"slot_interval": "2"}, "Slot interval (minutes): give a whole number from 5 to 1440."),
        ({"name": "  "}, "Name: this field is required."),
        ({"time_zone": "Mars/Olympus"}, "“Mars/Olympus” is not a known time zone."),
        ({"max_advance_days": "-1"}, "give a whole number from 0 to 3660."),
        ({"no_show_limit": "0"}, "No-shows before bookings are refused: give a whole number"),
        ({"name": "x" * 201}, "Name: at most 200 characters"),
    ]
    for change, message in cases:
        refused = await _post(client, DEPARTMENTS, {**DEPARTMENT_FORM, **change}, DEPARTMENTS)
        assert refused.status_code == 400, change
        assert message in refused.text, change
        assert 'value="Passport issuance"' in refused.text  # the form is kept
    french = await client.post(
        f"{DEPARTMENTS}/{tenant.department_id}?lang=fr",
        data={
            "csrf_token": await page_token(client, DEPARTMENTS),
            **DEPARTMENT_FORM,
            "slot_capacity": "0",
        },
    )
    assert french.status_code == 400
    assert "Capacité d&#39;un créneau : indiquez un nombre entier de 1 à 10000." in french.text
    bad_day = await _post(
        client, f"{DEPARTMENTS}/{tenant.department_id}/closures", {"date": "31/12"}, DEPARTMENTS
    )
    assert bad_day.status_code == 400
    assert "Date : indiquez une date (AAAA-MM-JJ)." in bad_day.text  # the language stays
    assert 'value="31/12"' in bad_day.text
    names = [
        d["name"] for d in (await client.get("/api/v1/departments", headers=tenant.headers)).json()
    ]
    assert "Passports" not in names


async def test_worker_create_rename_hours_and_exceptions_show_in_the_api(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant
) -> None:
    await log_in(client, owner)
    worker_id = _id_from(
        await _post(
            client,
            WORKERS,
            {"name": "Mariama Bah", "departments": [str(tenant.department_id)]},
            WORKERS,
        ),
        WORKERS,
    )
    api = f"/api/v1/workers/{worker_id}"
    shown = (await client.get(api, headers=tenant.headers)).json()
    assert shown == {
        "id": worker_id,
        "uuid": shown["uuid"],
        "name": "Mariama Bah",
        "departmentIds": [tenant.department_id],
    }
    departments = [str(tenant.department_id), str(tenant.staffed_department_id)]
    renamed = await _post(
        client,
        f"{WORKERS}/{worker_id}",
        {"name": "Mariama Diallo", "departments": departments},
        WORKERS,
    )
    assert renamed.status_code == 303
    shown = (await client.get(api, headers=tenant.headers)).json()
    assert shown["name"] == "Mariama Diallo"
    assert shown["departmentIds"] == sorted([tenant.department_id, tenant.staffed_department_id])
    # A forged department id of another organization is dropped, not stored.
    other = await make_tenant(tenant.services)
    await _post(
        client,
        f"{WORKERS}/{worker_id}",
        {"name": "Mariama Diallo", "departments": [str(other.department_id)]},
        WORKERS,
    )
    assert (await client.get(api, headers=tenant.headers)).json()["departmentIds"] == []

    hours = {
        "start-0": ["09:00", "14:00", ""],
        "end-0": ["12:00", "17:30", ""],
        "start-2": ["08:00", ""],
        "end-2": ["24:00", ""],
    }
    saved = await _post(client, f"{WORKERS}/{worker_id}/hours", hours, WORKERS)
    assert saved.status_code == 303
    ranges = (await client.get(f"{api}/hours", headers=tenant.headers)).json()["ranges"]
    assert ranges == [
        {"weekday": "MONDAY", "start": "09:00", "end": "12:00"},
        {"weekday": "MONDAY", "start": "14:00", "end": "17:30"},
        {"weekday": "WEDNESDAY", "start": "08:00", "end": "24:00"},
    ]
    page = await client.get(saved.headers["location"])
    assert 'name="start-0" value="14:00"' in page.text
    assert "The working hours are saved." in page.text

    day = datetime.now(UTC).date() + timedelta(days=10)
    added = await _post(
        client,
        f"{WORKERS}/{worker_id}/exceptions",
        {
            "kind": "TIME_OFF",
            "starts_at": f"{day}T09:00",
            "ends_at": f"{day}T13:00",
            "reason": "Training",
        },
        WORKERS,
    )
    assert added.status_code == 303
    exceptions = (await client.get(f"{api}/exceptions", headers=tenant.headers)).json()
    assert [(e["kind"], e["reason"]) for e in exceptions] == [("TIME_OFF", "Training")]
    assert "Training" in (await client.get(f"{WORKERS}/{worker_id}")).text
    removed = await _post(
        client, f"{WORKERS}/{worker_id}/exceptions/{exceptions[0]['id']}/delete", {}, WORKERS
    )
    assert removed.status_code == 303
    assert (await client.get(f"{api}/exceptions", headers=tenant.headers)).json() == []
    listing = await client.get(WORKERS)
    assert f'<tr data-worker-id="{worker_id}">' in listing.text


async def test_worker_refusals_keep_the_form_in_the_users_language(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant
) -> None:
    await log_in(client, owner)
    path = f"{WORKERS}/{tenant.worker_id}"
    before = (
        await client.get(f"/api/v1/workers/{tenant.worker_id}/hours", headers=tenant.headers)
    ).json()
    cases = [
        (
            {"start-1": ["09:00", "11:00"], "end-1": ["12:00", "13:00"]},
            "Tuesday: two ranges overlap.",
        ),
        ({"start-1": ["12:00"], "end-1": ["09:00"]}, "Tuesday: 12:00-09:00 ends before it starts."),
        ({"start-4": ["09:00"], "end-4": [""]}, "Friday: give both the start and the end"),
        ({"start-4": ["9h"], "end-4": ["10:00"]}, "“9h” is not a time of day"),
    ]
    for form, message in cases:
        refused = await _post(client, f"{path}/hours", form, WORKERS)
        assert refused.status_code == 400, form
        assert message in refused.text, form
    kept = await _post(client, f"{path}/hours", cases[0][0], WORKERS)
    assert 'name="start-1" value="11:00"' in kept.text
    french = await client.post(
        f"{path}/hours?lang=fr",
        data={"csrf_token": await page_token(client, WORKERS), **cases[0][0]},
    )
    assert "Mardi : deux plages se chevauchent." in french.text
    await client.get(WORKERS, params={"lang": "en"})  # the language cookie goes back
    after = (
        await client.get(f"/api/v1/workers/{tenant.worker_id}/hours", headers=tenant.headers)
    ).json()
    assert after == before
    backwards = await _post(
        client,
        f"{path}/exceptions",
        {"kind": "EXTRA_HOURS", "starts_at": "2030-01-02T10:00", "ends_at": "2030-01-02T09:00"},
        WORKERS,
    )
    assert backwards.status_code == 400
    assert "The end must be after the start." in backwards.text
    assert 'value="2030-01-02T10:00"' in backwards.text
    unnamed = await _post(client, WORKERS, {"name": ""}, WORKERS)
    assert unnamed.status_code == 400
    assert "Name: this field is required." in unnamed.text


async def test_appointment_type_create_edit_archive_show_in_the_api(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant
) -> None:
    await log_in(client, owner)
    form = {
        "name": "Passport application",
        "duration": "20",
        "buffer_before": "5",
        "buffer_after": "10",
        "capacity": "",
        "department": str(tenant.staffed_department_id),
        "workers": [str(tenant.worker_id)],
    }
    type_id = _id_from(await _post(client, TYPES, form, TYPES), TYPES)
    api = f"/api/v1/appointment-types/{type_id}"
    shown = (await client.get(api, headers=tenant.headers)).json()
    assert shown == {
        "id": type_id,
        "uuid": shown["uuid"],
        "name": "Passport application",
        "durationMinutes": 20,
        "bufferBeforeMinutes": 5,
        "bufferAfterMinutes": 10,
        "capacity": None,
        "departmentId": tenant.staffed_department_id,
        "workerIds": [tenant.worker_id],
    }
    edited = {**form, "name": "Group briefing", "capacity": "8", "department": "", "workers": []}
    assert (await _post(client, f"{TYPES}/{type_id}", edited, TYPES)).status_code == 303
    shown = (await client.get(api, headers=tenant.headers)).json()
    assert (shown["name"], shown["capacity"], shown["departmentId"], shown["workerIds"]) == (
        "Group briefing",
        8,
        None,
        [],
    )
    refused = await _post(client, f"{TYPES}/{type_id}", {**edited, "duration": "0"}, TYPES)
    assert refused.status_code == 400
    assert "Duration (minutes): give a whole number from 1 to 10080." in refused.text
    assert 'value="Group briefing"' in refused.text
    foreign = await _post(client, TYPES, {**form, "department": "999999"}, TYPES)
    assert foreign.status_code == 400
    assert "Choose a department from the list." in foreign.text
    archived = await _post(client, f"{TYPES}/{type_id}/archive", {}, TYPES)
    assert archived.status_code == 303
    listed = (await client.get("/api/v1/appointment-types", headers=tenant.headers)).json()
    assert type_id not in [t["id"] for t in listed]
    assert (
        "The appointment type is archived." in (await client.get(archived.headers["location"])).text
    )


async def test_staff_other_organizations_and_forms_without_token_are_refused(
    client: httpx.AsyncClient, staff: Login, owner: Login, tenant: Tenant, container: Container
) -> None:
    await log_in(client, staff)
    token = await page_token(client)
    for path in (*PAGES, f"{DEPARTMENTS}/{tenant.department_id}", f"{WORKERS}/{tenant.worker_id}"):
        assert (await client.get(path)).status_code == 403, path
        assert path not in (await client.get("/dashboard")).text
    refused = await client.post(DEPARTMENTS, data={"csrf_token": token, **DEPARTMENT_FORM})
    assert refused.status_code == 403
    refused = await client.post(WORKERS, data={"csrf_token": token, "name": "Intruder"})
    assert refused.status_code == 403
    client.cookies.clear()

    await log_in(client, owner)
    for path, data in (
        (DEPARTMENTS, DEPARTMENT_FORM),
        (WORKERS, {"name": "No token"}),
        (TYPES, {"name": "No token", "duration": "20", "buffer_before": "0", "buffer_after": "0"}),
        (f"{WORKERS}/{tenant.worker_id}/hours", {"start-0": "09:00", "end-0": "10:00"}),
    ):
        forged = await client.post(path, data=data)
        assert forged.status_code == 403, path
        assert "This form has expired or did not come from this site." in forged.text
    workers = (await client.get("/api/v1/workers", headers=tenant.headers)).json()
    assert "No token" not in [w["name"] for w in workers]
    assert (
        await client.get(f"/api/v1/workers/{tenant.worker_id}/hours", headers=tenant.headers)
    ).json()["ranges"] == []

    other = await make_tenant(container.services)
    for path in (f"{DEPARTMENTS}/{other.department_id}", f"{WORKERS}/{other.worker_id}"):
        assert (await client.get(path)).status_code == 403, path
    token = await page_token(client, DEPARTMENTS)
    closure = await client.post(
        f"{DEPARTMENTS}/{other.department_id}/closures",
        data={"csrf_token": token, "date": "2030-01-01"},
    )
    assert closure.status_code == 403
    assert (
        await client.get(
            f"/api/v1/departments/{other.department_id}/closures", headers=other.headers
        )
    ).json() == []


async def test_junk_fields_are_refused_or_dropped_never_a_server_error(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant
) -> None:
    await log_in(client, owner)
    junk = ["²", "٣", "-1", "1e3", "0x10", "9" * 40, "\x00", " ", "😀"]
    for value in junk:
        for path, data in (
            (DEPARTMENTS, {**DEPARTMENT_FORM, "slot_capacity": value, "time_zone": value * 80}),
            (WORKERS, {"name": f"Junk {value!r}", "departments": [value]}),
            (
                TYPES,
                {"name": "Junk", "duration": value, "buffer_before": "0", "buffer_after": "0"},
            ),
            (
                TYPES,
                {
                    "name": "Junk",
                    "duration": "20",
                    "buffer_before": "0",
                    "buffer_after": "0",
                    "department": value,
                    "workers": [value],
                },
            ),
            (f"{WORKERS}/{tenant.worker_id}/hours", {"start-0": value, "end-0": "10:00"}),
            (
                f"{WORKERS}/{tenant.worker_id}/exceptions",
                {"kind": value, "starts_at": value, "ends_at": value},
            ),
            (f"{DEPARTMENTS}/{tenant.department_id}/closures", {"date": value}),
        ):
            answer = await _post(client, path, data, DEPARTMENTS)
            assert answer.status_code in (303, 400), (path, value, answer.status_code)
