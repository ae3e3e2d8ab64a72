"""GET /metrics: Prometheus text, for a bearer token or from allowed addresses only."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request
from starlette.responses import Response

from slotbook.api.deps import CurrentContainer
from slotbook.bootstrap import Container
from slotbook.domain.errors import Forbidden, ServiceUnavailable, Unauthorized
from slotbook.infra.metrics import CONTENT_TYPE, exposition, read_figures

router = APIRouter(include_in_schema=False)


def _allowed_address(container: Container, request: Request) -> bool:
    networks = container.settings.metrics_networks
    if not networks or request.client is None:
        return False
    try:
        address = ipaddress.ip_address(request.client.host)
    except ValueError:
        return False
    return any(address in network for network in networks)


def _check_access(container: Container, request: Request) -> None:
    """A matching bearer token, or a client address in SLOTBOOK_METRICS_ALLOWED_ADDRESSES;
    with neither configured the metrics are off."""
    settings = container.settings
    token = settings.metrics_token
    if not token and not settings.metrics_networks:
        raise Forbidden(
            "Metrics are off: set SLOTBOOK_METRICS_TOKEN or SLOTBOOK_METRICS_ALLOWED_ADDRESSES"
        )
    if _allowed_address(container, request):
        return
    if token:
        scheme, _, presented = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            presented.strip().encode(), token.encode()
        ):
            return
        raise Unauthorized("GET /metrics needs `Authorization: Bearer <SLOTBOOK_METRICS_TOKEN>`")
    raise Forbidden("Metrics are not served to this address")


@router.get("/metrics")
async def metrics(request: Request, container: CurrentContainer) -> Response:
    _check_access(container, request)
    try:
        figures = await read_figures(container.engine, container.services.clock.now())
    except Exception as exc:
        raise ServiceUnavailable("The database does not answer") from exc
    return Response(exposition(figures), media_type=CONTENT_TYPE)
