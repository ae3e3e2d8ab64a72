"""Around every request: its X-Request-Id, its JSON access-log line and its metrics.

It wraps the whole application, outside Starlette's error middleware, so a 500 answer gets
the header and the line too. Inner layers fill in the request's RequestContext (the guard:
key prefix and organization; api/errors.py: the error code), found through a context
variable that logs also read (infra/logs.py).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from fastapi.routing import iter_route_contexts
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from slotbook.infra.logs import RequestContext, current_request
from slotbook.infra.metrics import RequestMetrics

access_log = logging.getLogger("slotbook.access")

REQUEST_ID_HEADER = b"x-request-id"
# A caller's own id is kept when it is short and made of characters safe in a header and in
# a log line; anything else is replaced by a fresh one.
_SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:=+/-]{1,128}")
UNMATCHED = "unmatched"  # the route label of paths no route serves (never the path itself)
# POST on these route endings creates appointments, in every dialect.
_BOOKING_ROUTE_ENDINGS = ("/appointments", "/appointments.json", "/individual_appointments")


def request_id_of(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            if _SAFE_REQUEST_ID.fullmatch(value):
                given: str = value.decode("ascii")
                return given
            break
    return uuid.uuid4().hex


class RouteTemplates:
    """The full template of each route (/api/v1/departments/{department_id}), prefixes of the
    routers it was included through included, listed once from the app's routes."""

    def __init__(self) -> None:
        self._by_route: dict[int, str] | None = None
        self._routes: list[tuple[re.Pattern[str], frozenset[str] | None, str]] = []

    def _build(self, app: object) -> dict[int, str]:
        by_route: dict[int, str] = {}
        for context in iter_route_contexts(getattr(getattr(app, "router", None), "routes", [])):
            path, template = context.path, context.path_format or context.path
            if path is None or template is None:
                continue
            by_route.setdefault(id(context.original_route), template)
            methods = frozenset(context.methods) if context.methods else None
            self._routes.append((compile_path(path)[0], methods, template))
        return by_route

    def of(self, scope: Scope) -> str:
        """The template of the route that served the request. A request refused before
        routing (401, 429 by the guard) is matched here, so it is labelled as if served."""
        by_route = self._by_route
        if by_route is None:
            by_route = self._by_route = self._build(scope.get("app"))
        route = scope.get("route")
        if route is not None:
            return by_route.get(id(route), UNMATCHED)
        path, method = scope["path"], scope["method"]
        for pattern, methods, template in self._routes:
            if (methods is None or method in methods) and pattern.match(path):
                return template
        return UNMATCHED


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics
        self.templates = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        context = RequestContext(request_id_of(scope))
        token = current_request.set(context)
        header = (REQUEST_ID_HEADER, context.request_id.encode("ascii"))
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_request.reset(token)
            self._finish(scope, context, status, time.perf_counter() - started)

    def _finish(self, scope: Scope, context: RequestContext, status: int, seconds: float) -> None:
        method: str = scope["method"]
        route = self.templates.of(scope)
        self.metrics.observe(method, route, status, seconds)
        if method == "POST" and route.endswith(_BOOKING_ROUTE_ENDINGS):
            if 200 <= status < 300:
                self.metrics.booking("BOOKED")
            elif context.error_code is not None:
                self.metrics.booking(context.error_code)
        if context.organization_id is None:
            user = scope.get("state", {}).get("user")  # a dashboard session (web/session.py)
            context.organization_id = getattr(user, "organization_id", None)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %d",
                method,
                route,
                status,
                extra={
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "key_prefix": context.key_prefix,
                    "organization_id": context.organization_id,
                    "request_id": context.request_id,
                    "error_code": context.error_code,
                },
            )
