"""Real servers for SDK tests: uvicorn in a thread, an app that fails on purpose, a dead peer."""

from __future__ import annotations

import socket
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import h11
import orjson
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started or not thread.is_alive():
                break
            threading.Event().wait(0.01)
        assert server.started, "the test server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass(frozen=True)
class Failure:
    """One answer the FlakyApp gives instead of the real app's."""

    status: int
    code: str = "SERVICE_UNAVAILABLE"
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def body(self) -> bytes:
        return orjson.dumps(
            {"code": self.code, "message": f"failing on purpose: {self.status}", "timestamp": "x"}
        )


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    idempotency_key: str | None


class FlakyApp:
    """A real ASGI app in front of Slotbook: answers the queued failures first, then passes
    every request through. It records each request it receives."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.failures: deque[Failure] = deque()
        self.seen: list[Seen] = []

    def fail_next(self, *failures: Failure) -> None:
        self.failures.extend(failures)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = headers.get(b"idempotency-key")
        self.seen.append(
            Seen(scope["method"], scope["path"], key.decode() if key is not None else None)
        )
        try:
            failure = self.failures.popleft()
        except IndexError:
            await self.app(scope, receive, send)
            return
        body = failure.body
        raw = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        raw += [(k.lower().encode(), v.encode()) for k, v in failure.headers]
        await send({"type": "http.response.start", "status": failure.status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


@contextmanager
def hang_up_server() -> Iterator[tuple[str, list[h11.Request]]]:
    """A TCP server that reads each request and closes the connection without answering.

    Yields its base URL and the requests it received (parsed with h11)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    received: list[h11.Request] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                parser = h11.Connection(h11.SERVER)
                conn.settimeout(5)
                while True:
                    event = parser.next_event()
                    if event is h11.NEED_DATA:
                        parser.receive_data(conn.recv(65536))
                        continue
                    if isinstance(event, h11.Request):
                        received.append(event)
                    if isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                        break

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", received
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
