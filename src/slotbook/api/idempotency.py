"""Idempotency-Key on POST, PATCH and DELETE: the first response is replayed for 24 hours.

Pure ASGI, inside the guard (which has authenticated the caller and bounds the body at
1 MiB, so reading the body here to fingerprint it is bounded too). The response is held back
until it is stored: it is committed together with the change it reports (see
infra/db/idempotency.py), so a client never sees a success that was not committed.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import orjson
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from slotbook.api.errors import CLIENT_CLOSED_REQUEST, BodyTooLarge, envelope, status_for
from slotbook.api.middleware import PROTECTED_PREFIXES
from slotbook.application.access import Principal
from slotbook.application.ports import Clock, IdempotencyClaim, IdempotencyStore, StoredResponse
from slotbook.domain.errors import DomainError
from slotbook.infra.db.idempotency import PendingCommit, pending_commit

log = logging.getLogger("slotbook.api")

KEYED_METHODS = frozenset({"POST", "PATCH", "DELETE"})
# Secrets an answer shows only once (a webhook's signing secret, on creation and rotation):
# never written to the stored copy, so a replay says what was done, without them.
SHOWN_ONCE_FIELDS = ("secret",)
MAX_KEY_LENGTH = 255
REPLAYED = (b"idempotent-replayed", b"true")


def parse_key(raw: bytes) -> str | None:
    """The key, bare or as a Structured Field string ("..."); None when not acceptable."""
    try:
        key = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        return None
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        return None
    return key


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """Same request = same method, path, query and JSON body (key order and spacing aside)."""
    try:
        canonical = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS) if body else b""
    except orjson.JSONDecodeError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, store: IdempotencyStore, clock: Clock) -> None:
        self.app = app
        self.store = store
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw_key = None
        # Only API requests: the dashboard's form posts (session cookie) are not keyed requests,
        # even if a client sends the header.
        if (
            scope["type"] == "http"
            and scope["method"] in KEYED_METHODS
            and scope["path"].startswith(PROTECTED_PREFIXES)
        ):
            raw_key = next((v for k, v in scope["headers"] if k == b"idempotency-key"), None)
        principal: Principal | None = scope.get("state", {}).get("principal")
        if raw_key is None or principal is None or not _is_an_operation(scope):
            await self.app(scope, receive, send)
            return
        key = parse_key(raw_key)
        if key is None:
            await _reply(
                send,
                400,
                envelope(
                    "INVALID_REQUEST",
                    f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters",
                ),
            )
            return
        try:
            body = await _read_body(receive)
        except BodyTooLarge as error:
            await _reply(send, 400, envelope("INVALID_REQUEST", str(error)))
            return
        print_ = fingerprint(scope["method"], scope["path"], scope.get("query_string", b""), body)
        try:
            outcome = await self.store.begin(
                principal.organization_id, key, print_, self.clock.now()
            )
        except DomainError as error:
            headers = [(b"retry-after", b"1")] if status_for(error) == 409 else []
            await _reply(send, status_for(error), envelope(error.code, error.message), headers)
            return
        if isinstance(outcome, StoredResponse):
            await _reply(
                send,
                outcome.status_code,
                outcome.body,
                [REPLAYED],
                outcome.content_type,
            )
            return
        await self._run(scope, body, send, outcome)

    async def _run(self, scope: Scope, body: bytes, send: Send, claim: IdempotencyClaim) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        pending = PendingCommit()
        token = pending_commit.set(pending)
        try:
            await self.app(scope, replay_receive, hold)
            assert start is not None
            status = int(start["status"])
            headers: list[tuple[bytes, bytes]] = list(start.get("headers", []))
            content = b"".join(chunks)
            if status >= 500 or status == CLIENT_CLOSED_REQUEST:
                await self.store.abandon(claim)  # not stored: the client may retry
            else:
                content_type = next(
                    (v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"), None
                )
                stored = StoredResponse(status, content_type, without_secrets(content))
                await self.store.finish(claim, stored)
        except BaseException:
            await self.store.abandon(claim)
            raise
        finally:
            pending_commit.reset(token)
        await send(start)
        await send({"type": "http.response.body", "body": content})


def without_secrets(content: bytes) -> bytes:
    """The answer to store: a JSON object loses its SHOWN_ONCE_FIELDS."""
    if not any(f'"{name}"'.encode() in content for name in SHOWN_ONCE_FIELDS):
        return content
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        return content
    if not isinstance(body, dict):
        return content
    return orjson.dumps({k: v for k, v in body.items() if k not in SHOWN_ONCE_FIELDS})


def _is_an_operation(scope: Scope) -> bool:
    """Whether a route takes this method on this path. Anything else (an unknown path, a method
    the path does not have) gets the router's 404 or 405, never a stored or refused key."""
    app = scope.get("app")
    if app is None:
        return True
    return any(route.matches(scope)[0] is Match.FULL for route in app.router.routes)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def _reply(
    send: Send,
    status: int,
    body: bytes,
    extra: list[tuple[bytes, bytes]] | None = None,
    content_type: str | None = "application/json",
) -> None:
    headers: list[Any] = [(b"content-length", str(len(body)).encode()), *(extra or [])]
    if content_type:
        headers.insert(0, (b"content-type", content_type.encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
