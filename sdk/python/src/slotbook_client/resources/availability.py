"""client.availability: free slots, and why a given time is not bookable."""

from __future__ import annotations

from datetime import date, datetime

from slotbook_client._core import Call
from slotbook_client.resources._base import API, Each, Many, One, Resource

PATH = f"{API}/appointments/available-slots"


class Availability(Resource[One, Many, Each]):
    def slots(
        self,
        *,
        department_id: int,
        appointment_type_id: int | None = None,
        worker_id: int | None = None,
        start_date: date | str | None = None,
        end_date: date | str | None = None,
    ) -> One:
        """Free start times between two local dates (default: 7 days from today, at most
        62): `slots` of `{start, end, workerIds, remaining}`, times with their UTC offset.
        `scheduled` is false for an always-open department: it takes any future time, so no
        slots are listed."""
        params = {
            "departmentId": department_id,
            "appointmentTypeId": appointment_type_id,
            "workerId": worker_id,
            "startDate": start_date,
            "endDate": end_date,
        }
        return self._runner.one(Call("GET", PATH, params=params))

    def explain(
        self,
        *,
        department_id: int,
        date_time: datetime | str,
        appointment_type_id: int | None = None,
        worker_id: int | None = None,
        external_user_id: str | None = None,
    ) -> One:
        """Whether `date_time` (without offset: the department's local time) is `bookable`,
        the booking `rules` it breaks and, per worker, every reason it cannot be booked."""
        params = {
            "departmentId": department_id,
            "dateTime": date_time,
            "appointmentTypeId": appointment_type_id,
            "workerId": worker_id,
            "externalUserId": external_user_id,
        }
        return self._runner.one(Call("GET", f"{PATH}/explain", params=params))
