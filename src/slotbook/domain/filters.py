"""Seed 003's `q[]=field:op value` filters and `sort=field:asc|desc`, parsed and checked.

Only whitelisted fields and the operators that make sense for their type are accepted;
anything else is refused with the list of what is allowed, never silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum

from slotbook.domain.appointments import AppointmentStatus
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.limits import MAX_ID, supported

MAX_INT = MAX_ID  # the filters' integers are ids or counts, 32-bit in the database
MAX_TEXT = 255


class Op(StrEnum):
    EQ = "="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    CONTAINS = "~"


class FieldType(Enum):
    INT = "integer"
    BOOL = "boolean"
    DATETIME = "date-time"
    TEXT = "text"
    STATUS = "status"


_ORDERED = frozenset({Op.EQ, Op.GT, Op.GE, Op.LT, Op.LE})
_OPS_BY_TYPE = {
    FieldType.INT: _ORDERED,
    FieldType.DATETIME: _ORDERED,
    FieldType.TEXT: frozenset({Op.EQ, Op.CONTAINS}),
    FieldType.BOOL: frozenset({Op.EQ}),
    FieldType.STATUS: frozenset({Op.EQ}),
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    column: str  # the appointment attribute (and database column)
    type: FieldType
    sortable: bool = False  # only fields that are never null, so the order is the same everywhere


# API names (camelCase) of the fields that q[] and sort accept.
FIELDS: dict[str, FieldSpec] = {
    "id": FieldSpec("id", FieldType.INT, sortable=True),
    "dateTime": FieldSpec("starts_at", FieldType.DATETIME, sortable=True),
    "endTime": FieldSpec("ends_at", FieldType.DATETIME, sortable=True),
    "createdAt": FieldSpec("created_at", FieldType.DATETIME, sortable=True),
    "updatedAt": FieldSpec("updated_at", FieldType.DATETIME, sortable=True),
    "cancelledAt": FieldSpec("cancelled_at", FieldType.DATETIME),
    "archivedAt": FieldSpec("archived_at", FieldType.DATETIME),
    "arrivedAt": FieldSpec("arrived_at", FieldType.DATETIME),
    "status": FieldSpec("status", FieldType.STATUS, sortable=True),
    "departmentId": FieldSpec("department_id", FieldType.INT, sortable=True),
    "workerId": FieldSpec("worker_id", FieldType.INT),
    "clientId": FieldSpec("client_id", FieldType.INT),
    "patientId": FieldSpec("patient_id", FieldType.INT),
    "appointmentTypeId": FieldSpec("appointment_type_id", FieldType.INT),
    "repeatedFromId": FieldSpec("repeated_from_id", FieldType.INT),
    "cancellationReason": FieldSpec("cancellation_reason", FieldType.INT),
    "version": FieldSpec("version", FieldType.INT),
    "isUrgent": FieldSpec("is_urgent", FieldType.BOOL, sortable=True),
    "fromWeb": FieldSpec("from_web", FieldType.BOOL),
    "name": FieldSpec("name", FieldType.TEXT),
    "externalUserId": FieldSpec("external_user_id", FieldType.TEXT),
    "notes": FieldSpec("notes", FieldType.TEXT),
    "reason": FieldSpec("reason", FieldType.TEXT),
    "source": FieldSpec("source", FieldType.TEXT),
}
# Seed 003 spells fields in snake_case (starts_at); both spellings are accepted.
_ALIASES = {
    "startsAt": "dateTime",
    "starts_at": "dateTime",
    "endsAt": "endTime",
    "ends_at": "endTime",
} | {re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(): name for name in FIELDS}

FilterValue = int | bool | datetime | str | AppointmentStatus


@dataclass(frozen=True, slots=True)
class FieldFilter:
    field: str  # API name
    column: str
    type: FieldType
    op: Op
    value: FilterValue  # a datetime without offset is wall-clock time, to be placed in a zone


@dataclass(frozen=True, slots=True)
class SortKey:
    field: str
    column: str
    descending: bool = False


def _field(name: str) -> tuple[str, FieldSpec] | None:
    canonical = _ALIASES.get(name, name)
    spec = FIELDS.get(canonical)
    return None if spec is None else (canonical, spec)


def _sortable() -> str:
    return ", ".join(sorted(n for n, s in FIELDS.items() if s.sortable))


# What a user typed where an operator belongs: a run of symbols (`=>`, `!=`) or a word
# (`like`), so the message names the whole of it rather than its first two characters.
_TYPED_OPERATOR = re.compile(r"\s*([^\w\s]+|\w+)")


def _value(field: str, kind: FieldType, text: str) -> FilterValue:
    text = text.strip()
    if kind is FieldType.INT:
        if not re.fullmatch(r"-?\d{1,10}", text) or not -MAX_INT <= int(text) <= MAX_INT:
            raise InvalidRequest(f"{field}: {text!r} is not an integer")
        return int(text)
    if kind is FieldType.BOOL:
        if text.lower() not in ("true", "false"):
            raise InvalidRequest(f"{field}: {text!r} is not true or false")
        return text.lower() == "true"
    if kind is FieldType.DATETIME:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidRequest(f"{field}: {text!r} is not an ISO 8601 date-time") from None
        return supported(moment, field)
    if kind is FieldType.STATUS:
        try:
            return AppointmentStatus(text.upper())
        except ValueError:
            known = ", ".join(s.value for s in AppointmentStatus)
            raise InvalidRequest(f"{field}: {text!r} is not a status ({known})") from None
    if not text or len(text) > MAX_TEXT or any(ord(ch) < 32 for ch in text):
        raise InvalidRequest(f"{field}: the text must have 1 to {MAX_TEXT} printable characters")
    return text


# The longest operators first, so ">=" is not read as ">" followed by "=...".
_OPS_LONGEST_FIRST = sorted(Op, key=lambda op: -len(op.value))


def parse_filter(text: str) -> FieldFilter:
    """One `q[]` value, `field:op value` (e.g. `dateTime:>=2027-02-01T00:00:00`, `name:~dup`)."""
    name, colon, rest = text.partition(":")
    if not colon:
        raise InvalidRequest(f"Filter {text!r} must look like field:op value (e.g. status:=MISSED)")
    known = _field(name.strip())
    if known is None:
        raise InvalidRequest(
            f"Unknown filter field {name.strip()!r} in q[]={text!r}. "
            f"Known fields: {', '.join(sorted(FIELDS))}"
        )
    field, spec = known
    op = next((o for o in _OPS_LONGEST_FIRST if rest.startswith(o.value)), None)
    allowed = _OPS_BY_TYPE[spec.type]
    if op is None or op not in allowed:
        choices = ", ".join(sorted(o.value for o in allowed))
        typed = _TYPED_OPERATOR.match(rest)
        if typed is None:
            raise InvalidRequest(
                f"Filter {text!r} has no operator after {name.strip()}:; use one of {choices}"
            )
        shown = op.value if op is not None else typed.group(1)[:20]
        raise InvalidRequest(
            f"Operator {shown!r} is not allowed on {field} ({spec.type.value}); "
            f"use one of {choices}"
        )
    return FieldFilter(field, spec.column, spec.type, op, _value(field, spec.type, rest[len(op) :]))


def parse_sort(text: str) -> tuple[SortKey, ...]:
    """`sort=field:asc|desc`, several separated by commas; the direction defaults to asc."""
    keys: list[SortKey] = []
    for part in text.split(","):
        name, _, direction = part.strip().partition(":")
        known = _field(name.strip())
        if known is None:
            raise InvalidRequest(
                f"Invalid sort {part.strip()!r}: unknown field {name.strip()!r}; "
                f"sortable fields: {_sortable()} (e.g. sort=dateTime:desc)"
            )
        field, spec = known
        if not spec.sortable:
            raise InvalidRequest(
                f"Invalid sort {part.strip()!r}: cannot sort by {field}; "
                f"sortable fields: {_sortable()}"
            )
        direction = direction.strip().lower() or "asc"
        if direction not in ("asc", "desc"):
            raise InvalidRequest(
                f"Invalid sort {part.strip()!r}: the direction {direction!r} must be asc or desc"
            )
        keys.append(SortKey(field, spec.column, direction == "desc"))
    return tuple(keys)
