"""The delivery worker's HTTP/1.1 client: POST, read the status, keep the connection.

Why not httpx/httpcore: httpcore's connection pool rescans every connection (with a `poll`
and a `getpeername` system call each) for every queued request, and probes for `sniffio` with
a failing import on every request; at 50 requests in flight that was 4-6 ms of CPU per
delivery, most of the worker's time. A webhook sender needs much less: one request shape, the
status code and `Retry-After`, a capped read of the answer, and idle connections kept per
origin. So this module keeps its own small pool of asyncio streams, and h11 (the HTTP/1.1
protocol library httpcore itself is built on) writes the requests and parses the answers:
framing, keep-alive and malformed answers are h11's rules, not ours. Every new connection
goes through the SSRF guard and is pinned to the checked address; TLS verifies the URL's host
name against certifi's roots (as httpx does). Redirects are never followed.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, urlsplit

import certifi
import h11

from slotbook.infra.webhooks.ssrf import SsrfGuard

HEAD_LIMIT = 64 * 1024  # the status line and headers of an answer may not be longer
READ_SIZE = 64 * 1024

Header = tuple[bytes, bytes]


class HttpProtocolError(Exception):
    """The receiver's answer is not valid HTTP/1.x, or the connection ended inside it."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: list[Header]  # names in lower case


@dataclass(slots=True)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    protocol: h11.Connection = field(
        default_factory=lambda: h11.Connection(h11.CLIENT, max_incomplete_event_size=HEAD_LIMIT)
    )
    idle_since: float = 0.0

    def usable(self, now: float, keepalive: float) -> bool:
        # A receiver that closed an idle connection has fed EOF to the reader by now.
        return (
            now - self.idle_since < keepalive
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    def close(self) -> None:
        self.writer.close()


@dataclass(frozen=True, slots=True)
class _Target:
    secure: bool
    host: str
    port: int
    path: bytes  # the request target: path and query, percent-encoded
    authority: bytes  # the Host header

    @property
    def origin(self) -> tuple[bool, str, int]:
        return self.secure, self.host, self.port


def _target(url: str) -> _Target:
    parts = urlsplit(url)
    secure = parts.scheme.lower() == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if secure else 80)
    netloc = parts.netloc
    if not netloc.isascii():
        netloc = host.encode("idna").decode() + (f":{parts.port}" if parts.port else "")
    # Already percent-encoded parts stay as they are; anything else non-ASCII is encoded.
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~") + (
        "?" + quote(parts.query, safe="/%:@!$&'()*+,;=~?") if parts.query else ""
    )
    return _Target(secure, host, port, path.encode("ascii"), netloc.encode("ascii"))


class WebhookHttpClient:
    """POSTs to webhook URLs over kept-alive HTTP/1.1 connections. The caller bounds how many
    requests run at once (and so how many connections are open)."""

    def __init__(
        self,
        guard: SsrfGuard,
        max_body: int = 64 * 1024,
        keepalive_expiry: float = 30.0,
        tls: ssl.SSLContext | None = None,  # default: certifi's roots, host name verified
    ) -> None:
        self._guard = guard
        self._given_tls = tls
        self._max_body = max_body
        self._keepalive = keepalive_expiry
        self._idle: defaultdict[tuple[bool, str, int], list[_Connection]] = defaultdict(list)
        self._targets: dict[str, _Target] = {}

    @cached_property
    def _tls(self) -> ssl.SSLContext:
        # Built on first use: loading the roots takes a quarter of a second.
        return self._given_tls or ssl.create_default_context(cafile=certifi.where())

    async def aclose(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    async def post(self, url: str, headers: Sequence[Header], body: bytes) -> Answer:
        """`headers`: (name, value) pairs, without host and content-length. Raises
        BlockedDestination, OSError (TLS errors included), HttpProtocolError; wrap it in a
        timeout."""
        target = self._targets.get(url)
        if target is None:
            if len(self._targets) > 10_000:
                self._targets.clear()
            target = self._targets[url] = _target(url)
        connection = self._reuse(target) or await self._connect(target)
        protocol = connection.protocol
        try:
            request = h11.Request(
                method=b"POST",
                target=target.path,
                headers=[
                    (b"host", target.authority),
                    *headers,
                    (b"content-length", str(len(body)).encode()),
                ],
            )
            connection.writer.write(
                b"".join(
                    (
                        protocol.send(request) or b"",
                        protocol.send(h11.Data(data=body)) or b"",
                        protocol.send(h11.EndOfMessage()) or b"",
                    )
                )
            )
            answer, complete = await self._read_answer(connection)
        except h11.ProtocolError as exc:
            connection.close()
            raise HttpProtocolError(str(exc) or type(exc).__name__) from None
        except BaseException:
            connection.close()
            raise
        if complete and protocol.our_state is h11.DONE and protocol.their_state is h11.DONE:
            protocol.start_next_cycle()
            connection.idle_since = time.monotonic()
            self._idle[target.origin].append(connection)
        else:
            connection.close()
        return answer

    def _reuse(self, target: _Target) -> _Connection | None:
        idle = self._idle.get(target.origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()  # the most recently used: the least likely to be stale
            if connection.usable(now, self._keepalive):
                return connection
            connection.close()
        return None

    async def _connect(self, target: _Target) -> _Connection:
        addresses = await self._guard.addresses(target.host, target.port)
        error: OSError | None = None
        for address in addresses:
            try:
                reader, writer = await asyncio.open_connection(
                    address,
                    target.port,
                    ssl=self._tls if target.secure else None,
                    server_hostname=target.host if target.secure else None,
                    limit=HEAD_LIMIT,
                )
            except OSError as exc:
                error = exc
            else:
                return _Connection(reader, writer)
        assert error is not None
        raise error

    async def _read_answer(self, connection: _Connection) -> tuple[Answer, bool]:
        """The answer, and whether its body was read to the end (a longer body than
        `max_body` is not drained: the connection is closed instead)."""
        protocol = connection.protocol
        answer: Answer | None = None
        received = 0
        while True:
            event = protocol.next_event()
            if event is h11.NEED_DATA:
                # At EOF h11 ends a body delimited by the connection, and raises for an
                # answer cut short.
                protocol.receive_data(await connection.reader.read(READ_SIZE))
                continue
            if isinstance(event, h11.InformationalResponse):
                continue  # 1xx are interim answers: the real one follows
            if isinstance(event, h11.Response):
                answer = Answer(event.status_code, list(event.headers))
                continue
            if isinstance(event, h11.Data):
                received += len(event.data)
                if received > self._max_body:
                    assert answer is not None
                    return answer, False
                continue
            if isinstance(event, h11.EndOfMessage):
                assert answer is not None
                return answer, True
            if isinstance(event, h11.ConnectionClosed):
                raise HttpProtocolError("the connection closed before the answer")
            raise HttpProtocolError(f"unexpected {type(event).__name__}")
