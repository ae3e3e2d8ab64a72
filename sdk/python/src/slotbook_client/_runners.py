"""The two thin drivers of the core: one sends with httpx.Client, the other with AsyncClient."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, Protocol, TypeVar

import httpx

from slotbook_client._core import Call, Config, Outcome, exchange, next_page
from slotbook_client.record import Record

One_co = TypeVar("One_co", covariant=True)
Many_co = TypeVar("Many_co", covariant=True)
Each_co = TypeVar("Each_co", covariant=True)


class Runner(Protocol[One_co, Many_co, Each_co]):
    """What a resource needs: run a call answered by one object or by a list of them, or walk
    every page of a list call."""

    def one(self, call: Call) -> One_co: ...

    def many(self, call: Call) -> Many_co: ...

    def each(self, call: Call, items_key: str) -> Each_co: ...


class SyncRunner:
    def __init__(self, config: Config, http: httpx.Client) -> None:
        self.config = config
        self.http = http

    def one(self, call: Call) -> Record:
        result: Record = self._run(call)
        return result

    def many(self, call: Call) -> list[Record]:
        result: list[Record] = self._run(call)
        return result

    def _run(self, call: Call) -> Any:
        steps = exchange(self.config, call)
        try:
            step = next(steps)
            while True:
                if isinstance(step, float):
                    time.sleep(step)
                    step = steps.send(None)
                    continue
                outcome: Outcome
                try:
                    outcome = self.http.send(step)
                except httpx.TransportError as error:
                    outcome = error
                step = steps.send(outcome)
        except StopIteration as done:
            return done.value

    def each(self, call: Call, items_key: str) -> Iterator[Record]:
        page_call: Call | None = call
        while page_call is not None:
            page = self.one(page_call)
            yield from page[items_key]
            page_call = next_page(page_call, page, items_key)


class AsyncRunner:
    def __init__(self, config: Config, http: httpx.AsyncClient) -> None:
        self.config = config
        self.http = http

    async def one(self, call: Call) -> Record:
        result: Record = await self._run(call)
        return result

    async def many(self, call: Call) -> list[Record]:
        result: list[Record] = await self._run(call)
        return result

    async def _run(self, call: Call) -> Any:
        steps = exchange(self.config, call)
        try:
            step = next(steps)
            while True:
                if isinstance(step, float):
                    await asyncio.sleep(step)
                    step = steps.send(None)
                    continue
                outcome: Outcome
                try:
                    outcome = await self.http.send(step)
                except httpx.TransportError as error:
                    outcome = error
                step = steps.send(outcome)
        except StopIteration as done:
            return done.value

    async def each(self, call: Call, items_key: str) -> AsyncIterator[Record]:
        page_call: Call | None = call
        while page_call is not None:
            page = await self.one(page_call)
            for item in page[items_key]:
                yield item
            page_call = next_page(page_call, page, items_key)
