"""The status machine, every pair of statuses, and its labels."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from slotbook.domain.appointments import (
    AppointmentStatus,
    CancellationReason,
    cancellation_reason_label,
    cancellation_refunds,
    check_in_day,
    check_version,
    display_status,
    transition,
)
from slotbook.domain.errors import CheckInNotToday, InvalidTransition, VersionMismatch

S = AppointmentStatus

# The contract, written out by hand: (from, to) pairs that are a change. Same-status pairs are
# no-ops; every other pair is refused.
ALLOWED = {
    (S.SCHEDULED, S.CONFIRMED),
    (S.SCHEDULED, S.CHECKED_IN),
    (S.SCHEDULED, S.MISSED),
    (S.SCHEDULED, S.CANCELLED),
    (S.CONFIRMED, S.CHECKED_IN),
    (S.CONFIRMED, S.MISSED),
    (S.CONFIRMED, S.CANCELLED),
    (S.CHECKED_IN, S.COMPLETED),
}
PAIRS = [(a, b) for a in S for b in S]


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair_of_statuses(current: S, target: S) -> None:
    if current is target:
        assert transition(current, target) is False
    elif (current, target) in ALLOWED:
        assert transition(current, target) is True
    else:
        with pytest.raises(InvalidTransition):
            transition(current, target)


def test_nothing_leaves_a_final_status() -> None:
    for final in (S.CANCELLED, S.COMPLETED, S.MISSED):
        for target in S:
            if target is not final:
                with pytest.raises(InvalidTransition):
                    transition(final, target)


def test_cancelling_refunds_only_once_and_never_a_finished_appointment() -> None:
    assert cancellation_refunds(S.SCHEDULED)
    assert cancellation_refunds(S.CONFIRMED)
    assert not cancellation_refunds(S.CANCELLED)
    for finished in (S.CHECKED_IN, S.COMPLETED, S.MISSED):
        with pytest.raises(InvalidTransition):
            cancellation_refunds(finished)


def test_labels_exist_in_english_and_french_for_every_status() -> None:
    assert display_status(S.MISSED) == "Did not arrive"
    assert display_status(S.CANCELLED, "fr") == "Annulé"
    assert display_status(S.SCHEDULED, "xx") == "Scheduled"
    for language in ("en", "fr"):
        labels = {display_status(s, language) for s in S}
        assert len(labels) == len(S)


def test_cancellation_reasons_are_seed_003s() -> None:
    assert [r.value for r in CancellationReason] == [10, 20, 30, 40, 50, 60]
    assert cancellation_reason_label(CancellationReason.FEELING_BETTER) == "Feeling better"
    assert cancellation_reason_label(CancellationReason.WORK, "fr") == "Travail"


def test_check_in_only_on_the_local_day() -> None:
    paris = ZoneInfo("Europe/Paris")
    starts = datetime(2027, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th in Paris
    check_in_day(starts, datetime(2027, 3, 10, 23, 5, tzinfo=UTC), paris)
    with pytest.raises(CheckInNotToday):
        check_in_day(starts, datetime(2027, 3, 10, 22, 0, tzinfo=UTC), paris)


def test_version_check() -> None:
    check_version(3, None, "appointment")
    check_version(3, frozenset({2, 3}), "appointment")
    with pytest.raises(VersionMismatch):
        check_version(3, frozenset({2}), "appointment")
    with pytest.raises(VersionMismatch):
        check_version(3, frozenset(), "appointment")
