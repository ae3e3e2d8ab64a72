"""The waitlist's pure rules: windows, which entry a freed time goes to, offer expiry."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.waitlist import (
    Candidate,
    FreedTime,
    OfferStatus,
    TimeOfDay,
    Window,
    first_match,
    fits,
    format_times,
    offer_expires_at,
    offer_open,
    parse_times,
    queue_key,
    weekdays_of,
)

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2031, 3, 3)  # a Monday


def at(day: date, hour: int, minute: int = 0, tz: ZoneInfo = PARIS) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def freed(day: date = MONDAY, hour: int = 10, minutes: int = 30, **kw: object) -> FreedTime:
    starts = at(day, hour)
    fields: dict[str, object] = {"department_id": 1, "worker_id": 7, "appointment_type_id": 3}
    fields.update(kw)
    return FreedTime(starts_at=starts, ends_at=starts + timedelta(minutes=minutes), **fields)  # type: ignore[arg-type]


def entry(id: int, window: Window | None = None, **kw: object) -> Candidate:
    fields: dict[str, object] = {"appointment_type_id": None, "worker_id": None}
    fields.update(kw)
    return Candidate(id=id, window=window or Window(MONDAY, MONDAY + timedelta(days=6)), **fields)  # type: ignore[arg-type]


def test_a_window_holds_its_days_weekdays_and_times() -> None:
    w = Window(MONDAY, MONDAY + timedelta(days=13), frozenset({0, 2}), (TimeOfDay(540, 720),))
    assert w.contains(at(MONDAY, 9), at(MONDAY, 9, 30), PARIS)
    assert w.contains(at(MONDAY, 11, 30), at(MONDAY, 12), PARIS)
    assert not w.contains(at(MONDAY, 11, 45), at(MONDAY, 12, 15), PARIS)  # ends outside
    assert not w.contains(at(MONDAY, 8, 30), at(MONDAY, 9), PARIS)
    assert not w.contains(at(MONDAY + timedelta(days=1), 10), at(MONDAY, 10, 30), PARIS)
    assert w.contains(at(MONDAY + timedelta(days=2), 10), at(MONDAY + timedelta(days=2), 11), PARIS)
    assert not w.contains(at(MONDAY + timedelta(days=14), 10), at(MONDAY, 10), PARIS)
    assert not w.contains(at(MONDAY - timedelta(days=7), 10), at(MONDAY, 10), PARIS)


def test_the_window_reads_local_days_not_utc_ones() -> None:
    # 00:30 in Paris on Tuesday is still Monday in UTC.
    w = Window(MONDAY + timedelta(days=1), MONDAY + timedelta(days=1))
    tuesday = MONDAY + timedelta(days=1)
    assert w.contains(at(tuesday, 0, 30), at(tuesday, 1), PARIS)
    assert w.closes_at(PARIS) == at(MONDAY + timedelta(days=2), 0)


@pytest.mark.parametrize(
    ("earliest", "latest", "weekdays", "times"),
    [
        (MONDAY, MONDAY - timedelta(days=1), frozenset(), ()),
        (MONDAY, MONDAY + timedelta(days=400), frozenset(), ()),
        (MONDAY, MONDAY, frozenset({7}), ()),
        (MONDAY, MONDAY, frozenset(), tuple(TimeOfDay(i, i + 1) for i in range(9))),
    ],
)
def test_impossible_windows_are_refused(
    earliest: date, latest: date, weekdays: frozenset[int], times: tuple[TimeOfDay, ...]
) -> None:
    with pytest.raises(InvalidRequest):
        Window(earliest, latest, weekdays, times)


def test_impossible_times_of_day_are_refused() -> None:
    with pytest.raises(InvalidRequest):
        TimeOfDay(600, 600)
    assert TimeOfDay.of(time(22, 0), time(0, 0)) == TimeOfDay(1320, 1440)


def test_first_come_first_served_then_staff_priority() -> None:
    entries = [entry(5), entry(2), entry(9, priority=1)]
    chosen = first_match(entries, freed(), PARIS)
    assert chosen is not None
    assert chosen.id == 9
    chosen = first_match(entries[:2], freed(), PARIS)
    assert chosen is not None
    assert chosen.id == 2


def test_type_worker_and_a_former_offer_of_this_time_exclude() -> None:
    f = freed()
    assert not fits(entry(1, appointment_type_id=4), f, PARIS)
    assert fits(entry(1, appointment_type_id=3), f, PARIS)
    assert not fits(entry(1, worker_id=8), f, PARIS)
    assert fits(entry(1, worker_id=7), f, PARIS)
    assert not fits(entry(1, offered_before=True), f, PARIS)
    assert first_match([entry(1, worker_id=8)], f, PARIS) is None


def test_an_offer_lasts_its_minutes_but_never_past_the_time() -> None:
    now = at(MONDAY, 9)
    assert offer_expires_at(now, 30, at(MONDAY, 12)) == now + timedelta(minutes=30)
    assert offer_expires_at(now, 30, at(MONDAY, 9, 10)) == at(MONDAY, 9, 10)
    assert offer_open(OfferStatus.OPEN, now + timedelta(seconds=1), now)
    assert not offer_open(OfferStatus.OPEN, now, now)
    assert not offer_open(OfferStatus.DECLINED, now + timedelta(hours=1), now)


days = st.integers(min_value=0, max_value=60)
minutes = st.integers(min_value=0, max_value=24 * 60 - 15)


@st.composite
def windows(draw: st.DrawFn) -> Window:
    start = MONDAY + timedelta(days=draw(days))
    length = draw(st.integers(min_value=0, max_value=30))
    weekdays = frozenset(draw(st.lists(st.integers(0, 6), max_size=7)))
    times = []
    for _ in range(draw(st.integers(0, 3))):
        a = draw(st.integers(0, 24 * 60 - 1))
        b = draw(st.integers(a + 1, 24 * 60))
        times.append(TimeOfDay(a, b))
    return Window(start, start + timedelta(days=length), weekdays, tuple(times))


@given(windows(), days, minutes, st.integers(min_value=5, max_value=240))
def test_a_time_in_the_window_is_on_its_days_and_within_one_time_of_day(
    window: Window, day: int, minute: int, length: int
) -> None:
    local = datetime.combine(MONDAY + timedelta(days=day), time(0), tzinfo=PARIS) + timedelta(
        minutes=minute
    )
    starts = local.astimezone(UTC)
    ends = starts + timedelta(minutes=length)
    inside = window.contains(starts, ends, PARIS)
    local_day = starts.astimezone(PARIS).date()
    if inside:
        assert window.earliest <= local_day <= window.latest
        assert not window.weekdays or local_day.weekday() in window.weekdays
    if not window.times_of_day and window.earliest <= local_day <= window.latest:
        assert inside == (not window.weekdays or local_day.weekday() in window.weekdays)


@given(windows())
def test_stored_forms_read_back_the_same(window: Window) -> None:
    assert weekdays_of(window.weekday_mask) == window.weekdays
    assert parse_times(format_times(window.times_of_day)) == window.times_of_day


@given(
    st.lists(
        st.tuples(
            st.integers(1, 10_000),
            st.integers(-2, 2),
            st.sampled_from([None, 3, 4]),
            st.sampled_from([None, 7, 8]),
            st.booleans(),
        ),
        max_size=30,
        unique_by=lambda t: t[0],
    )
)
def test_the_match_is_the_first_fitting_entry_in_queue_order(
    rows: list[tuple[int, int, int | None, int | None, bool]],
) -> None:
    entries = [
        entry(i, priority=p, appointment_type_id=t, worker_id=w, offered_before=o)
        for i, p, t, w, o in rows
    ]
    f = freed()
    chosen = first_match(entries, f, PARIS)
    fitting = [e for e in entries if fits(e, f, PARIS)]
    if not fitting:
        assert chosen is None
        return
    assert chosen is not None
    assert fits(chosen, f, PARIS)
    # No fitting entry comes before the chosen one, whatever order they were given in.
    assert all(queue_key(chosen) <= queue_key(e) for e in fitting)
    assert first_match(list(reversed(entries)), f, PARIS) == chosen
