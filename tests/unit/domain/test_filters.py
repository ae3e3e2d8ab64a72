"""q[] and sort parsing: whitelisted fields, typed values, refusals."""

from __future__ import annotations

from datetime import datetime

import pytest

from slotbook.domain.appointments import AppointmentStatus
from slotbook.domain.errors import InvalidRequest
from slotbook.domain.filters import Op, parse_filter, parse_sort


@pytest.mark.parametrize(
    ("text", "column", "op", "value"),
    [
        ("dateTime:>=2027-02-01T00:00:00", "starts_at", Op.GE, datetime(2027, 2, 1)),
        ("starts_at:<2027-02-01T00:00:00", "starts_at", Op.LT, datetime(2027, 2, 1)),
        ("workerId:=42", "worker_id", Op.EQ, 42),
        ("worker_id:>42", "worker_id", Op.GT, 42),
        ("name:~dup", "name", Op.CONTAINS, "dup"),
        ("name:= Jean Dupont", "name", Op.EQ, "Jean Dupont"),
        ("isUrgent:=true", "is_urgent", Op.EQ, True),
        ("status:=missed", "status", Op.EQ, AppointmentStatus.MISSED),
        ("id:<=7", "id", Op.LE, 7),
    ],
)
def test_filters_parse(text: str, column: str, op: Op, value: object) -> None:
    parsed = parse_filter(text)
    assert (parsed.column, parsed.op, parsed.value) == (column, op, value)


@pytest.mark.parametrize(
    "text",
    [
        "password:=x",  # unknown field
        "name",  # no operator part
        "name:>a",  # ordering is not allowed on text
        "workerId:~4",  # contains is for text
        "isUrgent:>true",
        "status:>SCHEDULED",
        "workerId:!=4",  # not an operator of seed 003's list here
        "workerId:=4.5",
        "workerId:=99999999999",
        "dateTime:>=tomorrow",
        "isUrgent:=yes",
        "status:=LOST",
        "name:~",
        "name:~a\x00b",
    ],
)
def test_bad_filters_are_refused(text: str) -> None:
    with pytest.raises(InvalidRequest):
        parse_filter(text)


def test_sort() -> None:
    keys = parse_sort("createdAt:desc, id")
    assert [(k.column, k.descending) for k in keys] == [("created_at", True), ("id", False)]
    for bad in ("nope:asc", "name:asc", "id:up", "workerId"):
        with pytest.raises(InvalidRequest):
            parse_sort(bad)
