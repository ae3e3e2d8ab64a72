"""Logging set up once per process: one JSON object per line (python-json-logger), each
record of a request tagged with its request id."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

LogFormat = Literal["json", "text"]


@dataclass(slots=True)
class RequestContext:
    """What the layers learn about the request in flight, for its access-log line, its
    metrics and its error body. Mutable: inner layers fill it in for the outer one."""

    request_id: str
    key_prefix: str | None = None
    organization_id: int | None = None
    error_code: str | None = None


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record logged while a request is handled (and drops
    uvicorn's `color_message`, the same message with terminal colour codes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("color_message", None)
        if not hasattr(record, "request_id"):
            context = current_request.get()
            if context is not None:
                record.request_id = context.request_id
        return True


def logging_config(level: str = "info", fmt: LogFormat = "json") -> dict[str, Any]:
    """A logging.config.dictConfig for the server and the worker (also uvicorn's loggers).

    uvicorn's own access log stays off: the app writes its own access line (api/observability.py)
    with what uvicorn cannot know (route template, key prefix, organization, request id)."""
    formatter: dict[str, Any]
    if fmt == "json":
        formatter = {
            "()": "pythonjsonlogger.orjson.OrjsonFormatter",
            "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        }
    else:
        formatter = {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            # uvicorn's loggers have handlers of their own by default; send them to ours.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
    }


def configure_logging(level: str = "info", fmt: LogFormat = "json") -> None:
    import logging.config

    logging.config.dictConfig(logging_config(level, fmt))
