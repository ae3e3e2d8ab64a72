"""Rescheduling through the private link of the booking page: the visitor moves their own
appointment to another time the page offers, through the reschedule use case (every booking
rule applies, the old time is freed only when the new one is taken)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from slotbook.application.access import Scope
from slotbook.application.appointment_details import (
    AppointmentChange,
    RescheduleRequest,
    change_appointment,
)
from slotbook.application.cancel_links import (
    appointment_by_cancel_token,
    link_holder,
    link_owner,
)
from slotbook.application.ports import Services
from slotbook.application.public_booking import offered_slot, open_department
from slotbook.domain.appointments import Appointment
from slotbook.domain.rules import cancellation_too_late


async def reschedule_by_token(
    services: Services, token: str, date_time: datetime, worker_id: int | None
) -> Appointment:
    """Move the link's appointment to `date_time` (the department's wall-clock time).

    Moving gives up the old time, so the department's minimum notice to cancel applies to it
    (CANCELLATION_TOO_LATE) as it does to cancelling. Without a chosen worker the appointment
    keeps its worker when they are free at the new time, else takes the first free one."""
    organization_id = await link_owner(services, token)
    linked = await appointment_by_cancel_token(services, token)
    current = linked.appointment
    department = await open_department(services, current.department_id)
    too_late = cancellation_too_late(linked.policy, services.clock.now(), current.starts_at)
    if too_late is not None:
        raise too_late.error()
    slot = await offered_slot(
        services, department, current.appointment_type_id, date_time, worker_id
    )
    if worker_id is None and slot.worker_ids:
        worker_id = (
            current.worker_id if current.worker_id in slot.worker_ids else slot.worker_ids[0]
        )
    holder = link_holder(organization_id)
    # The link may move this one appointment: the write scope for this call only.
    mover = replace(holder, scopes=holder.scopes | {Scope.APPOINTMENTS_WRITE.value})
    return await change_appointment(
        services,
        mover,
        current.id,
        AppointmentChange(move=RescheduleRequest(date_time=date_time, worker_id=worker_id)),
    )
