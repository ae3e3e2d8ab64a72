"""One pure-ASGI guard in front of every request: body size, API key, rate limit headers."""

from __future__ import annotations

import base64
import binascii
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from urllib.parse import parse_qs, parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from slotbook.api.errors import BodyTooLarge, envelope
from slotbook.application.access import KEY_PREFIX_LENGTH
from slotbook.bootstrap import Container
from slotbook.infra.logs import current_request
from slotbook.infra.ratelimit import CounterStoreUnavailable

log = logging.getLogger("slotbook.api")

# Paths under these prefixes need an API key; the rest (health, docs) are public.
PROTECTED_PREFIXES = ("/api/",)
# Never counted against any budget: an orchestrator that polls the probes must never get a
# 429 (it would restart a healthy server), nor a scraper of the metrics.
UNCOUNTED_PATHS = frozenset({"/health", "/ready", "/metrics"})
# The dashboard and the public booking pages (with their files): a budget of their own per
# client address (SLOTBOOK_PAGE_RATE_LIMIT), apart from anonymous API calls.
PAGE_PREFIXES = ("/dashboard", "/book", "/static/")

# A compatibility dialect's body for a 400 refused here, given the message: a path prefix and
# its formatter, so a malformed request gets that dialect's error shape, not the envelope.
InvalidBody = tuple[str, Callable[[str], bytes]]


def presented_key(scope: Scope) -> str | None:
    """The API key from X-API-Key, else HTTP basic auth (key as user name), else ?apikey=."""
    authorization = None
    for name, value in scope["headers"]:
        if name == b"x-api-key":
            key: str = value.decode("latin-1").strip()
            return key or None
        if name == b"authorization":
            authorization = value
    if authorization is not None:
        scheme, _, credentials = authorization.partition(b" ")
        if scheme.lower() == b"basic":
            try:
                user = base64.b64decode(credentials.strip(), validate=True).partition(b":")[0]
                return user.decode("utf-8").strip() or None
            except (binascii.Error, UnicodeDecodeError):
                return None
    query: bytes = scope.get("query_string", b"")
    if b"apikey=" in query:
        values = parse_qs(query.decode("latin-1")).get("apikey")
        if values and values[0].strip():
            return values[0].strip()
    return None


def repeated_parameter(scope: Scope) -> str | None:
    """A single-valued query parameter given more than once. Only `name[]` parameters (q[])
    take several values; for the others the framework would silently keep the last one, so
    `?search=<invalid>&search=<valid>` would pass unvalidated text through."""
    query: bytes = scope.get("query_string", b"")
    if b"&" not in query:
        return None
    names = Counter(name for name, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True))
    return next((n for n, count in names.items() if count > 1 and not n.endswith("[]")), None)


class GuardMiddleware:
    def __init__(
        self, app: ASGIApp, container: Container, invalid_bodies: Sequence[InvalidBody] = ()
    ) -> None:
        self.app = app
        self.container = container
        self.max_body = container.settings.max_body_bytes
        self.invalid_bodies = tuple(invalid_bodies)

    def _invalid(self, path: str, message: str) -> bytes:
        for prefix, body in self.invalid_bodies:
            if path.startswith(prefix):
                return body(message)
        return envelope("INVALID_REQUEST", message)

    async def _reply(
        self, send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]]
    ) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *extra,
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path in UNCOUNTED_PATHS:
            await self.app(scope, receive, send)
            return
        raw_key = presented_key(scope)
        principal = None
        try:
            if raw_key is not None:
                principal = await self.container.authenticator.authenticate(raw_key)
        except Exception:
            log.exception("authentication store unavailable")
            await self._reply(
                send, 503, envelope("SERVICE_UNAVAILABLE", "Please retry shortly"), []
            )
            return
        settings = self.container.settings
        if principal is not None:
            context = current_request.get()
            if context is not None:  # for the access log: never the key itself
                assert raw_key is not None
                context.key_prefix = raw_key[:KEY_PREFIX_LENGTH]
                context.organization_id = principal.organization_id
            bucket, limit = f"key:{principal.api_key_id}", principal.rate_limit_per_hour
        else:
            # The client's address: the connection's, or the one a trusted proxy forwarded
            # (set by the proxy-headers middleware from SLOTBOOK_TRUSTED_PROXIES).
            client = scope.get("client")
            address = client[0] if client else "unknown"
            if path.startswith(PAGE_PREFIXES):
                bucket, limit = f"page:{address}", settings.page_rate_limit
            else:
                bucket, limit = f"ip:{address}", settings.anonymous_rate_limit
        try:
            decision = await self.container.rate_limiter.hit(bucket, limit)
        except CounterStoreUnavailable:
            wait = str(max(1, round(settings.redis_retry_seconds))).encode()
            body = envelope("SERVICE_UNAVAILABLE", "Rate limits cannot be checked; retry shortly")
            await self._reply(send, 503, body, [(b"retry-after", wait)])
            return
        rate_headers = [
            (b"x-ratelimit-limit", str(decision.limit).encode()),
            (b"x-ratelimit-remaining", str(decision.remaining).encode()),
            (b"x-ratelimit-reset", str(decision.reset_at).encode()),
        ]
        if not decision.allowed:
            retry = decision.retry_after(time.time())
            message = (
                f"Rate limit of {decision.limit} requests per hour exceeded; retry in {retry} s"
            )
            await self._reply(
                send,
                429,
                envelope("RATE_LIMITED", message),
                [*rate_headers, (b"retry-after", str(retry).encode())],
            )
            return
        if principal is None and path.startswith(PROTECTED_PREFIXES):
            await self._reply(
                send, 401, envelope("UNAUTHORIZED", "Invalid or missing API key"), rate_headers
            )
            return
        repeated = repeated_parameter(scope)
        if repeated is not None:
            message = f"Query parameter {repeated!r} is given more than once"
            await self._reply(send, 400, self._invalid(path, message), rate_headers)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_body:
                message = f"Request body is larger than {self.max_body} bytes"
                await self._reply(send, 400, self._invalid(path, message), rate_headers)
                return
        scope.setdefault("state", {})["principal"] = principal

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *rate_headers]
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)
