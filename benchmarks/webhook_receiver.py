"""A fast webhook receiver for benchmarks/webhooks.py, run as its own process.

    python -m benchmarks.webhook_receiver SECRET [PORT]

Standard library only (asyncio protocol, no HTTP framework), so that the receiver costs far
less CPU per request than the worker it measures. It answers every POST with 204 at once,
keeps connections alive, checks each request's Standard Webhooks signature with SECRET, and
notes the path, `webhook-id` and arrival time (`time.time()` when the body is complete).
Listens on 127.0.0.1:PORT (default: any free port) and prints the port on the first line of
stdout. `GET /count` answers the number of POSTs
received so far; `GET /dump` answers all of them as JSON
`{"arrivals": [[path, webhook_id, time], ...], "bad_signatures": n}` and forgets them.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import sys
import time

NO_CONTENT = b"HTTP/1.1 204 No Content\r\n\r\n"

arrivals: list[tuple[str, str, float]] = []
bad_signatures = 0


def _ok(body: bytes) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


class Receiver(asyncio.Protocol):
    def __init__(self, key: bytes) -> None:
        self._key = key
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self._buffer[:end].decode("latin-1").split("\r\n")
            headers = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(self._buffer) < end + 4 + length:
                return
            body = self._buffer[end + 4 : end + 4 + length]
            self._buffer = self._buffer[end + 4 + length :]
            method, path, _ = head[0].split(" ", 2)
            assert self._transport is not None
            self._transport.write(self._answer(method, path, headers, body))

    def _answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
        global bad_signatures
        if method == "POST":
            arrived = time.time()
            webhook_id = headers.get("webhook-id", "")
            signed = f"{webhook_id}.{headers.get('webhook-timestamp')}.".encode() + body
            digest = hmac.new(self._key, signed, hashlib.sha256).digest()
            expected = "v1," + base64.b64encode(digest).decode()
            if expected not in headers.get("webhook-signature", "").split(" "):
                bad_signatures += 1
            arrivals.append((path, webhook_id, arrived))
            return NO_CONTENT
        if path == "/count":
            return _ok(json.dumps({"count": len(arrivals)}).encode())
        dump = json.dumps({"arrivals": arrivals, "bad_signatures": bad_signatures}).encode()
        arrivals.clear()
        bad_signatures = 0
        return _ok(dump)


async def main(secret: str, port: int) -> None:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Receiver(key), "127.0.0.1", port, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0))
