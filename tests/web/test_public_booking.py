"""The public booking page through HTTP: every step, the rules' refusals in plain words, CSRF,
a page turned off, the confirmation's QR code and .ics, and cancelling through the private link
with the credit refunded."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from slotbook.api.app import create_app
from slotbook.application.cancel_links import cancel_link, cancel_token_of
from slotbook.bootstrap import Container, build
from slotbook.config import Settings
from tests.scheduling_support import add_type, every_day, set_department
from tests.support import Tenant, balance, book, future, make_tenant
from tests.web.dashboard import hidden

EMAIL = "awa.camara@example.org"


@dataclass(frozen=True)
class Desk:
    """The tenant's open department with hours every day and two appointment types."""

    department_id: int
    type_id: int
    other_type_id: int

    @property
    def page(self) -> str:
        return f"/book/{self.department_id}"


@pytest.fixture
async def desk(client: httpx.AsyncClient, tenant: Tenant) -> Desk:
    d = tenant.department_id
    hours = await client.put(
        f"/api/v1/departments/{d}/hours", headers=tenant.headers, json=every_day("08:00", "18:00")
    )
    assert hours.status_code == 200, hours.text
    first = await add_type(client, tenant, name="Passport application", departmentId=d)
    second = await add_type(client, tenant, name="Collection", durationMinutes=10, departmentId=d)
    return Desk(d, first, second)


def _links(page: str, pattern: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(pattern, page)]


def _times(page: str) -> list[str]:
    return re.findall(r'name="time" value="([^"]+)"', page)


async def _free_days(client: httpx.AsyncClient, url: str) -> list[str]:
    """The links of the days with free times, on the month calendar and the months after it."""
    days: list[str] = []
    while True:
        page = await client.get(url)
        assert page.status_code == 200, page.text
        days += _links(page.text, r'<a href="([^"]+)" data-day=')
        following = _links(page.text, r'<a class="month-step" href="([^"]+)" id="month-next"')
        if not following:
            return days
        url = following[0]


async def _details_page(client: httpx.AsyncClient, desk: Desk, day_index: int = 1) -> str:
    """Walk the steps: type, then a day (the second offered: never today, which may be over)."""
    days = await _free_days(client, f"{desk.page}?type={desk.type_id}")
    assert len(days) >= 20  # four weeks of days open every day (today's slots may be gone)
    page = await client.get(days[day_index])
    assert page.status_code == 200, page.text
    return page.text


def _form(page: str, time_index: int = 0, **fields: str) -> dict[str, str]:
    kind = re.search(r'<input type="hidden" name="type" value="(\d+)"', page)
    return {
        **({"type": kind.group(1)} if kind else {}),
        "csrf_token": hidden(page, "csrf_token"),
        "day": hidden(page, "day"),
        "time": _times(page)[time_index],
        "name": "Awa Camara",
        "email": EMAIL,
        "phone": "+224 620 00 00 00",
        **fields,
    }


async def _book(client: httpx.AsyncClient, desk: Desk, **fields: str) -> httpx.Response:
    page = await _details_page(client, desk)
    return await client.post(desk.page, data=_form(page, **fields))


async def _appointments(client: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, Any]]:
    listed = await client.get(
        "/api/v1/appointments",
        headers=tenant.headers,
        params={"departmentId": tenant.department_id, "size": 100},
    )
    assert listed.status_code == 200, listed.text
    items: list[dict[str, Any]] = listed.json()["appointments"]
    return items


