"""A real webhook receiver for tests: uvicorn on 127.0.0.1 serving a tiny recording ASGI app."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import uvicorn


class _Server(uvicorn.Server):
    """Leaves the test process's signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() when it arrived

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass
class Receiver:
    """Answers `default` unless `plan` (status codes, consumed one per request) says otherwise;
    `/redirect` answers 302 to `/internal`. Records every request and overlapping ones."""

    default: int = 200
    plan: list[int] = field(default_factory=list)
    delay: float = 0.0
    path_delays: dict[str, float] = field(default_factory=dict)  # on top of `delay`
    requests: list[Received] = field(default_factory=list)
    overlaps: int = 0
    _in_flight: Counter[str] = field(default_factory=Counter)
    _server: _Server | None = None
    _task: asyncio.Task[None] | None = None
    port: int = 0

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def to(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the sender died mid-request: nothing was delivered
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        received = Received(scope["path"], headers, body, time.time())
        self.requests.append(received)
        webhook_id = headers.get("webhook-id", "")
        if self._in_flight[webhook_id]:
            self.overlaps += 1
        self._in_flight[webhook_id] += 1
        try:
            if self.delay or scope["path"] in self.path_delays:
                await asyncio.sleep(self.delay + self.path_delays.get(scope["path"], 0.0))
            extra: list[tuple[bytes, bytes]] = []
            if scope["path"] == "/redirect":
                status = 302
                extra = [(b"location", self.url("/internal").encode())]
            else:
                status = self.plan.pop(0) if self.plan else self.default
        finally:
            self._in_flight[webhook_id] -= 1
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/plain"), *extra],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})

    async def start(self) -> Receiver:
        config = uvicorn.Config(
            self, host="127.0.0.1", port=0, log_level="error", lifespan="off", access_log=False
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        assert self._server is not None
        assert self._task is not None
        self._server.should_exit = True
        await self._task
