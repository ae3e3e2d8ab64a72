"""Wall-clock time versus UTC instants, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.errors import InvalidRequest
from slotbook.domain.time import OffsetTimes, local_to_utc, naive_local, with_offset, zone

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def test_spring_gap_does_not_exist() -> None:
    with pytest.raises(InvalidRequest, match="does not exist"):
        local_to_utc(datetime(2027, 3, 28, 2, 30), PARIS)
    with pytest.raises(InvalidRequest, match="does not exist"):
        local_to_utc(datetime(2027, 3, 14, 2, 30), NEW_YORK)


def test_autumn_overlap_takes_the_first_occurrence() -> None:
    first = local_to_utc(datetime(2027, 10, 31, 2, 30), PARIS)
    assert first == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # still on summer time (+02:00)
    first_ny = local_to_utc(datetime(2027, 11, 7, 1, 30), NEW_YORK)
    assert first_ny == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)  # EDT, -04:00


def test_values_with_an_offset_keep_their_instant() -> None:
    value = datetime(2027, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert local_to_utc(value, PARIS) == datetime(2027, 1, 5, 0, 0, tzinfo=UTC)


def test_unknown_zone_is_an_invalid_request() -> None:
    with pytest.raises(InvalidRequest, match="Unknown time zone"):
        zone("Mars/Olympus_Mons")


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from([PARIS, NEW_YORK, ZoneInfo("Africa/Conakry"), ZoneInfo("Australia/Lord_Howe")]),
)
def test_every_instant_round_trips_through_wall_clock_time(instant: datetime, tz: ZoneInfo) -> None:
    wall = naive_local(instant, tz)
    back = local_to_utc(wall, tz)
    # An instant in the second pass of an overlap reads back as the first pass: never later,
    # and never by more than the DST shift.
    assert timedelta(0) <= instant - back <= timedelta(hours=1)
    assert naive_local(back, tz) == wall


# Around the 2027 changes of Paris and New York, and in zones with odd offsets (Kathmandu's
# +05:45, Paris before 1911 on its mean time of +00:09:21).
@given(
    st.sampled_from(["Europe/Paris", "America/New_York", "Asia/Kathmandu", "UTC"]),
    st.integers(-3_000_000_000, 3_000_000_000) | st.integers(1_805_500_000, 1_806_500_000),
)
def test_offset_times_format_as_with_offset(name: str, seconds: int) -> None:
    tz = ZoneInfo(name)
    local = OffsetTimes(tz)
    expected = with_offset(datetime.fromtimestamp(seconds, UTC), tz)
    assert local(seconds) == expected
    assert local(seconds) == expected  # from the cache
