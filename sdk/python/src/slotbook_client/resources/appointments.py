"""client.appointments: book, read, list, reschedule, change, cancel appointments and move them
through their statuses (confirm, check in, complete, no-show), with their history and conflicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from slotbook_client._core import Call
from slotbook_client.record import camel_case
from slotbook_client.resources._base import (
    API,
    NOT_GIVEN,
    Each,
    Many,
    NotGiven,
    One,
    Resource,
    Version,
    camel_keys,
    given,
    if_match,
)

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
        appointment_type_id: int | None = None,
        client_id: int | None = None,
        patient_id: int | None = None,
        client: Mapping[str, Any] | None = None,
        notes: str | None = None,
        reason: str | None = None,
        is_urgent: bool | None = None,
        source: str | None = None,
        from_web: bool | None = None,
        telehealth_url: str | None = None,
        repeat_rule: Mapping[str, Any] | None = None,
        rrule: str | None = None,
        idempotency_key: str | None = None,
    ) -> One:
        """Book an appointment (consumes 1 credit). `date_time` without an offset is the
        department's local time. `user_name` is another name for `name` (moncreneau quick start).

        Book for a client with `client_id` (and `patient_id`), or an inline `client` dict
        (snake_case or camelCase keys): with `id` that client is updated, without one it is
        created. `repeat_rule` (`{"repeat_type": "Weekly", "repeating_interval": 1,
        "number_of_repeats": 10}`) or `rrule` (RFC 5545) books a whole series, or none of it;
        the first occurrence is returned.

        An Idempotency-Key is generated unless given, and reused by every retry."""
        if name is not None and user_name is not None and name != user_name:
            raise TypeError("give either name or user_name, not both")
        body: dict[str, Any] = {
            "departmentId": department_id,
            "dateTime": date_time,
            "name": name if name is not None else user_name,
            "workerId": worker_id,
            "externalUserId": external_user_id,
            "appointmentTypeId": appointment_type_id,
            "clientId": client_id,
            "patientId": patient_id,
            "client": None if client is None else camel_keys(client),
            "notes": notes,
            "reason": reason,
            "isUrgent": is_urgent,
            "source": source,
            "fromWeb": from_web,
            "telehealthUrl": telehealth_url,
            "repeatRule": None if repeat_rule is None else camel_keys(repeat_rule),
            "rrule": rrule,
        }
        return self._runner.one(Call("POST", PATH, body=body, idempotency_key=idempotency_key))

    def get(self, appointment_id: int) -> One:
        """One appointment by id; its `version` is what `if_match=` expects."""
        return self._runner.one(Call("GET", _path(appointment_id)))

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
        worker_id: int | None = None,
        client_id: int | None = None,
        patient_id: int | None = None,
        appointment_type_id: int | None = None,
        is_urgent: bool | None = None,
        archived: bool | None = None,
        include_past: bool | None = None,
        q: Sequence[str] | None = None,
        sort: str | None = None,
    ) -> One:
        """One page: `page["appointments"]`, `page.total_elements`, `page.is_last`...

        `archived=True` lists only the archived ones (by default they are left out);
        `include_past=False` only those from now on. `q` holds filters `field:op value` (op
        one of = > >= < <= ~), e.g. `["name:~dupont"]`; `sort` is `field:asc|desc`, comma
        separated."""
        call = _list_call(
            page,
            size,
            status=status,
            department_id=department_id,
            external_user_id=external_user_id,
            start_date=start_date,
            end_date=end_date,
            worker_id=worker_id,
            client_id=client_id,
            patient_id=patient_id,
            appointment_type_id=appointment_type_id,
            is_urgent=is_urgent,
            archived=archived,
            include_past=include_past,
            q=q,
            sort=sort,
        )
        return self._runner.one(call)

    def iter_all(
        self,
        *,
        size: int = 100,
        status: str | None = None,
        department_id: int | str | None = None,
        external_user_id: str | None = None,
        start_date: DateLike | None = None,
        end_date: DateLike | None = None,
        worker_id: int | None = None,
        client_id: int | None = None,
        patient_id: int | None = None,
        appointment_type_id: int | None = None,
        is_urgent: bool | None = None,
        archived: bool | None = None,
        include_past: bool | None = None,
        q: Sequence[str] | None = None,
        sort: str | None = None,
    ) -> Each:
        """Every appointment matching the filters (those of `list`), fetching page after page
        as you iterate."""
        call = _list_call(
            0,
            size,
            status=status,
            department_id=department_id,
            external_user_id=external_user_id,
            start_date=start_date,
            end_date=end_date,
            worker_id=worker_id,
            client_id=client_id,
            patient_id=patient_id,
            appointment_type_id=appointment_type_id,
            is_urgent=is_urgent,
            archived=archived,
            include_past=include_past,
            q=q,
            sort=sort,
        )
        return self._runner.each(call, "appointments")

    def update(
        self,
        appointment_id: int,
        *,
        date_time: DateLike | None = None,
        worker_id: int | None = None,
        appointment_type_id: int | None = None,
        notes: str | NotGiven | None = NOT_GIVEN,
        reason: str | NotGiven | None = NOT_GIVEN,
        is_urgent: bool | NotGiven = NOT_GIVEN,
        telehealth_url: str | NotGiven | None = NOT_GIVEN,
        apply_to_repeats: bool = False,
        if_match: Version | None = None,
        idempotency_key: str | None = None,
    ) -> One:
        """Reschedule (`date_time`, `worker_id`, `appointment_type_id`) under the booking
        rules, atomically: if the new time is refused, the old one is kept. Change `notes`,
        `reason`, `is_urgent`, `telehealth_url` (None clears a text); with
        `apply_to_repeats=True` also on the later occurrences of the series. What is not given
        stays as it is; both kinds at once are one change."""
        move = {
            "dateTime": date_time,
            "workerId": worker_id,
            "appointmentTypeId": appointment_type_id,
        }
        details = given(
            {
                "notes": notes,
                "reason": reason,
                "isUrgent": is_urgent,
                "telehealthUrl": telehealth_url,
            }
        )
        body = {k: v for k, v in move.items() if v is not None} | details
        if apply_to_repeats:
            body["applyToRepeats"] = True
        return self._runner.one(
            _write("PATCH", _path(appointment_id), if_match, idempotency_key, body)
        )

    def cancel(
        self,
        appointment_id: int,
        *,
        reason: int | None = None,
        note: str | None = None,
        apply_to_repeats: bool | None = None,
        if_match: Version | None = None,
        idempotency_key: str | None = None,
    ) -> One:
        """Cancel an appointment and refund its credit; cancelling again refunds nothing.

        `reason` is Cliniko's number (10 feeling better, 20 condition worse, 30 sick, 40
        away, 50 other, 60 work), `note` a free text, `apply_to_repeats=True` also cancels the
        later occurrences of the series (one credit back each)."""
        if reason is None and note is None and apply_to_repeats is None:
            return self._runner.one(
                _write("DELETE", _path(appointment_id), if_match, idempotency_key)
            )
        body = {
            "cancellationReason": reason,
            "cancellationNote": note,
            "applyToRepeats": apply_to_repeats,
        }
        path = f"{_path(appointment_id)}/cancel"
        return self._runner.one(_write("POST", path, if_match, idempotency_key, body))

    def confirm(self, appointment_id: int, *, if_match: Version | None = None) -> One:
        """SCHEDULED → CONFIRMED; any other status raises ConflictError INVALID_TRANSITION."""
        return self._runner.one(_write("POST", f"{_path(appointment_id)}/confirm", if_match))

    def check_in(self, appointment_id: int, *, if_match: Version | None = None) -> One:
        """SCHEDULED or CONFIRMED → CHECKED_IN (the person arrived); sets `arrivedAt`."""
        return self._runner.one(_write("POST", f"{_path(appointment_id)}/check-in", if_match))

    def check_in_by_qr(self, qr_code: str) -> One:
        """Check in the appointment whose `qrCode` the desk scanned: it must be today's and not
        cancelled (ConflictError CHECK_IN_NOT_TODAY). Scanning twice is harmless."""
        return self._runner.one(Call("POST", f"{API}/check-in", body={"qrCode": qr_code}))

    def complete(self, appointment_id: int, *, if_match: Version | None = None) -> One:
        """CHECKED_IN → COMPLETED."""
        return self._runner.one(_write("POST", f"{_path(appointment_id)}/complete", if_match))

    def no_show(self, appointment_id: int, *, if_match: Version | None = None) -> One:
        """SCHEDULED or CONFIRMED → MISSED, once it has started; counts for the client's
        no-shows."""
        return self._runner.one(_write("POST", f"{_path(appointment_id)}/no-show", if_match))

    def archive(self, appointment_id: int, *, if_match: Version | None = None) -> One:
        """Hide it from lists (`list(archived=True)` shows it); its status, slot and credit do
        not change."""
        return self._runner.one(_write("POST", f"{_path(appointment_id)}/archive", if_match))

    def history(
        self, appointment_id: int, *, page: int | None = None, size: int | None = None
    ) -> One:
        """A page of its changes, oldest first: `page.history` of `{action, actor, apiKeyName,
        at, changes, personalFieldsChanged}`."""
        params = {"page": page, "size": size}
        return self._runner.one(Call("GET", f"{_path(appointment_id)}/history", params=params))

    def conflicts(self, appointment_id: int) -> One:
        """`conflicts.exist` and `conflicts.appointments`: the active appointments of the same
        worker or client that overlap this one."""
        return self._runner.one(Call("GET", f"{_path(appointment_id)}/conflicts"))


def _path(appointment_id: int) -> str:
    return f"{PATH}/{int(appointment_id)}"


def _write(
    method: str,
    path: str,
    version: Version | None,
    idempotency_key: str | None = None,
    body: Mapping[str, Any] | None = None,
) -> Call:
    # PATCH bodies carry only the fields given, None meaning null; the others omit None.
    return Call(
        method,
        path,
        body=body,
        idempotency_key=idempotency_key,
        keep_nulls=method == "PATCH",
        headers=if_match(version),
    )


def _list_call(page: int | None, size: int | None, **filters: Any) -> Call:
    """GET /appointments with the filters by their snake_case names; `q` is sent as `q[]`."""
    q = filters.pop("q")
    params = {camel_case(name): value for name, value in filters.items()}
    if q is not None:
        params["q[]"] = [q] if isinstance(q, str) else list(q)
    return Call("GET", PATH, params={"page": page, "size": size, **params})
