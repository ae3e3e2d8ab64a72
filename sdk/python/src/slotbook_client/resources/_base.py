"""The base of every resource: it builds Calls and hands them to the client's runner."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from slotbook_client._runners import Runner
from slotbook_client.record import camel_case

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


def camel_keys(fields: Mapping[str, Any]) -> dict[str, Any]:
    """An object of the body given with snake_case or camelCase keys, as the API names them."""
    return {camel_case(key): value for key, value in fields.items()}


# The version to send as If-Match: the `version` of a Record you read (e.g. 3), an ETag as the
# API sent it ('"3"') or "*".
Version = int | str


def if_match(version: Version | None) -> dict[str, str]:
    """The If-Match header for `version` (none for None): the call is refused with
    PreconditionFailedError (412 VERSION_MISMATCH) if the resource changed since."""
    if version is None:
        return {}
    if isinstance(version, bool):
        raise TypeError("if_match is a version number or an ETag, not a bool")
    if isinstance(version, int) or version.isdigit():
        return {"If-Match": f'"{int(version)}"'}
    return {"If-Match": version}
