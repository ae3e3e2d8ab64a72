"""The delivery worker's HTTP client against a raw socket server that answers scripted bytes:
framing of the answers it must read, when it keeps or drops a connection, SSRF."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from slotbook.infra.webhooks.http import Answer, HttpProtocolError, WebhookHttpClient
from slotbook.infra.webhooks.ssrf import BlockedDestination, SsrfGuard

HEADERS = [(b"content-type", b"application/json"), (b"webhook-id", b"evt_1")]


@dataclass
class Scripted:
    """Answers the n-th request with `answers[n]` (the last one after that); `close_after`
    closes the connection after answering. Records each request's head and body."""

    answers: list[bytes]
    close_after: bool = False
    requests: list[tuple[bytes, bytes]] = field(default_factory=list)
    connections: int = 0
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = await reader.readexactly(length)
                answer = self.answers[min(len(self.requests), len(self.answers) - 1)]
                self.requests.append((head, body))
                writer.write(answer)
                await writer.drain()
                if self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


@pytest.fixture
async def server() -> AsyncIterator[Scripted]:
    scripted = Scripted([b"HTTP/1.1 204 No Content\r\n\r\n"])
    listener = await asyncio.start_server(scripted.handle, "127.0.0.1", 0)
    scripted.port = listener.sockets[0].getsockname()[1]
    async with listener:
        yield scripted
        listener.close()


@pytest.fixture
async def http() -> AsyncIterator[WebhookHttpClient]:
    client = WebhookHttpClient(SsrfGuard(allow_private=True), max_body=1024)
    yield client
    await client.aclose()


async def post(http: WebhookHttpClient, server: Scripted, path: str = "/hook") -> Answer:
    url = f"http://127.0.0.1:{server.port}{path}"
    async with asyncio.timeout(5):
        return await http.post(url, HEADERS, b'{"id":"evt_1"}')


async def test_sends_the_request_and_keeps_the_connection(
    http: WebhookHttpClient, server: Scripted
) -> None:
    for _ in range(3):
        assert (await post(http, server, "/hook?a=1")).status == 204
    assert server.connections == 1
    head, body = server.requests[0]
    assert head.startswith(b"POST /hook?a=1 HTTP/1.1\r\n")
    head = head.lower()  # header names are case-insensitive
    assert f"host: 127.0.0.1:{server.port}\r\n".encode() in head
    assert b"webhook-id: evt_1\r\n" in head
    assert b"content-length: 14\r\n" in head
    assert body == b'{"id":"evt_1"}'


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n",
    ],
)
async def test_reads_each_framing_and_reuses_the_connection(
    http: WebhookHttpClient, server: Scripted, answer: bytes
) -> None:
    server.answers = [answer]
    statuses = [(await post(http, server)).status for _ in range(2)]
    assert statuses[0] in (200, 201)
    assert statuses[0] == statuses[1]
    assert server.connections == 1


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 0\r\n\r\n",
        b"HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n",
        # Far over max_body: an answer that arrived whole in one read is complete and may
        # keep its connection, one still arriving is not drained.
        b"HTTP/1.1 200 OK\r\ncontent-length: 4000000\r\n\r\n" + b"x" * 4_000_000,
    ],
)
async def test_drops_a_connection_it_cannot_reuse(
    http: WebhookHttpClient, server: Scripted, answer: bytes
) -> None:
    server.answers = [answer]
    assert (await post(http, server)).status == 200
    assert (await post(http, server)).status == 200
    assert server.connections == 2


async def test_a_body_until_close_is_read_and_the_connection_dropped(
    http: WebhookHttpClient, server: Scripted
) -> None:
    server.answers = [b"HTTP/1.1 500 Oops\r\n\r\nsomething broke"]
    server.close_after = True
    assert (await post(http, server)).status == 500
    assert (await post(http, server)).status == 500
    assert server.connections == 2


