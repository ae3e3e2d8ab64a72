"""client.appointment_types: what can be booked, its duration, buffers and capacity."""

from __future__ import annotations

from collections.abc import Sequence

from slotbook_client._core import Call
from slotbook_client.resources._base import (
    API,
    NOT_GIVEN,
    Each,
    Many,
    NotGiven,
    One,
    Resource,
    given,
)

PATH = f"{API}/appointment-types"


class AppointmentTypes(Resource[One, Many, Each]):
    def list(self, *, department_id: int | None = None) -> Many:
        """The types that can be booked (in one department: those offered there), on the
        treats.vet API's path `GET /appointments/types`."""
        params = {"departmentId": department_id}
        return self._runner.many(Call("GET", f"{API}/appointments/types", params=params))

    def get(self, type_id: int) -> One:
        return self._runner.one(Call("GET", f"{PATH}/{int(type_id)}"))

    def create(
        self,
        *,
        name: str,
        duration_minutes: int,
        buffer_before_minutes: int | None = None,
        buffer_after_minutes: int | None = None,
        capacity: int | None = None,
        department_id: int | None = None,
        worker_ids: Sequence[int] | None = None,
    ) -> One:
        """A new type (scope `admin`). `capacity` makes it a group session; `department_id`
        None offers it everywhere; `worker_ids` None or empty: every worker offers it."""
        body = {
            "name": name,
            "durationMinutes": duration_minutes,
            "bufferBeforeMinutes": buffer_before_minutes,
            "bufferAfterMinutes": buffer_after_minutes,
            "capacity": capacity,
            "departmentId": department_id,
            "workerIds": None if worker_ids is None else list(worker_ids),
        }
        return self._runner.one(Call("POST", PATH, body=body))

    def update(
        self,
        type_id: int,
        *,
        name: str | NotGiven = NOT_GIVEN,
        duration_minutes: int | NotGiven = NOT_GIVEN,
        buffer_before_minutes: int | NotGiven = NOT_GIVEN,
        buffer_after_minutes: int | NotGiven = NOT_GIVEN,
        capacity: int | NotGiven | None = NOT_GIVEN,
        department_id: int | NotGiven | None = NOT_GIVEN,
        worker_ids: Sequence[int] | NotGiven = NOT_GIVEN,
    ) -> One:
        """Change only the fields given (scope `admin`); booked appointments keep their
        times. `capacity=None` makes it one client per slot again, `department_id=None` offers
        it in every department, `worker_ids=[]` lets every worker offer it."""
        body = given(
            {
                "name": name,
                "durationMinutes": duration_minutes,
                "bufferBeforeMinutes": buffer_before_minutes,
                "bufferAfterMinutes": buffer_after_minutes,
                "capacity": capacity,
                "departmentId": department_id,
                "workerIds": worker_ids if isinstance(worker_ids, NotGiven) else list(worker_ids),
            }
        )
        return self._runner.one(Call("PATCH", f"{PATH}/{int(type_id)}", body=body, keep_nulls=True))

    def delete(self, type_id: int) -> One:
        """Archive a type (scope `admin`): it can no longer be booked, existing appointments
        keep it. Returns an empty Record."""
        return self._runner.one(Call("DELETE", f"{PATH}/{int(type_id)}"))
