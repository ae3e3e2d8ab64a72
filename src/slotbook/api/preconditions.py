"""Optimistic concurrency over HTTP: the ETag of an appointment version and If-Match."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header, Response

from slotbook.domain.errors import InvalidRequest

# RFC 9110 entity-tag: an optional W/ prefix and an opaque quoted string.
_ENTITY_TAG = re.compile(r'^(W/)?"([\x21\x23-\x7e]*)"$')

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag you read (e.g. "3"); 412 VERSION_MISMATCH if it changed since',
    ),
]


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def expected_versions(header: str | None) -> frozenset[int] | None:
    """The versions If-Match accepts; None when any will do (no header, or `*`).

    If-Match uses the strong comparison, so a weak tag (W/"3") never matches."""
    if header is None or header.strip() == "*":
        return None
    versions: set[int] = set()
    for part in header.split(","):
        match = _ENTITY_TAG.match(part.strip())
        if match is None:
            raise InvalidRequest(f'If-Match must list entity tags such as "3", not {header!r}')
        weak, opaque = match.groups()
        if not weak and opaque.isdigit() and len(opaque) <= 10:
            versions.add(int(opaque))
    return frozenset(versions)
