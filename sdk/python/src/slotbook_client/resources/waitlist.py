"""client.waitlist: clients waiting for a freed time, and the offers made to them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from slotbook_client._core import Call
from slotbook_client.resources._base import API, Each, Many, One, Resource

WAITLIST = f"{API}/waitlist"


class Waitlist(Resource[One, Many, Each]):
    """Waitlists (scopes `waitlist:read` and `waitlist:write`)."""

    def join(
        self,
        *,
        department_id: int,
        earliest: date | str,
        latest: date | str,
        appointment_type_id: int | None = None,
        worker_id: int | None = None,
        weekdays: Sequence[str] | None = None,
        times_of_day: Sequence[tuple[str, str]] | None = None,
        client_id: int | None = None,
        client: dict[str, Any] | None = None,
        external_user_id: str | None = None,
        name: str | None = None,
        priority: int | None = None,
    ) -> One:
        """Put a client on a department's waitlist, for local dates `earliest` to `latest`,
        optionally only some `weekdays` ("MONDAY"...) and `times_of_day` (("09:00", "12:00")
        pairs). Who waits: `client_id`, an inline `client`, or `external_user_id` (with a
        `name`). Costs no credit; ConflictError ALREADY_WAITING when that client already waits
        for this department and type."""
        body = {
            "departmentId": department_id,
            "earliest": earliest,
            "latest": latest,
            "appointmentTypeId": appointment_type_id,
            "workerId": worker_id,
            "weekdays": list(weekdays) if weekdays is not None else None,
            "timesOfDay": (
                [{"start": s, "end": e} for s, e in times_of_day]
                if times_of_day is not None
                else None
            ),
            "clientId": client_id,
            "client": client,
            "externalUserId": external_user_id,
            "name": name,
            "priority": priority,
        }
        return self._runner.one(Call("POST", WAITLIST, body=body))

    def get(self, entry_id: int) -> One:
        """One entry: `status`, `position` in the queue, and its open `offer` (`date_time`,
        `worker_id`, `expires_at`, `accept_url`)."""
        return self._runner.one(Call("GET", f"{WAITLIST}/{int(entry_id)}"))

    def list(
        self,
        *,
        department_id: int | None = None,
        status: str | None = None,
        client_id: int | None = None,
        external_user_id: str | None = None,
        page: int | None = None,
        size: int | None = None,
    ) -> One:
        """One page of entries in queue order: `page.entries`, `page.total_elements`..."""
        return self._runner.one(
            _list_call(department_id, status, client_id, external_user_id, page, size)
        )

    def iter_all(
        self, *, department_id: int | None = None, status: str | None = None, size: int = 100
    ) -> Each:
        """Every entry matching the filters, fetching page after page as you iterate."""
        return self._runner.each(_list_call(department_id, status, None, None, 0, size), "entries")

    def leave(self, entry_id: int) -> One:
        """Take the entry off the list (LEFT); an offer it held passes to the next entry."""
        return self._runner.one(Call("DELETE", f"{WAITLIST}/{int(entry_id)}"))

    def accept(self, entry_id: int) -> One:
        """Book the offered time (a normal booking: rules, one credit); returns the
        appointment. ConflictError OFFER_EXPIRED once the offer has expired or is gone."""
        return self._runner.one(Call("POST", f"{WAITLIST}/{int(entry_id)}/accept"))

    def decline(self, entry_id: int) -> One:
        """Decline the offer: the entry waits again, the time passes to the next entry."""
        return self._runner.one(Call("POST", f"{WAITLIST}/{int(entry_id)}/decline"))

    def offer(self, entry_id: int, *, date_time: datetime | str, worker_id: int) -> One:
        """Staff: hold a free time of a worker for this waiting entry."""
        body = {"dateTime": date_time, "workerId": worker_id}
        return self._runner.one(Call("POST", f"{WAITLIST}/{int(entry_id)}/offer", body=body))

    def set_priority(self, entry_id: int, priority: int) -> One:
        """Staff: a higher priority comes first; equal ones keep first come, first served."""
        path = f"{WAITLIST}/{int(entry_id)}/priority"
        return self._runner.one(Call("PUT", path, body={"priority": priority}))

    def settings(self, department_id: int) -> One:
        """The department's `offer_minutes` (how long an offer holds its time)."""
        path = f"{API}/departments/{int(department_id)}/waitlist-settings"
        return self._runner.one(Call("GET", path))

    def set_offer_minutes(self, department_id: int, minutes: int) -> One:
        """Set how long the department's offers hold their time (scope `admin`)."""
        path = f"{API}/departments/{int(department_id)}/waitlist-settings"
        return self._runner.one(Call("PUT", path, body={"offerMinutes": minutes}))


def _list_call(
    department_id: int | None,
    status: str | None,
    client_id: int | None,
    external_user_id: str | None,
    page: int | None,
    size: int | None,
) -> Call:
    params = {
        "departmentId": department_id,
        "status": status,
        "clientId": client_id,
        "externalUserId": external_user_id,
        "page": page,
        "size": size,
    }
    return Call("GET", WAITLIST, params=params)
