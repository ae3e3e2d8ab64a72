"""The base of every resource: it builds Calls and hands them to the client's runner."""

from __future__ import annotations

from typing import Generic, TypeVar

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
