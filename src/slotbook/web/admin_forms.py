"""Reading the admin pages' fields (numbers, times, dates, choices) with refusals in the
user's language, before the use cases apply the same rules in the domain's words."""

from __future__ import annotations

import re
from datetime import date, datetime

from starlette.datastructures import FormData

from slotbook.domain.errors import InvalidRequest
from slotbook.web.forms import text_field
from slotbook.web.i18n import Translator

_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# ASCII digits only: str.isdigit() and \d accept characters int() refuses, such as "²".
_DIGITS = re.compile(r"[0-9]{1,9}")


def name_field(form: FormData, field: str, t: Translator, label: str, max_length: int) -> str:
    """Required single-line text: refused empty, too long, or with control characters."""
    value = text_field(form, field, 10 * max_length).strip()
    if not value:
        raise InvalidRequest(t("admin.error.required", field=label))
    return _checked_text(value, t, label, max_length)


def optional_text(
    form: FormData, field: str, t: Translator, label: str, max_length: int
) -> str | None:
    value = text_field(form, field, 10 * max_length).strip()
    return _checked_text(value, t, label, max_length) if value else None


def _checked_text(value: str, t: Translator, label: str, max_length: int) -> str:
    if len(value) > max_length or _CONTROL.search(value):
        raise InvalidRequest(t("admin.error.text", field=label, max=max_length))
    return value


def int_field(
    form: FormData, field: str, t: Translator, label: str, low: int, high: int
) -> int | None:
    """A whole number within [low, high], or None when left empty."""
    raw = text_field(form, field, 32).strip()
    if not raw:
        return None
    if not _DIGITS.fullmatch(raw) or not low <= int(raw) <= high:
        raise InvalidRequest(t("admin.error.number", field=label, low=low, high=high))
    return int(raw)


def required_int(form: FormData, field: str, t: Translator, label: str, low: int, high: int) -> int:
    value = int_field(form, field, t, label, low, high)
    if value is None:
        raise InvalidRequest(t("admin.error.required", field=label))
    return value


def checkbox(form: FormData, field: str) -> bool:
    return text_field(form, field, 8) == "on"


def clock_minutes(raw: str, t: Translator) -> int:
    """'HH:MM' as minutes after midnight ('24:00' is the end of the day)."""
    match = _CLOCK.fullmatch(raw.strip())
    minutes = int(match.group(1)) * 60 + int(match.group(2)) if match else -1
    if not 0 <= minutes <= 24 * 60:
        raise InvalidRequest(t("admin.error.time", value=raw[:16]))
    return minutes


def date_field(form: FormData, field: str, t: Translator, label: str) -> date:
    raw = text_field(form, field, 16).strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(t("admin.error.date", field=label)) from None


def local_datetime(form: FormData, field: str, t: Translator, label: str) -> datetime:
    """A datetime-local field ('2026-05-04T09:00'): wall-clock time without an offset."""
    raw = text_field(form, field, 32).strip()
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(t("admin.error.datetime", field=label)) from None
    if value.tzinfo is not None:
        raise InvalidRequest(t("admin.error.datetime", field=label))
    return value


def as_id(raw: object) -> int | None:
    return int(raw) if isinstance(raw, str) and _DIGITS.fullmatch(raw) else None


def posted_ids(form: FormData, field: str) -> set[int]:
    return {i for i in map(as_id, form.getlist(field)) if i is not None}


def id_choices(form: FormData, field: str, allowed: set[int]) -> list[int]:
    """The ticked ids among `allowed` (a forged id is dropped, not stored)."""
    return sorted(posted_ids(form, field) & allowed)


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
