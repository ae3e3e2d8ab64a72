"""Credit adjustments and which statuses a cancellation applies to."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.appointments import AppointmentStatus, cancellation_refunds
from slotbook.domain.credits import adjusted_balance
from slotbook.domain.errors import InvalidRequest, InvalidTransition


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=-(10**6), max_value=10**6))
def test_an_adjustment_never_leaves_a_negative_balance(balance: int, amount: int) -> None:
    if amount == 0 or balance + amount < 0:
        with pytest.raises(InvalidRequest):
            adjusted_balance(balance, amount)
    else:
        assert adjusted_balance(balance, amount) == balance + amount


@pytest.mark.parametrize(
    ("status", "refunds"),
    [(AppointmentStatus.SCHEDULED, True), (AppointmentStatus.CONFIRMED, True)],
)
def test_active_appointments_are_cancelled_with_a_refund(
    status: AppointmentStatus, refunds: bool
) -> None:
    assert cancellation_refunds(status) is refunds


def test_cancelling_a_cancelled_appointment_is_a_no_op() -> None:
    assert cancellation_refunds(AppointmentStatus.CANCELLED) is False


@pytest.mark.parametrize(
    "status",
    [AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED, AppointmentStatus.MISSED],
)
def test_finished_appointments_cannot_be_cancelled(status: AppointmentStatus) -> None:
    with pytest.raises(InvalidTransition):
        cancellation_refunds(status)
