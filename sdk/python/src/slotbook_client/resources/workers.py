"""client.workers: staff, their departments, weekly hours and dated exceptions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from slotbook_client._core import Call
from slotbook_client._runners import Runner
from slotbook_client.resources._base import API, Each, Many, One, Resource, weekly_ranges

PATH = f"{API}/workers"


class Workers(Resource[One, Many, Each]):
    """Workers; `hours` and `exceptions` are their schedules."""

    def __init__(self, runner: Runner[One, Many, Each]) -> None:
        super().__init__(runner)
        self.hours = WorkerHours(runner)
        self.exceptions = WorkerExceptions(runner)

    def list(self) -> Many:
        """Every worker of the organization, each with its `departmentIds`."""
        return self._runner.many(Call("GET", PATH))

    def get(self, worker_id: int) -> One:
        return self._runner.one(Call("GET", f"{PATH}/{int(worker_id)}"))

    def create(self, *, name: str, department_ids: Sequence[int] = ()) -> One:
        """A new worker in the given departments (scope `admin`)."""
        body = {"name": name, "departmentIds": list(department_ids)}
        return self._runner.one(Call("POST", PATH, body=body))

    def update(self, worker_id: int, *, name: str, department_ids: Sequence[int]) -> One:
        """Rename a worker and replace its departments (scope `admin`)."""
        body = {"name": name, "departmentIds": list(department_ids)}
        return self._runner.one(Call("PUT", f"{PATH}/{int(worker_id)}", body=body))

    def new_calendar_feed(self, worker_id: int) -> One:
        """A new secret calendar-feed `url` of the worker (scope `admin`); the previous URL
        stops working."""
        return self._runner.one(Call("POST", f"{PATH}/{int(worker_id)}/calendar-feed"))


class WorkerHours(Resource[One, Many, Each]):
    """client.workers.hours: weekly hours, for all the worker's departments or for one."""

    def get(self, worker_id: int, *, department_id: int | None = None) -> One:
        """`ranges` of `{weekday, start, end}` (wall-clock "HH:MM", end exclusive)."""
        params = {"departmentId": department_id}
        return self._runner.one(Call("GET", f"{PATH}/{int(worker_id)}/hours", params=params))

    def set(
        self,
        worker_id: int,
        ranges: Iterable[Mapping[str, Any]],
        *,
        department_id: int | None = None,
    ) -> One:
        """Replace the weekly hours; several ranges a day are allowed (scope `admin`)."""
        call = Call(
            "PUT",
            f"{PATH}/{int(worker_id)}/hours",
            params={"departmentId": department_id},
            body=weekly_ranges(ranges),
        )
        return self._runner.one(call)


class WorkerExceptions(Resource[One, Many, Each]):
    """client.workers.exceptions: dated time off (`TIME_OFF`) and extra hours (`EXTRA_HOURS`)."""

    def list(self, worker_id: int) -> Many:
        return self._runner.many(Call("GET", f"{PATH}/{int(worker_id)}/exceptions"))

    def add(
        self,
        worker_id: int,
        *,
        kind: str,
        starts_at: datetime | str,
        ends_at: datetime | str,
        reason: str | None = None,
    ) -> One:
        """Times without an offset are wall-clock time of the organization's zone (scope
        `admin`)."""
        body = {"kind": kind, "startsAt": starts_at, "endsAt": ends_at, "reason": reason}
        return self._runner.one(Call("POST", f"{PATH}/{int(worker_id)}/exceptions", body=body))

    def delete(self, worker_id: int, exception_id: int) -> One:
        """Remove an exception (scope `admin`); returns an empty Record."""
        path = f"{PATH}/{int(worker_id)}/exceptions/{int(exception_id)}"
        return self._runner.one(Call("DELETE", path))
