"""Request dependencies: the caller's principal and the use cases' services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, APIKeyQuery, HTTPBasic

from slotbook.application.access import Principal
from slotbook.application.ports import Services
from slotbook.bootstrap import Container
from slotbook.domain.errors import Unauthorized

# The three ways to present the key, for the OpenAPI document only: api/openapi.py requires
# them of every operation under /api/, which the guard middleware refuses without a key. The
# guard has already resolved the key, so no route reads them again (as FastAPI security
# dependencies they cost every request about 100 µs of dependency solving).
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    type(scheme).__name__: scheme.model.model_dump(mode="json", by_alias=True, exclude_none=True)
    for scheme in (
        APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key"),
        APIKeyQuery(
            name="apikey",
            auto_error=False,
            description="The API key, as the groups API (RDV360-style) sends it",
        ),
        HTTPBasic(auto_error=False, description="The API key as user name, empty password"),
    )
}


def principal_of(request: Request) -> Principal:
    """The caller, as the guard middleware resolved it. Routes take it as `CurrentPrincipal`;
    the booking route reads it here itself, because each dependency FastAPI solves costs
    every request about 40 µs (docs/benchmarks.md)."""
    principal: Principal | None = request.scope.get("state", {}).get("principal")
    if principal is None:
        raise Unauthorized("Invalid or missing API key")
    return principal


def services_of(request: Request) -> Services:
    container: Container = request.app.state.container
    return container.services


# Dependencies are `async def`: FastAPI runs a plain `def` dependency in a thread pool.
async def _principal(request: Request) -> Principal:
    return principal_of(request)


async def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def _services(request: Request) -> Services:
    return services_of(request)


CurrentPrincipal = Annotated[Principal, Depends(_principal)]
CurrentServices = Annotated[Services, Depends(_services)]
CurrentContainer = Annotated[Container, Depends(_container)]
