"""The base of every resource: it builds Calls and hands them to the client's runner."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from slotbook.sdk._runners import Runner

One = TypeVar("One")
Many = TypeVar("Many")
Each = TypeVar("Each")

API = "api/v1"


class Resource(Generic[One, Many, Each]):
    """A resource of the API.

    Its methods are written once: for `Client` they return Records (`One`), lists (`Many`) and
    iterators (`Each`); for `AsyncClient` the same methods return awaitables and async
    iterators, because the runner each client gives it does.
    """

    def __init__(self, runner: Runner[One, Many, Each]) -> None:
        self._runner = runner


class NotGiven:
    """The default of an optional argument of an update: the field is left as it is. Passing
    None instead sends null, which clears the field where the API allows it."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN = NotGiven()


def given(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a PATCH body that were passed (None included: it means null)."""
    return {key: value for key, value in fields.items() if value is not NOT_GIVEN}


def weekly_ranges(ranges: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The body of PUT .../hours: `{"ranges": [{"weekday", "start", "end"}, ...]}`."""
    return {"ranges": [dict(r) for r in ranges]}