async def test_book_every_step_then_cancel_with_the_private_link(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    start = await client.get(desk.page)
    assert start.status_code == 200
    assert "Book an appointment: Open desk" in start.text
    # Step 1: the types, as radio buttons with labels.
    assert f'<label for="type-{desk.type_id}">' in start.text
    assert "Passport application" in start.text
    assert "Collection" in start.text
    assert start.headers["cache-control"] == "no-store"

    # Step 2: the days with free times; step 3: that day's times and the details.
    page = await _details_page(client, desk)
    times = _times(page)
    assert times
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", v) for v in times)
    assert times[0].endswith("T08:00")  # the first free time of a day that opens at 08:00
    for field in ("name", "email", "phone"):
        assert f'<label for="{field}">' in page
    assert "slotbook_book_csrf" in client.cookies

    booked = await client.post(desk.page, data=_form(page))
    assert booked.status_code == 303, booked.text
    location = booked.headers["location"]
    token = location.removeprefix("/book/appointment/")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)

    # The same booking as through the API: on the schedule, a client record, one credit used.
    [appointment] = await _appointments(client, tenant)
    assert appointment["name"] == "Awa Camara"
    assert appointment["dateTime"].startswith(times[0])
    assert appointment["appointmentTypeId"] == desk.type_id
    assert appointment["source"] == "booking page"
    assert appointment["fromWeb"] is True  # only the booking page books from the web
    found = await client.get(
        "/api/v1/clients/by-email", headers=tenant.headers, params={"email": EMAIL}
    )
    assert found.status_code == 200, found.text
    assert found.json()["id"] == appointment["clientId"]
    assert found.json()["phone"] == "+224 620 00 00 00"
    assert await balance(client, tenant) == 99

    confirmation = await client.get(location)
    assert confirmation.status_code == 200
    text = confirmation.text
    assert "Your appointment is booked." in text
    assert "<svg" in text
    assert appointment["qrCode"] in text
    assert f'href="/book/appointment/{token}.ics"' in text
    assert f'href="http://testserver/book/cancel/{token}"' in text

    ics = await client.get(f"/book/appointment/{token}.ics")  # no API key needed
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.text
    assert "SUMMARY:Awa Camara - Open desk" in ics.text

    cancel_page = await client.get(f"/book/cancel/{token}")
    assert cancel_page.status_code == 200
    assert "Cancel this appointment" in cancel_page.text
    cancelled = await client.post(
        f"/book/cancel/{token}", data={"csrf_token": hidden(cancel_page.text, "csrf_token")}
    )
    assert cancelled.status_code == 303
    assert cancelled.headers["location"] == f"/book/cancel/{token}?done=1"
    done = await client.get(cancelled.headers["location"])
    assert "Your appointment is cancelled." in done.text
    assert "Cancel this appointment" not in done.text
    assert await balance(client, tenant) == 100  # the credit is back
    [after] = await _appointments(client, tenant)
    assert after["status"] == "CANCELLED"
    # Cancelling again refunds nothing more.
    again = await client.post(
        f"/book/cancel/{token}", data={"csrf_token": hidden(cancel_page.text, "csrf_token")}
    )
    assert again.status_code == 303
    assert await balance(client, tenant) == 100


