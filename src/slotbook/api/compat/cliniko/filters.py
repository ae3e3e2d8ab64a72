"""Cliniko's `q[]=field:op value` filters and `sort=field:dir`, checked in Cliniko's words and
translated to the native list's filters (domain/filters.py does the rest)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from slotbook.api.compat.cliniko.schemas import parse_utc
from slotbook.domain.appointments import Appointment
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.filters import MAX_INT


class ParameterRefused(InvalidRequest):
    """A query parameter this dialect cannot honour; `parameter` is its name (q[], sort)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


class Kind(Enum):
    INT = "int64"
    DATETIME = "date-time"


# Seed 003's filterable fields, with the native field each one is (None: Slotbook never
# deletes an appointment, so deleted_at is always null).
FIELDS: dict[str, tuple[str | None, Kind]] = {
    "appointment_type_id": ("appointmentTypeId", Kind.INT),
    "archived_at": ("archivedAt", Kind.DATETIME),
    "business_id": ("departmentId", Kind.INT),
    "cancelled_at": ("cancelledAt", Kind.DATETIME),
    "created_at": ("createdAt", Kind.DATETIME),
    "deleted_at": (None, Kind.DATETIME),
    "ends_at": ("endTime", Kind.DATETIME),
    "id": ("id", Kind.INT),
    "patient_id": ("clientId", Kind.INT),
    "practitioner_id": ("workerId", Kind.INT),
    "repeated_from_id": ("repeatedFromId", Kind.INT),
    "starts_at": ("dateTime", Kind.DATETIME),
    "updated_at": ("updatedAt", Kind.DATETIME),
}
# The fields GET /individual_appointments/{id} filters on.
SINGLE_FIELDS = frozenset({"archived_at", "cancelled_at", "deleted_at"})
# Sortable: the native list sorts only by fields that are never null.
SORTABLE = {
    "id": "id",
    "starts_at": "dateTime",
    "ends_at": "endTime",
    "created_at": "createdAt",
    "updated_at": "updatedAt",
    "business_id": "departmentId",
}
OPERATORS = ("=", ">", ">=", "<", "<=")
_FILTER = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(>=|<=|!=|~~|>|<|=|~)(.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Filter:
    field: str  # Cliniko's name
    native: str | None
    op: str
    value: int | datetime

    def native_text(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, datetime) else str(self.value)
        return f"{self.native}:{self.op}{value}"

    def matches(self, a: Appointment) -> bool:
        """Whether one appointment passes (for the single GET's date-time filters)."""
        attribute = {"archived_at": a.archived_at, "cancelled_at": a.cancelled_at}.get(self.field)
        if attribute is None or not isinstance(self.value, datetime):
            return False  # a comparison with null is never true
        return {
            "=": attribute == self.value,
            ">": attribute > self.value,
            ">=": attribute >= self.value,
            "<": attribute < self.value,
            "<=": attribute <= self.value,
        }[self.op]


def _value(field: str, kind: Kind, text: str) -> int | datetime:
    text = text.strip()
    if kind is Kind.INT:
        if not re.fullmatch(r"-?\d{1,10}", text) or not -MAX_INT <= int(text) <= MAX_INT:
            raise ParameterRefused("q[]", f"q[] {field}: {text[:40]!r} is not an integer")
        return int(text)
    try:
        return parse_utc(text)
    except ValueError as error:
        raise ParameterRefused("q[]", f"q[] {field}: {text[:40]!r} {error}") from None


def parse_filters(texts: Sequence[str], allowed: frozenset[str] | None = None) -> list[Filter]:
    """Each `q[]` value, `field:op value` (e.g. `starts_at:>=2027-08-24T00:00:00Z`)."""
    names = allowed if allowed is not None else frozenset(FIELDS)
    found: list[Filter] = []
    for text in texts:
        match = _FILTER.match(text)
        if match is None:
            raise ParameterRefused(
                "q[]",
                f"q[] {text[:60]!r} must look like field:operator value, "
                "e.g. starts_at:>=2027-08-24T00:00:00Z",
            )
        field, op, rest = match.groups()
        if field not in names:
            raise ParameterRefused(
                "q[]",
                f"q[] cannot filter on {field[:40]!r}; filterable: {', '.join(sorted(names))}",
            )
        if op not in OPERATORS:
            raise ParameterRefused(
                "q[]",
                f"q[] operator {op!r} is not supported on {field}; use one of "
                + ", ".join(OPERATORS),
            )
        native, kind = FIELDS[field]
        found.append(Filter(field, native, op, _value(field, kind, rest)))
    return found


def native_sort(text: str, order: str | None) -> str:
    """`sort=created_at:desc,id` as the native list's sort; `order` (deprecated in Cliniko)
    is the direction of the keys that name none."""
    keys: list[str] = []
    for part in text.split(","):
        name, _, direction = part.strip().partition(":")
        name = name.strip()
        native = SORTABLE.get(name)
        if native is None:
            raise ParameterRefused(
                "sort",
                f"sort cannot order by {name[:40]!r}; sortable: {', '.join(sorted(SORTABLE))}",
            )
        direction = direction.strip().lower() or order or "asc"
        if direction not in ("asc", "desc"):
            raise ParameterRefused("sort", f"sort direction {direction[:10]!r} must be asc or desc")
        keys.append(f"{native}:{direction}")
    return ",".join(keys)
