"""The booking route's request handling, without FastAPI's per-request dependency solving.

FastAPI prepares every request of a route generically: it reads the body, solves the
endpoint's dependencies (each parameter in turn, with its own validation and error
bookkeeping), and wraps the answer. For `POST /api/v1/appointments` that cost about 100-135 µs
of the server's CPU a request, a tenth of a booking (docs/benchmarks.md). `BookingRoute` is
FastAPI's extension point for this (a custom `APIRoute` whose `get_route_handler` builds the
handler): the route, its OpenAPI operation and its endpoint stay as declared, and the handler
gets the endpoint's three arguments itself, the way FastAPI would, with the same errors:

- the body is parsed as JSON under FastAPI's rules (`application/json` or
  `application/*+json`, or no Content-Type if the route is not strict about it; any other
  body is validated as raw bytes, and fails), a malformed
  document is the `json_invalid` error, a missing one the body's `missing` error;
- the body and `lang` are validated by pydantic with the endpoint's own types, their errors
  located as FastAPI locates them (`body`, `query.lang`), so api/errors.py words them alike;
- a body that cannot be read otherwise is FastAPI's 400 "There was an error parsing the body",
  except one over the size limit (the guard's BodyTooLarge), which keeps its own message
  ("Request body is larger than N bytes") where FastAPI's handler would hide it behind that one.

tests/api/test_lean_route.py compares its answers with FastAPI's own handler of the same
endpoint, for valid and malformed requests alike.
"""

from __future__ import annotations

import email.message
import inspect
import json
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, get_type_hints

from fastapi import Request, Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from starlette.exceptions import HTTPException

from slotbook.api.errors import BodyTooLarge

Handler = Callable[[Request], Coroutine[Any, Any, Response]]

_MISSING = object()


async def json_body(request: Request, *, strict: bool) -> Any:
    """The body as FastAPI hands it to validation: parsed JSON, the raw bytes when its
    Content-Type is not JSON (or missing, when `strict`), or _MISSING when there is none."""
    raw = await request.body()
    if not raw:
        return _MISSING
    kind = request.headers.get("content-type")
    if not kind and strict:
        return raw
    if kind and kind != "application/json":  # the common case needs no parsing
        message = email.message.Message()
        message["content-type"] = kind
        subtype = message.get_content_subtype()
        if message.get_content_maintype() != "application" or not (
            subtype == "json" or subtype.endswith("+json")
        ):
            return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", error.pos),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": error.msg},
                }
            ]
        ) from error


def validated(adapter: TypeAdapter[Any], value: Any, loc: tuple[str, ...]) -> Any:
    """`value` validated, or FastAPI's RequestValidationError with the errors under `loc`."""
    try:
        # from_attributes as FastAPI validates: it words a non-object body "object to
        # extract fields from".
        return adapter.validate_python(value, from_attributes=True)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": (*loc, *e["loc"])} for e in error.errors(include_url=False)]
        ) from error


class BookingRoute(APIRoute):
    """An APIRoute whose endpoint is `(body: Model, http: Request, lang: Language)`."""

    def get_route_handler(self) -> Handler:
        endpoint = self.endpoint
        signature = inspect.signature(endpoint)
        parameters: Sequence[str] = list(signature.parameters)
        if parameters != ["body", "http", "lang"]:
            raise TypeError(f"BookingRoute serves (body, http, lang), not {parameters}")
        hints = get_type_hints(endpoint, include_extras=True)
        body_type: TypeAdapter[Any] = TypeAdapter(hints["body"])
        lang_type: TypeAdapter[Any] = TypeAdapter(hints["lang"])
        lang_default = signature.parameters["lang"].default
        strict = self.strict_content_type
        strict = bool(strict.value if isinstance(strict, DefaultPlaceholder) else strict)

        async def handler(request: Request) -> Response:
            try:
                raw = await json_body(request, strict=strict)
            except (RequestValidationError, HTTPException, BodyTooLarge):
                raise
            except Exception as error:  # as FastAPI: a body that cannot be read is a 400
                raise HTTPException(400, "There was an error parsing the body") from error
            if raw is _MISSING:
                raise RequestValidationError(
                    [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
                )
            body = validated(body_type, raw, ("body",))
            lang = lang_default
            if request.scope.get("query_string"):  # parsed only when there is one
                given = request.query_params.get("lang", lang_default)
                lang = validated(lang_type, given, ("query", "lang"))
            response: Response = await endpoint(body=body, http=request, lang=lang)
            return response

        return handler