async def test_a_known_email_books_for_the_same_client_without_changing_it(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    made = await client.post(
        "/api/v1/clients",
        headers=tenant.headers,
        json={"name": "Awa Camara", "email": "Awa.Camara@Example.org", "phone": "0102030405"},
    )
    assert made.status_code == 201, made.text
    assert (await _book(client, desk, name="Someone Else", phone="0999")).status_code == 303
    [appointment] = await _appointments(client, tenant)
    assert appointment["clientId"] == made.json()["id"]
    assert appointment["name"] == "Someone Else"
    stored = await client.get(f"/api/v1/clients/{made.json()['id']}", headers=tenant.headers)
    assert stored.json()["name"] == "Awa Camara"
    assert stored.json()["phone"] == "0102030405"


async def test_two_first_bookings_with_one_new_address_share_one_client(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    page = await _details_page(client, desk)
    responses = await asyncio.gather(
        client.post(desk.page, data=_form(page, time_index=2)),
        client.post(desk.page, data=_form(page, time_index=6)),
    )
    assert [r.status_code for r in responses] == [303, 303]
    appointments = await _appointments(client, tenant)
    assert len({a["clientId"] for a in appointments}) == 1
    assert await balance(client, tenant) == 98


async def test_without_credits_the_office_cannot_take_bookings(
    client: httpx.AsyncClient, container: Container
) -> None:
    poor = await make_tenant(container.services, credits=0)
    hours = await client.put(
        f"/api/v1/departments/{poor.department_id}/hours", headers=poor.headers, json=every_day()
    )
    assert hours.status_code == 200
    days = await _free_days(client, f"/book/{poor.department_id}")
    page = await client.get(days[1])
    refused = await client.post(f"/book/{poor.department_id}", data=_form(page.text))
    assert refused.status_code == 402
    assert "This office cannot take bookings online right now." in refused.text
    assert await balance(client, poor) == 0


async def test_booking_rules_are_refused_in_plain_words_and_the_form_is_kept(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    await set_department(
        client, tenant, desk.department_id, bookingPolicy={"maxUpcomingPerClient": 1}
    )
    assert (await _book(client, desk)).status_code == 303
    page = await _details_page(client, desk, day_index=2)
    refused = await client.post(desk.page, data=_form(page, name="Awa C."))
    assert refused.status_code == 422
    assert "You already have as many upcoming appointments as this office allows" in refused.text
    assert 'value="Awa C."' in refused.text
    assert f'value="{EMAIL}"' in refused.text
    assert "MAX_UPCOMING_REACHED" not in refused.text
    assert "client" not in refused.text.lower()
    # In French, from the browser's language.
    client.cookies.delete("slotbook_lang")
    french = await client.post(
        desk.page, data=_form(page), headers={"Accept-Language": "fr-FR,fr;q=0.9"}
    )
    assert french.status_code == 422
    assert "Vous avez déjà autant de rendez-vous à venir" in french.text
    assert await balance(client, tenant) == 99


async def test_a_time_taken_meanwhile_is_refused(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    page = await _details_page(client, desk)
    first = await client.post(desk.page, data=_form(page))
    assert first.status_code == 303
    taken = await client.post(desk.page, data=_form(page, email="other@example.org"))
    assert taken.status_code == 409
    assert "Sorry, this time has just been taken." in taken.text
    assert _form(page)["time"] not in _times(taken.text)  # no longer offered
    assert await balance(client, tenant) == 99


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "  "}, "name", "Please enter your name"),
        ({"name": "x" * 201}, "name", "Please enter your name"),
        ({"email": "not-an-address"}, "email", "Please enter a valid e-mail address."),
        ({"phone": "call me"}, "phone", "Please enter a valid phone number"),
        ({"phone": ""}, "phone", "Please enter a valid phone number"),
        ({"time": "tomorrow"}, "time", "Please choose one of the free times."),
        ({"type": "abc"}, None, "Please choose an appointment type."),
        ({"type": ""}, None, "Please choose an appointment type."),
    ],
)
async def test_invalid_fields_are_refused(
    client: httpx.AsyncClient,
    tenant: Tenant,
    desk: Desk,
    fields: dict[str, str],
    field: str | None,
    message: str,
) -> None:
    response = await _book(client, desk, **fields)
    assert response.status_code == 400
    text = html.unescape(response.text)
    if field is None:  # not a field of this form: the type step again, with the message
        assert re.search(f'<p class="error" role="alert" id="book-error"[^>]*>{message}', text)
    else:  # next to its field, which says it is invalid and has the focus
        found = re.search(f'<p class="field-error" id="{field}-error">([^<]+)</p>', text)
        assert found is not None
        assert message in found.group(1)
        assert re.search(f'id="{field}(-1)?"[^>]*aria-invalid="true"', text)
        assert re.search(f'aria-describedby="{field}-error', text)
        assert text.count(" autofocus") == 1
        assert 'role="alert"' not in text  # no banner at the top
    assert await balance(client, tenant) == 100


