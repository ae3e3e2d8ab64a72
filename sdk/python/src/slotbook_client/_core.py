"""The sans-I/O core shared by both clients: requests, retries, responses, pagination.

Nothing here does I/O. A call is run by `exchange`, a generator that yields either an
`httpx.Request` to send (and is sent back the response or the transport error) or a delay in
seconds to sleep (and is sent back None), and returns the decoded result. The synchronous and
asynchronous clients are the two thin drivers of this one generator, so request building,
error mapping and the retry policy exist once.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import httpx

from slotbook_client._version import __version__
from slotbook_client.errors import APIConnectionError, envelope_of, error_from_response
from slotbook_client.errors import retry_after_seconds as retry_after_seconds
from slotbook_client.models import RESPONSE_MODELS
from slotbook_client.record import Record, wrap

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
USER_AGENT = f"slotbook-python/{__version__}"

# Methods that change state: each call carries an Idempotency-Key, reused by its retries.
IDEMPOTENT_BY_KEY = frozenset({"POST", "PATCH", "DELETE"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# The API answers 409 with this code while the first request under the same key still runs.
RETRY_CODES = frozenset({"IDEMPOTENCY_IN_PROGRESS"})
# Failures where the request may not have reached the API, or its answer was lost.
RETRY_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)

Outcome = httpx.Response | Exception
Step = httpx.Request | float
Exchange = Generator[Step, Outcome | None, Any]


@dataclass(frozen=True, slots=True)
class Call:
    """One API operation, before it becomes an HTTP request."""

    method: str
    path: str  # relative to the base URL, e.g. "api/v1/appointments"
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    idempotency_key: str | None = None
    # A PATCH body says "set to null" with None; other bodies omit their None fields.
    keep_nulls: bool = False
    # Extra request headers, e.g. If-Match.
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter, bounded by `max_retries`.

    429, 502, 503, 504, 409 IDEMPOTENCY_IN_PROGRESS and connection errors are retried. A
    `Retry-After` answer is honoured as given, unless it asks for longer than
    `max_retry_after` seconds, in which case the error is raised at once instead.
    """

    max_retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0

    def backoff_delay(self, attempt: int) -> float:
        ceiling = min(self.max_backoff, self.backoff * 2.0**attempt)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def delay(self, attempt: int, outcome: Outcome) -> float | None:
        """Seconds to wait before retrying after `outcome` of attempt `attempt` (from 0), or
        None when the outcome is final."""
        if attempt >= self.max_retries:
            return None
        if isinstance(outcome, Exception):
            return self.backoff_delay(attempt) if isinstance(outcome, RETRY_ERRORS) else None
        status = outcome.status_code
        if status == 409 and envelope_of(outcome).get("code") in RETRY_CODES:
            pass
        elif status not in RETRY_STATUSES:
            return None
        asked = retry_after_seconds(outcome.headers)
        if asked is None:
            return self.backoff_delay(attempt)
        return asked if asked <= self.max_retry_after else None


@dataclass(frozen=True, slots=True)
class Config:
    api_key: str
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def __post_init__(self) -> None:
        if not self.api_key:
            raise ValueError("an API key is required (or set SLOTBOOK_API_KEY)")

    @property
    def root(self) -> httpx.URL:
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return httpx.URL(base)


def _wire(value: Any) -> Any:
    """A value as the API expects it: ISO 8601 dates, lowercase booleans."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def build_request(config: Config, call: Call) -> httpx.Request:
    headers = {
        "X-API-Key": config.api_key,
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
        **call.headers,
    }
    if call.method in IDEMPOTENT_BY_KEY:
        headers["Idempotency-Key"] = call.idempotency_key or str(uuid.uuid4())
    params = {k: _wire(v) for k, v in call.params.items() if v is not None}
    content = None
    if call.body is not None:
        body = {
            k: v.isoformat() if isinstance(v, datetime | date) else v
            for k, v in call.body.items()
            if v is not None or call.keep_nulls
        }
        content = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    return httpx.Request(
        call.method,
        config.root.join(call.path),
        params=params,
        content=content,
        headers=headers,
        # httpx applies the timeout of the request's extensions when it is sent.
        extensions={"timeout": httpx.Timeout(config.timeout).as_dict()},
    )


def _templates() -> dict[tuple[str, int], list[tuple[tuple[str, ...], type[Record]]]]:
    """The path templates of RESPONSE_MODELS by method and number of segments, those with
    fewer parameters first (`appointments/types` is not `appointments/{appointment_id}`)."""
    table: dict[tuple[str, int], list[tuple[tuple[str, ...], type[Record]]]] = {}
    for (method, template), model in RESPONSE_MODELS.items():
        segments = tuple(template.strip("/").split("/"))
        table.setdefault((method, len(segments)), []).append((segments, model))
    for candidates in table.values():
        candidates.sort(key=lambda entry: sum(part.startswith("{") for part in entry[0]))
    return table


_TEMPLATES = _templates()


def model_for(method: str, path: str) -> type[Record]:
    """The typed model of the answer to `method path` (e.g. GET api/v1/appointments/5 ->
    Appointment); a plain Record for an operation the SDK's models do not know."""
    segments = tuple(path.strip("/").split("/"))
    for template, model in _TEMPLATES.get((method, len(segments)), []):
        if all(t.startswith("{") or t == s for t, s in zip(template, segments, strict=True)):
            return model
    return Record


def decode(response: httpx.Response, call: Call | None = None) -> Any:
    """The result of a final response: typed Records for 2xx JSON, else the typed error is
    raised.

    A 2xx without a body (204 No Content, e.g. a DELETE) is an empty Record, so every call
    returns the type its resource declares."""
    if not response.is_success:
        raise error_from_response(response)
    if not response.content:
        return Record()  # 204 No Content (a deletion)
    model = Record if call is None else model_for(call.method, call.path)
    return wrap(response.json(), model)


def exchange(config: Config, call: Call) -> Exchange:
    """Run `call`: yields requests to send and delays to sleep; returns the decoded result.

    The request is built once, so every retry carries the same Idempotency-Key.
    """
    request = build_request(config, call)
    attempt = 0
    while True:
        outcome = yield request
        assert outcome is not None
        delay = config.retry.delay(attempt, outcome)
        if delay is None:
            break
        yield delay
        attempt += 1
    if isinstance(outcome, Exception):
        raise APIConnectionError(
            f"{type(outcome).__name__}: {outcome}", code="CONNECTION_ERROR", status=None
        ) from outcome
    return decode(outcome, call)


def next_page(call: Call, page: Mapping[str, Any], items_key: str) -> Call | None:
    """The call for the page after `page`, or None when `page` was the last."""
    if page.get("isLast", True) or not page.get(items_key):
        return None
    return replace(call, params={**call.params, "page": int(page.get("page", 0)) + 1})