async def test_a_connection_the_receiver_closed_while_idle_is_not_reused(
    http: WebhookHttpClient, server: Scripted
) -> None:
    server.answers = [b"HTTP/1.1 204 No Content\r\n\r\n"]
    server.close_after = True  # closes after answering, although the answer allows reuse
    assert (await post(http, server)).status == 204
    await asyncio.sleep(0.05)  # the EOF reaches the idle connection
    assert (await post(http, server)).status == 204
    assert server.connections == 2


async def test_headers_are_parsed_for_retry_after(
    http: WebhookHttpClient, server: Scripted
) -> None:
    server.answers = [b"HTTP/1.1 429 Too Many\r\nRetry-After:  120 \r\ncontent-length: 0\r\n\r\n"]
    answer = await post(http, server)
    assert answer.status == 429
    assert (b"retry-after", b"120") in answer.headers


@pytest.mark.parametrize(
    "answer",
    [
        b"garbage\r\n\r\n",
        b"HTTP/1.1 2x0 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort",
    ],
)
async def test_malformed_answers_are_protocol_errors(
    http: WebhookHttpClient, server: Scripted, answer: bytes
) -> None:
    server.answers = [answer]
    server.close_after = True
    with pytest.raises(HttpProtocolError):
        await post(http, server)


async def test_private_targets_are_refused_before_connecting(server: Scripted) -> None:
    guarded = WebhookHttpClient(SsrfGuard(allow_private=False))
    with pytest.raises(BlockedDestination):
        await post(guarded, server)
    assert server.connections == 0
    await guarded.aclose()


async def test_a_named_host_connects_only_to_the_address_the_guard_returned(
    server: Scripted,
) -> None:
    async def resolve(host: str, port: int) -> list[str]:
        assert host == "hooks.example.org"
        return ["127.0.0.1"]

    pinned = WebhookHttpClient(SsrfGuard(allow_private=True, resolver=resolve))
    try:
        url = f"http://hooks.example.org:{server.port}/hook"
        assert (await pinned.post(url, HEADERS, b"{}")).status == 204
    finally:
        await pinned.aclose()
    head = server.requests[0][0].lower()
    assert f"host: hooks.example.org:{server.port}\r\n".encode() in head

    guarded = WebhookHttpClient(SsrfGuard(allow_private=False, resolver=resolve))
    try:
        with pytest.raises(BlockedDestination):
            await guarded.post(url, HEADERS, b"{}")
    finally:
        await guarded.aclose()
    assert server.connections == 1


async def test_a_refused_connection_is_an_os_error(http: WebhookHttpClient) -> None:
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    with pytest.raises(ConnectionRefusedError):
        await http.post(f"http://127.0.0.1:{port}/", HEADERS, b"{}")


async def test_https_verifies_the_host_name_and_keeps_the_connection(tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
    subprocess.run(
        [
            *command.split(),
            *("-keyout", str(key), "-out", str(cert)),
            *("-addext", "subjectAltName=DNS:localhost"),
        ],
        check=True,
        capture_output=True,
    )
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    scripted = Scripted([b"HTTP/1.1 204 No Content\r\n\r\n"])
    listener = await asyncio.start_server(scripted.handle, "127.0.0.1", 0, ssl=served)
    port = listener.sockets[0].getsockname()[1]
    trusting = ssl.create_default_context(cafile=str(cert))
    async with listener:
        client = WebhookHttpClient(SsrfGuard(allow_private=True), tls=trusting)
        try:
            for _ in range(2):
                answer = await client.post(f"https://localhost:{port}/hook", HEADERS, b"{}")
                assert answer.status == 204
            assert scripted.connections == 1
            # The default roots do not trust this certificate.
            strict = WebhookHttpClient(SsrfGuard(allow_private=True))
            with pytest.raises(ssl.SSLCertVerificationError):
                await strict.post(f"https://localhost:{port}/hook", HEADERS, b"{}")
            await strict.aclose()
        finally:
            await client.aclose()
        listener.close()
