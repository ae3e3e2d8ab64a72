"""The delivery worker's HTTP/1.1 client: POST, read the status, keep the connection.

Why not httpcore: its connection pool rescans every connection (with a `poll` and a
`getpeername` system call each) for every queued request, and probes for `sniffio` with a
failing import on every request; at 50 requests in flight that was 4-6 ms of CPU per
delivery, most of the worker's time. A webhook sender needs much less: one request shape,
the status code and `Retry-After`, a capped read of the answer, and idle connections kept per
origin. Every new connection goes through the SSRF guard and is pinned to the checked
address; TLS verifies the URL's host name against certifi's roots (as httpx does). Redirects
are never followed.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, urlsplit

import certifi

from slotbook.infra.webhooks.ssrf import SsrfGuard

HEAD_LIMIT = 64 * 1024  # the status line and headers of an answer may not be longer


class HttpProtocolError(Exception):
    """The receiver's answer is not valid HTTP/1.x, or the connection ended inside it."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]  # names in lower case


@dataclass(slots=True)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
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
    request_line: bytes  # `POST /path?query HTTP/1.1\r\nhost: ...\r\n`

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
    head = f"POST {path} HTTP/1.1\r\nhost: {netloc}\r\n"
    return _Target(secure, host, port, head.encode("ascii"))


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

    async def post(self, url: str, headers: bytes, body: bytes) -> Answer:
        """`headers`: complete `name: value\\r\\n` lines, without host and content-length.
        Raises BlockedDestination, OSError (TLS errors included), HttpProtocolError; wrap
        it in a timeout."""
        target = self._targets.get(url)
        if target is None:
            if len(self._targets) > 10_000:
                self._targets.clear()
            target = self._targets[url] = _target(url)
        connection = self._reuse(target) or await self._connect(target)
        try:
            connection.writer.write(
                b"".join(
                    (
                        target.request_line,
                        headers,
                        b"content-length: ",
                        str(len(body)).encode(),
                        b"\r\n\r\n",
                        body,
                    )
                )
            )
            answer, reusable = await self._read_answer(connection.reader)
        except BaseException:
            connection.close()
            raise
        if reusable:
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

    async def _read_answer(self, reader: asyncio.StreamReader) -> tuple[Answer, bool]:
        """The answer, and whether the connection may carry another request."""
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                version, status, headers = _parse_head(head)
                if not 100 <= status < 200:
                    break  # 1xx are interim answers: the real one follows
            reusable = version == b"HTTP/1.1" and not any(
                name == b"connection" and b"close" in value.lower() for name, value in headers
            )
            if status in (204, 304):
                return Answer(status, headers), reusable
            length = _content_length(headers)
            chunked = any(
                name == b"transfer-encoding" and b"chunked" in value.lower()
                for name, value in headers
            )
            if chunked:
                complete = await self._skip_chunks(reader)
            elif length is not None:
                complete = length <= self._max_body
                if complete:
                    await reader.readexactly(length)
            else:  # the body runs until the connection closes
                complete = False
                await reader.read(self._max_body)
            return Answer(status, headers), reusable and complete
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            raise HttpProtocolError(f"incomplete answer: {type(exc).__name__}") from None

    async def _skip_chunks(self, reader: asyncio.StreamReader) -> bool:
        """Read a chunked body; False when it is longer than we read (the connection is
        then closed rather than drained)."""
        received = 0
        while True:
            line = await reader.readuntil(b"\r\n")
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise HttpProtocolError("invalid chunk size") from None
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":
                    pass  # trailers
                return True
            received += size
            if received > self._max_body:
                return False
            await reader.readexactly(size + 2)


def _parse_head(head: bytes) -> tuple[bytes, int, list[tuple[bytes, bytes]]]:
    lines = head[:-4].split(b"\r\n")
    version, _, rest = lines[0].partition(b" ")
    code = rest[:3]
    if not version.startswith(b"HTTP/1.") or len(code) != 3 or not code.isdigit():
        raise HttpProtocolError(f"invalid status line {lines[0][:60]!r}")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon:
            raise HttpProtocolError(f"invalid header line {line[:60]!r}")
        headers.append((name.strip().lower(), value.strip()))
    return version, int(code), headers


def _content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            if not value.isdigit():
                raise HttpProtocolError("invalid content-length")
            return int(value)
    return None
