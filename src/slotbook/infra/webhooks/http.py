"""The delivery worker's HTTP client: aiohttp's, with the SSRF guard as its resolver.

Why aiohttp rather than httpx: httpcore's connection pool walks every connection for every
request (a `poll` system call per idle one), which at 50 requests in flight cost the worker
most of its CPU (docs/benchmarks.md). aiohttp keeps idle connections per origin and parses
answers in C (llhttp), and lets us plug in the one thing a webhook sender must own: where it
connects. Every new connection asks `GuardedResolver`, which resolves through
`SsrfGuard.addresses` (refusing any non-public address), and aiohttp connects to exactly the
addresses it returned, with the URL's host name for TLS (SNI and certificate check), so DNS
cannot change between the check and the connection. aiohttp does not ask a resolver for an IP
literal, so those are judged here before the request. TLS verifies against certifi's roots
(as httpx does). Redirects are never followed, nothing is retried, no cookies are kept.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import ip_address

import aiohttp
import certifi
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from slotbook.infra.webhooks.ssrf import SsrfGuard

READ_SIZE = 64 * 1024
HEAD_LIMIT = 64 * 1024  # the status line and each header of an answer may not be longer

Header = tuple[bytes, bytes]


class HttpProtocolError(Exception):
    """The receiver's answer is not valid HTTP/1.x, or the connection ended inside it."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: list[Header]  # names in lower case


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver for every new connection: only addresses the guard accepted."""

    def __init__(self, guard: SsrfGuard) -> None:
        self._guard = guard

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await self._guard.addresses(host, port)
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        pass


@dataclass(frozen=True, slots=True)
class _Target:
    url: URL
    literal: bool  # the host is an IP address: aiohttp connects without asking the resolver


def _target(url: str) -> _Target:
    parsed = URL(url)
    try:
        ip_address(parsed.raw_host or "")
    except ValueError:
        return _Target(parsed, literal=False)
    return _Target(parsed, literal=True)


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
        self._session: aiohttp.ClientSession | None = None
        self._targets: dict[str, _Target] = {}
        self._allowed_literals: set[str] = set()

    def _open(self) -> aiohttp.ClientSession:
        # Built on first use, inside the running loop; loading the roots takes a quarter of
        # a second.
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self._guard),
            use_dns_cache=False,  # the guard judges every new connection afresh
            limit=0,  # the caller bounds the requests in flight
            keepalive_timeout=self._keepalive,
            ssl=self._given_tls or ssl.create_default_context(cafile=certifi.where()),
        )
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            skip_auto_headers=("Accept", "Accept-Encoding", "User-Agent"),
            auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=None),  # the caller's timeout governs
            max_line_size=HEAD_LIMIT,
            max_field_size=HEAD_LIMIT,
            read_bufsize=READ_SIZE,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post(self, url: str, headers: Sequence[Header], body: bytes) -> Answer:
        """`headers`: (name, value) pairs, without host and content-length. Raises
        BlockedDestination, OSError (TLS errors included), HttpProtocolError; wrap it in a
        timeout."""
        target = self._targets.get(url)
        if target is None:
            if len(self._targets) > 10_000:
                self._targets.clear()
                self._allowed_literals.clear()
            target = self._targets[url] = _target(url)
        if target.literal and url not in self._allowed_literals:
            # An address never resolves to anything else: one verdict per URL is enough.
            await self._guard.addresses(target.url.raw_host or "", target.url.port or 0)
            self._allowed_literals.add(url)
        session = self._session = self._session or self._open()
        try:
            async with session.post(
                target.url,
                data=body,
                headers=[(name.decode(), value.decode()) for name, value in headers],
                allow_redirects=False,
            ) as response:
                answer = Answer(
                    response.status, [(name.lower(), value) for name, value in response.raw_headers]
                )
                received = 0
                while chunk := await response.content.readany():
                    received += len(chunk)
                    if received > self._max_body:
                        # Not drained: the connection is dropped instead of reused.
                        response.close()
                        break
        except aiohttp.ClientConnectorCertificateError as error:
            raise error.certificate_error from None
        except aiohttp.ClientConnectorError as error:
            raise error.os_error from None
        except aiohttp.ClientOSError:
            raise
        except aiohttp.ClientError as error:
            raise HttpProtocolError(str(error) or type(error).__name__) from None
        return answer
