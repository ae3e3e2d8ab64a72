"""Request dependencies: the caller's principal and the use cases' services."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, APIKeyQuery, HTTPBasic

from slotbook.application.access import Principal
from slotbook.application.ports import Services
from slotbook.bootstrap import Container
from slotbook.domain.errors import Unauthorized

# Declared for the OpenAPI document; the guard middleware has already resolved the key.
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key")
_query = APIKeyQuery(name="apikey", auto_error=False, description="The API key, as seed 002")
_basic = HTTPBasic(auto_error=False, description="The API key as user name, empty password")


# Dependencies are `async def`: FastAPI runs a plain `def` dependency in a thread pool.
async def _principal(
    request: Request,
    _h: Annotated[str | None, Security(_header)] = None,
    _q: Annotated[str | None, Security(_query)] = None,
    _b: Annotated[object, Security(_basic)] = None,
) -> Principal:
    principal: Principal | None = request.scope.get("state", {}).get("principal")
    if principal is None:
        raise Unauthorized("Invalid or missing API key")
    return principal


async def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def _services(request: Request) -> Services:
    container: Container = request.app.state.container
    return container.services


CurrentPrincipal = Annotated[Principal, Depends(_principal)]
CurrentServices = Annotated[Services, Depends(_services)]
CurrentContainer = Annotated[Container, Depends(_container)]
