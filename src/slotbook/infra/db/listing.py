"""SQL for the appointment list's filters (named ones and q[]) and its sort order."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression

from slotbook.application.ports import AppointmentFilter
from slotbook.domain.filters import FieldFilter, FieldType, Op, SortKey
from slotbook.domain.waitlist import HELD_STATUS
from slotbook.infra.db.tables import appointment


def _column(name: str) -> Column[object]:
    column: Column[object] = appointment.c[name]
    return column


def _condition(f: FieldFilter) -> ColumnElement[bool]:
    column = _column(f.column)
    value = f.value.value if f.type is FieldType.STATUS else f.value  # type: ignore[union-attr]
    match f.op:
        case Op.EQ:
            return column == value
        case Op.GT:
            return column > value
        case Op.GE:
            return column >= value
        case Op.LT:
            return column < value
        case Op.LE:
            return column <= value
        case Op.CONTAINS:
            # Case-insensitive "contains", with %, _ and the escape character taken literally.
            return column.icontains(str(value), autoescape=True)
    raise AssertionError(f.op)  # pragma: no cover - Op is exhaustive


def listing_conditions(criteria: AppointmentFilter) -> list[ColumnElement[bool]]:
    """The conditions added by this issue's filters (the seed 000 ones are in repositories)."""
    c = appointment.c
    conditions: list[ColumnElement[bool]] = [
        c.archived_at.is_not(None) if criteria.archived else c.archived_at.is_(None)
    ]
    if criteria.archived:
        # Waitlist holds are archived rows that are no appointments (docs/waitlist.md).
        conditions.append(c.status != HELD_STATUS)
    for value, column in (
        (criteria.worker_id, c.worker_id),
        (criteria.client_id, c.client_id),
        (criteria.patient_id, c.patient_id),
        (criteria.appointment_type_id, c.appointment_type_id),
        (criteria.is_urgent, c.is_urgent),
    ):
        if value is not None:
            conditions.append(column == value)
    conditions.extend(_condition(f) for f in criteria.conditions)
    return conditions


def listing_order(keys: Sequence[SortKey]) -> list[UnaryExpression[object]]:
    """The requested order, then the default one, then id so every page is deterministic."""
    order: list[UnaryExpression[object]] = []
    seen: set[str] = set()
    for key in keys:
        if key.column not in seen:
            seen.add(key.column)
            column = _column(key.column)
            order.append(column.desc() if key.descending else column.asc())
    for name in ("starts_at", "id"):
        if name not in seen:
            seen.add(name)
            order.append(_column(name).asc())
    return order