async def test_every_wrong_field_is_shown_next_to_it_and_the_first_gets_the_focus(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    page = await _details_page(client, desk)
    form = {**_form(page, name="", email="nope", phone="call me"), "time": ""}
    response = await client.post(desk.page, data=form, headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    text = html.unescape(response.text)
    for field in ("time", "name", "email", "phone"):
        assert f'id="{field}-error"' in text, field
    assert "Indiquez une adresse e-mail valide." in text
    # The focus goes to the first wrong field in the page's order: the times.
    [focused] = re.findall(r"<input [^>]*autofocus[^>]*>", text)
    assert 'id="time-1"' in focused
    assert 'value="nope"' in text  # what was typed comes back
    assert await balance(client, tenant) == 100


@pytest.mark.parametrize(
    "time",
    [
        "2020-01-01T10:00",  # past
        "2099-01-01T10:00",  # beyond the weeks shown
        "{day}T03:00",  # outside opening hours
        "{day}T08:07",  # not on the slot grid
        "{day}T08:00~2147483647",  # a worker who does not work here
    ],
)
async def test_only_offered_times_can_be_booked(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk, time: str
) -> None:
    page = await _details_page(client, desk)
    chosen = time.format(day=hidden(page, "day"))
    response = await client.post(desk.page, data=_form(page, time=chosen))
    assert response.status_code == 409
    assert "Sorry, this time has just been taken." in html.unescape(response.text)
    assert await balance(client, tenant) == 100


async def test_a_department_without_hours_takes_no_booking_from_its_page(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """The API books any future time there; the page, which offers none, books none."""
    assert (await client.get(f"/book/{tenant.department_id}")).status_code == 200
    form = {
        "csrf_token": client.cookies["slotbook_book_csrf"],
        "time": future(days=3).removesuffix(":00"),
        "name": "A",
        "email": "a@example.org",
        "phone": "0102",
    }
    response = await client.post(f"/book/{tenant.department_id}", data=form)
    assert response.status_code == 409
    assert await balance(client, tenant) == 100


async def test_a_type_of_another_department_is_refused(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    elsewhere = await add_type(
        client, tenant, name="Elsewhere", departmentId=tenant.staffed_department_id
    )
    response = await _book(client, desk, type=str(elsewhere))
    assert response.status_code == 400
    assert await balance(client, tenant) == 100


async def test_forms_need_the_csrf_cookie_and_token(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    page = await _details_page(client, desk)
    form = _form(page)
    for bad in (
        {**form, "csrf_token": "forged"},
        {k: v for k, v in form.items() if k != "csrf_token"},
    ):
        refused = await client.post(desk.page, data=bad)
        assert refused.status_code == 403
        assert "did not come from this site" in refused.text
        assert 'value="Awa Camara"' in refused.text  # the form comes back, filled in
    cookie = client.cookies.pop("slotbook_book_csrf")
    assert (await client.post(desk.page, data=form)).status_code == 403  # another site's post
    assert await balance(client, tenant) == 100
    client.cookies.set("slotbook_book_csrf", cookie)
    booked = await client.post(desk.page, data=form)
    assert booked.status_code == 303
    token = booked.headers["location"].rsplit("/", 1)[1]
    forged_cancel = await client.post(f"/book/cancel/{token}", data={"csrf_token": "forged"})
    assert forged_cancel.status_code == 403
    assert "did not come from this site" in forged_cancel.text
    assert await balance(client, tenant) == 99


async def test_a_department_can_turn_its_page_off(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    page = await _details_page(client, desk)
    detail = await set_department(client, tenant, desk.department_id, bookingPageEnabled=False)
    assert detail["bookingPageEnabled"] is False
    for response in (
        await client.get(desk.page),
        await client.get(f"{desk.page}?type={desk.type_id}&lang=fr"),
        await client.post(desk.page, data=_form(page)),
    ):
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
    assert "Ce service ne prend pas de rendez-vous en ligne." in (await client.get(desk.page)).text
    english = await client.get(f"{desk.page}?lang=en")
    assert "This office does not take bookings online." in english.text
    assert await balance(client, tenant) == 100
    on = await set_department(client, tenant, desk.department_id, bookingPageEnabled=True)
    assert on["bookingPageEnabled"] is True
    assert (await client.get(desk.page)).status_code == 200
    got = await client.get(f"/api/v1/departments/{desk.department_id}", headers=tenant.headers)
    assert got.json()["bookingPageEnabled"] is True
    bad = await client.patch(
        f"/api/v1/departments/{desk.department_id}",
        headers=tenant.headers,
        json={"bookingPageEnabled": "no"},
    )
    assert bad.status_code == 400


async def test_unknown_pages_and_links_answer_a_friendly_404(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    for path in (
        "/book/2147483647",
        "/book/cancel/not-a-token",
        "/book/appointment/not-a-token",
        "/book/appointment/not-a-token.ics",
        f"/book/cancel/{'x' * 500}",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "/dashboard" not in response.text  # the public layout, not the dashboard's
    assert "This link is not valid." in (await client.get("/book/cancel/nope")).text
    assert (await client.post("/book/cancel/nope", data={"csrf_token": "x"})).status_code == 404
    assert (await client.get("/book/abc")).status_code == 404
    assert (await client.get("/book/2147483648")).status_code == 400
    # Junk in the step parameters reads as "not chosen yet": the first step again.
    junk = await client.get(f"{desk.page}?type=x&day=never")
    assert junk.status_code == 200
    assert '<input type="radio" id="type-' in junk.text
    other_day = await client.get(f"{desk.page}?type={desk.type_id}&day=1999-01-01")
    assert "This day has no free time left." in other_day.text
    for day in ("0001-01-01", "9999-12-30"):  # out of the supported years: not chosen
        far = await client.get(f"{desk.page}?type={desk.type_id}&day={day}")
        assert far.status_code == 200, far.text


async def test_a_department_without_free_times_says_so(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    page = await client.get(f"/book/{tenant.department_id}")  # no hours: no slot list
    assert page.status_code == 200
    assert "There are no free times in the next 4 weeks." in page.text


async def test_cancelling_too_late_is_refused_in_plain_words(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    await set_department(
        client, tenant, desk.department_id, bookingPolicy={"minCancelNoticeMinutes": 60 * 24 * 60}
    )
    booked = await _book(client, desk)
    token = booked.headers["location"].rsplit("/", 1)[1]
    page = await client.get(f"/book/cancel/{token}")
    assert "It can be cancelled online until" in page.text
    refused = await client.post(
        f"/book/cancel/{token}", data={"csrf_token": hidden(page.text, "csrf_token")}
    )
    assert refused.status_code == 422
    assert "It is too late to cancel this appointment online." in refused.text
    assert await balance(client, tenant) == 99


async def test_cancel_links_for_appointments_booked_through_the_api(
    client: httpx.AsyncClient, tenant: Tenant, container: Container
) -> None:
    """The operation reminders use: the same token every time, opening the same cancel page."""
    created = await book(client, tenant, future(days=5))
    services = container.services
    token = await cancel_token_of(services, tenant.organization_id, int(created["id"]))
    assert await cancel_token_of(services, tenant.organization_id, int(created["id"])) == token
    assert cancel_link("https://book.example.org/", token) == (
        f"https://book.example.org/book/cancel/{token}"
    )
    page = await client.get(f"/book/cancel/{token}?lang=fr")
    assert page.status_code == 200
    assert "Annuler votre rendez-vous" in page.text
    assert "Jean Dupont" in page.text
    cancelled = await client.post(
        f"/book/cancel/{token}", data={"csrf_token": hidden(page.text, "csrf_token")}
    )
    assert cancelled.status_code == 303
    assert await balance(client, tenant) == 100


async def test_french_day_names_and_language_switch_keep_the_step(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    days = await client.get(f"{desk.page}?type={desk.type_id}", headers={"Accept-Language": "fr"})
    assert '<html lang="fr">' in days.text
    assert "Choisissez un jour" in days.text
    assert re.search(r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d+ \w+", days.text)
    assert re.search(r'<h3 id="month-heading"[^>]*>[A-ZÉ][a-zéû]+ \d{4}</h3>', days.text)
    assert f'href="/book/{desk.department_id}?type={desk.type_id}&amp;lang=en"' in days.text


@pytest.fixture
async def strict_anonymous_client(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    # The booking pages have their own budget per address (docs/rate-limits.md).
    settings = Settings(database_url=container.settings.database_url, page_rate_limit=2)
    own = build(settings)
    transport = httpx.ASGITransport(app=create_app(container=own))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await own.aclose()


async def test_visitors_are_limited_per_address(
    strict_anonymous_client: httpx.AsyncClient, desk: Desk
) -> None:
    statuses = [(await strict_anonymous_client.get(desk.page)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


async def test_a_department_that_names_its_workers_offers_each_of_them(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    d = tenant.staffed_department_id  # showAdminsInBooking: the client chooses the worker
    hours = await client.put(
        f"/api/v1/departments/{d}/hours", headers=tenant.headers, json=every_day()
    )
    assert hours.status_code == 200
    days = await _free_days(client, f"/book/{d}")
    page = (await client.get(days[1])).text
    assert re.search(r"09:00 with Worker \d+", page)
    assert all(v.endswith(f"~{tenant.worker_id}") for v in _times(page))
    booked = await client.post(f"/book/{d}", data=_form(page))
    assert booked.status_code == 303, booked.text
    listed = await client.get(
        "/api/v1/appointments", headers=tenant.headers, params={"departmentId": d}
    )
    [appointment] = listed.json()["appointments"]
    assert appointment["workerId"] == tenant.worker_id


def _month(page: str) -> tuple[set[str], set[str]]:
    """The month calendar's days with free times (links) and without (plain text)."""
    return set(re.findall(r'data-day="([\d-]+)"', page)), set(
        re.findall(r'data-closed="([\d-]+)"', page)
    )


async def test_the_month_calendar_disables_days_without_free_times_and_pages_by_month(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """Open on Mondays only: every other day of the month is shown but is not a link."""
    d = tenant.department_id
    mondays = {"ranges": [{"weekday": "MONDAY", "start": "09:00", "end": "12:00"}]}
    hours = await client.put(f"/api/v1/departments/{d}/hours", headers=tenant.headers, json=mondays)
    assert hours.status_code == 200, hours.text
    page = await client.get(f"/book/{d}")
    assert page.status_code == 200
    free, closed = _month(page.text)
    assert free
    assert all(date.fromisoformat(x).weekday() == 0 for x in free)
    assert closed
    assert all(x not in free for x in closed)
    # Every day of the month is on the grid, free or not.
    first = date.fromisoformat(min(free | closed))
    assert first.day == 1
    # The first free day is chosen: its times are beside the calendar.
    [chosen] = re.findall(
        r'data-day="([\d-]+)" class="day free"[^>]*aria-current="true"', page.text
    )
    assert chosen == min(free)
    assert re.search(rf'name="day" value="{chosen}"', page.text)
    assert _times(page.text)[0] == f"{chosen}T09:00"
    # The next month, when the four weeks reach it; never a month without free days.
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    all_days = await _free_days(client, f"/book/{d}")
    months = {link.split("day=")[1][:7] for link in all_days}
    following = _links(page.text, r'<a class="month-step" href="([^"]+)" id="month-next"')
    assert bool(following) == (len(months) > 1)
    assert all(
        (date.fromisoformat(link.split("day=")[1][:10]) - today).days < 28 for link in all_days
    )
    # A month given in the address, with nothing free: all disabled, with the way back.
    empty = await client.get(f"/book/{d}?month=2099-01")
    assert empty.status_code == 200
    assert _month(empty.text)[0] == set()
    assert "No free time this month." in empty.text
    assert 'id="month-previous"' in empty.text
    for junk in ("2099-13", "x", "20990-01", "1899-12"):  # ignored: the first free month
        assert (await client.get(f"/book/{d}?month={junk}")).status_code == 200


async def test_times_are_shown_in_the_visitors_zone_and_the_office_zone_is_named(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    page = await _details_page(client, desk)
    assert "Times are in Europe/Paris, the office&#39;s time zone." in page
    assert '<option value="America/New_York">America/New York</option>' in page
    day = hidden(page, "day")
    in_new_york = await client.get(f"{desk.page}?type={desk.type_id}&day={day}&tz=America/New_York")
    text = html.unescape(in_new_york.text)
    assert '<option value="America/New_York" selected>' in text
    assert "Times are in America/New_York. The office is in Europe/Paris" in text
    # Each time in New York, with the office's own time under it; the value stays the office's.
    office = datetime.fromisoformat(_times(in_new_york.text)[0])
    shown = office.replace(tzinfo=ZoneInfo("Europe/Paris")).astimezone(ZoneInfo("America/New_York"))
    assert re.search(rf'{shown:%H:%M}<span class="office-time">Paris {office:%H:%M}</span>', text)
    assert hidden(in_new_york.text, "tz") == "America/New_York"
    booked = await client.post(desk.page, data=_form(in_new_york.text, tz="America/New_York"))
    assert booked.status_code == 303
    assert booked.headers["location"].endswith("?tz=America%2FNew_York")
    confirmation = html.unescape((await client.get(booked.headers["location"])).text)
    assert "America/New York" in confirmation
    assert f"At the office (Europe/Paris): {office:%H:%M} \u2013 " in confirmation
    # An unknown zone is ignored: the office's.
    for bad in ("Mars/Olympus", "x" * 100, "../etc"):
        other = await client.get(f"{desk.page}?type={desk.type_id}&tz={bad}")
        assert other.status_code == 200
        assert "the office&#39;s time zone" in other.text


async def test_the_confirmation_says_when_where_and_how_to_add_change_or_cancel(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    detail = await set_department(
        client,
        tenant,
        desk.department_id,
        address="12 rue de la Paix, 75002 Paris",
        directions="Second floor, door B.",
    )
    assert detail["address"] == "12 rue de la Paix, 75002 Paris"
    assert detail["directions"] == "Second floor, door B."
    booked = await _book(client, desk)
    token = booked.headers["location"].removeprefix("/book/appointment/")
    [appointment] = await _appointments(client, tenant)
    start = datetime.fromisoformat(appointment["dateTime"])
    page = html.unescape((await client.get(booked.headers["location"])).text)
    weekday = start.strftime("%A")
    assert f"{weekday} {start.day} {start:%B} {start.year}" in page  # the year
    assert f"{start:%H:%M} \u2013 {start + timedelta(minutes=30):%H:%M}" in page  # start and end
    assert "Europe/Paris" in page
    assert "12 rue de la Paix, 75002 Paris" in page
    assert "Second floor, door B." in page
    google = re.search(r'id="google-link" href="([^"]+)"', page) or re.search(
        r'href="([^"]+)" id="google-link"', page
    )
    assert google is not None
    url = urlsplit(google.group(1))
    assert (url.scheme, url.netloc, url.path) == (
        "https",
        "calendar.google.com",
        "/calendar/render",
    )
    query = parse_qs(url.query)
    utc = start.replace(tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
    end = utc + timedelta(minutes=30)
    assert query["dates"] == [f"{utc:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"]
    assert query["location"] == ["12 rue de la Paix, 75002 Paris"]
    assert f"/book/reschedule/{token}" in page
    assert f"/book/cancel/{token}" in page
    ics = (await client.get(f"/book/appointment/{token}.ics")).text.replace("\r\n ", "")
    assert f"DTSTART;TZID=Europe/Paris:{start:%Y%m%dT%H%M%S}" in ics
    assert f"DTEND;TZID=Europe/Paris:{start + timedelta(minutes=30):%Y%m%dT%H%M%S}" in ics
    assert "LOCATION:" in ics
    assert "12 rue de la Paix\\, 75002 Paris" in ics
    # In French, with the French date.
    french = html.unescape((await client.get(f"/book/appointment/{token}?lang=fr")).text)
    assert f" {start.year}" in french
    assert "Ajouter à Google Agenda" in french
    assert "Changer la date ou l'heure" in french
    # Cancelling in another zone keeps it on the page that says it is done.
    cancel = await client.get(f"/book/cancel/{token}?tz=Asia/Tokyo")
    assert hidden(cancel.text, "tz") == "Asia/Tokyo"
    done = await client.post(
        f"/book/cancel/{token}",
        data={"csrf_token": hidden(cancel.text, "csrf_token"), "tz": "Asia/Tokyo"},
    )
    assert done.headers["location"] == f"/book/cancel/{token}?done=1&tz=Asia%2FTokyo"
    assert "Asia/Tokyo" in (await client.get(done.headers["location"])).text


async def test_a_visitor_reschedules_through_the_private_link(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    booked = await _book(client, desk)
    token = booked.headers["location"].removeprefix("/book/appointment/")
    [before] = await _appointments(client, tenant)
    days = await _free_days(client, f"/book/reschedule/{token}")
    assert days
    page = (await client.get(days[2])).text
    assert "Change your appointment" in page
    assert 'name="name"' not in page  # only the time changes
    new_time = _times(page)[1]
    moved = await client.post(
        f"/book/reschedule/{token}",
        data={"csrf_token": hidden(page, "csrf_token"), "time": new_time},
    )
    assert moved.status_code == 303, moved.text
    assert moved.headers["location"] == f"/book/appointment/{token}?moved=1"
    [after] = await _appointments(client, tenant)
    assert after["id"] == before["id"]
    assert after["dateTime"].startswith(new_time)
    assert after["status"] == before["status"]
    assert await balance(client, tenant) == 99  # no second credit
    confirmation = await client.get(moved.headers["location"])
    assert "Your appointment has been moved." in confirmation.text
    # The old time is free again: offered to others.
    again = await _details_page(client, desk)
    assert again


async def test_rescheduling_follows_the_rules_and_says_why_not(
    client: httpx.AsyncClient, tenant: Tenant, desk: Desk
) -> None:
    booked = await _book(client, desk)
    token = booked.headers["location"].removeprefix("/book/appointment/")
    [before] = await _appointments(client, tenant)
    page = (await client.get(f"/book/reschedule/{token}")).text
    form = {"csrf_token": hidden(page, "csrf_token")}
    # No time chosen, and a time that is not offered.
    none = await client.post(f"/book/reschedule/{token}", data=form)
    assert none.status_code == 400
    assert 'id="time-error"' in none.text
    far = await client.post(f"/book/reschedule/{token}", data={**form, "time": "2099-01-01T10:00"})
    assert far.status_code == 409
    assert "Sorry, this time has just been taken." in html.unescape(far.text)
    # The minimum notice to cancel: moving gives up the old time, so it applies.
    await set_department(
        client, tenant, desk.department_id, bookingPolicy={"minCancelNoticeMinutes": 60 * 24 * 60}
    )
    late = await client.post(f"/book/reschedule/{token}", data={**form, "time": _times(page)[3]})
    assert late.status_code == 422
    assert "It is too late to change this appointment online." in html.unescape(late.text)
    forged = await client.post(
        f"/book/reschedule/{token}", data={"csrf_token": "x", "time": _times(page)[3]}
    )
    assert forged.status_code == 403
    [after] = await _appointments(client, tenant)
    assert after["dateTime"] == before["dateTime"]
    # A cancelled appointment cannot be moved.
    await set_department(
        client, tenant, desk.department_id, bookingPolicy={"minCancelNoticeMinutes": None}
    )
    cancel = await client.get(f"/book/cancel/{token}")
    await client.post(
        f"/book/cancel/{token}", data={"csrf_token": hidden(cancel.text, "csrf_token")}
    )
    gone = await client.get(f"/book/reschedule/{token}")
    assert gone.status_code == 200
    assert "This appointment can no longer be changed online." in gone.text
    assert (await client.get("/book/reschedule/nope")).status_code == 404
