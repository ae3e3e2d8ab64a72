"""The calendar: day and week views, department and worker filters, navigation, time zones."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.support import Login, Tenant, TestClock, book
from tests.web.dashboard import log_in

PARIS = ZoneInfo("Europe/Paris")
PAGE = "/dashboard/calendar"


def _blocks(html: str) -> list[tuple[str, str]]:
    """(time span, name) of every appointment block, in page order."""
    return re.findall(
        r'<span class="cal-time">([^<]+)</span>\s*<span class="cal-name">([^<]+)</span>', html
    )


def _next_monday() -> date:
    today = datetime.now(PARIS).date()
    return today + timedelta(days=7 - today.weekday())


async def test_week_and_day_views_in_the_departments_time_zone(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, clock: TestClock
) -> None:
    monday = _next_monday()
    at = [
        datetime.combine(monday + timedelta(days=d), datetime.min.time(), PARIS) for d in (0, 2, 7)
    ]
    await book(client, tenant, at[0].replace(hour=9), name="Awa Camara")
    await book(client, tenant, at[1].replace(hour=14, minute=30), name="Jean Dupont")
    await book(client, tenant, at[2].replace(hour=9), name="Next Week")
    staffed = await book(
        client,
        tenant,
        at[0].replace(hour=11),
        name="With Officer",
        departmentId=tenant.staffed_department_id,
        workerId=tenant.worker_id,
    )

    await log_in(client, staff)
    week = await client.get(PAGE, params={"date": monday.isoformat()})
    assert week.status_code == 200, week.text
    # Start and end in the department's zone (Paris), not UTC; the next week is not shown.
    assert _blocks(week.text) == [
        ("09:00\u201309:30", "Awa Camara"),
        ("11:00\u201311:30", "With Officer"),
        ("14:30\u201315:00", "Jean Dupont"),
    ]
    assert week.text.count('class="cal-day') == 7
    assert f'href="/dashboard/appointments/{staffed["id"]}"' in week.text
    assert "Scheduled</span>" in week.text

    day = await client.get(PAGE, params={"view": "day", "date": monday.isoformat()})
    assert day.status_code == 200
    assert [n for _, n in _blocks(day.text)] == ["Awa Camara", "With Officer"]
    assert day.text.count('class="cal-day') == 1
    previous = (monday - timedelta(days=1)).isoformat()
    assert f'href="/dashboard/calendar?view=day&amp;date={previous}"' in day.text

    following = await client.get(PAGE, params={"date": (monday + timedelta(days=7)).isoformat()})
    assert [n for _, n in _blocks(following.text)] == ["Next Week"]


async def test_filters_by_department_and_worker(
    client: httpx.AsyncClient, owner: Login, tenant: Tenant
) -> None:
    monday = _next_monday()
    at = datetime.combine(monday, datetime.min.time(), PARIS)
    await book(client, tenant, at.replace(hour=9), name="Open Desk Visit")
    await book(
        client,
        tenant,
        at.replace(hour=10),
        name="Officer Visit",
        departmentId=tenant.staffed_department_id,
        workerId=tenant.worker_id,
    )
    await log_in(client, owner)
    base = {"date": monday.isoformat()}
    by_department = await client.get(
        PAGE, params={**base, "department": str(tenant.staffed_department_id)}
    )
    assert [n for _, n in _blocks(by_department.text)] == ["Officer Visit"]
    assert f'<option value="{tenant.staffed_department_id}" selected>' in by_department.text
    by_worker = await client.get(PAGE, params={**base, "worker": str(tenant.worker_id)})
    assert [n for _, n in _blocks(by_worker.text)] == ["Officer Visit"]
    # The empty choice of a select means "all".
    everything = await client.get(PAGE, params={**base, "department": "", "worker": ""})
    assert len(_blocks(everything.text)) == 2


async def test_today_is_the_default_and_is_marked(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant, clock: TestClock
) -> None:
    monday = _next_monday()
    await book(
        client,
        tenant,
        datetime.combine(monday, datetime.min.time(), PARIS).replace(hour=16),
        name="Late",
    )
    # 23:30 UTC on Sunday is already Monday 00:30 in Paris: today is Monday.
    clock.freeze(datetime.combine(monday, datetime.min.time(), UTC) - timedelta(minutes=30))
    await log_in(client, staff)
    page = await client.get(PAGE, params={"view": "day"})
    assert page.status_code == 200
    assert [n for _, n in _blocks(page.text)] == ["Late"]
    assert "cal-today" in page.text


async def test_bad_filters_are_refused_and_foreign_departments_hidden(
    client: httpx.AsyncClient, staff: Login, tenant: Tenant
) -> None:
    from tests.support import make_tenant

    other = await make_tenant(tenant.services)
    await log_in(client, staff)
    for params in (
        {"view": "month"},
        {"date": "2027-02-30"},
        {"date": "0001-01-01"},
        {"department": "abc"},
        {"worker": "-1"},
        {"department": "99999999999"},
        {"department": str(other.department_id)},
    ):
        response = await client.get(PAGE, params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.headers["content-type"].startswith("text/html")
    assert (await client.get(PAGE, params={"date": "9000-12-31"})).status_code == 200


async def test_calendar_in_french(client: httpx.AsyncClient, staff: Login, tenant: Tenant) -> None:
    await log_in(client, staff)
    page = await client.get(PAGE, params={"lang": "fr", "date": "2027-02-15"})
    assert "Semaine du 15/02 au 21/02" in page.text
    assert "lundi 15/02" in page.text
    assert "Tous les services" in page.text


async def test_new_pages_need_a_login_and_staff_reach_theirs(
    client: httpx.AsyncClient, staff: Login
) -> None:
    for path in (PAGE, "/dashboard/check-in", "/dashboard/appointments/1", "/dashboard/webhooks"):
        response = await client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"/dashboard/login?next={path}"
    await log_in(client, staff)
    home = await client.get("/dashboard")
    assert f'href="{PAGE}"' in home.text
    assert 'href="/dashboard/check-in"' in home.text
    assert 'href="/dashboard/webhooks"' not in home.text
    for path, status in (
        (PAGE, 200),
        ("/dashboard/check-in", 200),
        ("/dashboard/webhooks", 403),
        ("/dashboard/credits", 403),
        ("/dashboard/settings/api", 403),
    ):
        assert (await client.get(path)).status_code == status, path
