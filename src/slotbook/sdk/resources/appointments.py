"""client.appointments: book, read, list, walk, reschedule and cancel appointments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slotbook.sdk._core import Call
from slotbook.sdk.resources._base import API, Each, Many, One, Resource

PATH = f"{API}/appointments"
DateLike = datetime | str


class Appointments(Resource[One, Many, Each]):
    def create(
        self,
        *,
        department_id: int,
        date_time: DateLike,
        name: str | None = None,
        worker_id: int | None = None,
        external_user_id: str | None = None,
        user_name: str | None = None,
        idempotency_key: str | None = None,
    ) -> One:
        """Book an appointment (consumes 1 credit). `date_time` without an offset is the
        department's local time. `user_name` is another name for `name` (seed 001).

        An Idempotency-Key is generated unless given, and reused by every retry."""
        if name is not None and user_name is not None and name != user_name:
            raise TypeError("give either name or user_name, not both")
        body: dict[str, Any] = {
            "departmentId": department_id,
            "dateTime": date_time,
            "name": name if name is not None else user_name,
            "workerId": worker_id,
            "externalUserId": external_user_id,
        }
        return self._runner.one(Call("POST", PATH, body=body, idempotency_key=idempotency_key))

    def get(self, appointment_id: int) -> One:
        """One appointment by id."""
        return self._runner.one(Call("GET", f"{PATH}/{int(appointment_id)}"))

    def list(
        self,
        *,
        page: int | None = None,
        size: int | None = None,
        status: str | None = None,
        department_id: int | str | None = None,
        external_user_id: str | None = None,
        start_date: DateLike | None = None,
        end_date: DateLike | None = None,
    ) -> One:
        """One page: `page["appointments"]`, `page.total_elements`, `page.is_last`..."""
        return self._runner.one(
            _list_call(page, size, status, department_id, external_user_id, start_date, end_date)
        )

    def iter_all(
        self,
        *,
        size: int = 100,
        status: str | None = None,
        department_id: int | str | None = None,
        external_user_id: str | None = None,
        start_date: DateLike | None = None,
        end_date: DateLike | None = None,
    ) -> Each:
        """Every appointment matching the filters, fetching page after page as you iterate."""
        call = _list_call(0, size, status, department_id, external_user_id, start_date, end_date)
        return self._runner.each(call, "appointments")

    def update(
        self,
        appointment_id: int,
        *,
        date_time: DateLike | None = None,
        worker_id: int | None = None,
        appointment_type_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> One:
        """Reschedule: move to another time, worker and/or type under the booking rules. What
        is not given stays as it is. Atomic: if the new time is refused, the old one is kept."""
        body = {
            "dateTime": date_time,
            "workerId": worker_id,
            "appointmentTypeId": appointment_type_id,
        }
        return self._runner.one(
            Call(
                "PATCH",
                f"{PATH}/{int(appointment_id)}",
                body=body,
                idempotency_key=idempotency_key,
            )
        )

    def cancel(self, appointment_id: int, *, idempotency_key: str | None = None) -> One:
        """Cancel an appointment and refund its credit; cancelling again refunds nothing."""
        return self._runner.one(
            Call("DELETE", f"{PATH}/{int(appointment_id)}", idempotency_key=idempotency_key)
        )


def _list_call(
    page: int | None,
    size: int | None,
    status: str | None,
    department_id: int | str | None,
    external_user_id: str | None,
    start_date: DateLike | None,
    end_date: DateLike | None,
) -> Call:
    params = {
        "page": page,
        "size": size,
        "status": status,
        "departmentId": department_id,
        "externalUserId": external_user_id,
        "startDate": start_date,
        "endDate": end_date,
    }
    return Call("GET", PATH, params=params)
