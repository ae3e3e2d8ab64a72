"""The public booking page's form: reading what a visitor chose and typed, its CSRF cookie,
and the words and links its pages show."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from slotbook.application.users import csrf_matches
from slotbook.domain.errors import CsrfRejected, InvalidRequest
from slotbook.domain.limits import MAX_EMAIL_LENGTH, MAX_ID, is_email, is_supported_year
from slotbook.web.forms import text_field
from slotbook.web.i18n import LANGUAGES, Translator
from slotbook.web.session import CSRF_FIELD, MAX_TOKEN_LENGTH, set_cookie

# Anonymous visitors have no session to bind a token to: a double-submit cookie, as the
# dashboard's login form. The cookie is HttpOnly and SameSite=Lax, so another site's form posts
# arrive without it and are refused.
CSRF_COOKIE = "slotbook_book_csrf"
# The API's client fields (api/schemas/common.py: Email, Phone, Name), for the same refusals.
PHONE = re.compile(r"^[0-9+().\- /]*[0-9][0-9+().\- /]*$")
MAX_NAME = 200
MAX_PHONE = 64
WORKER_SEPARATOR = "~"


def positive_id(value: str | None) -> int | None:
    """An id from a query or form field; anything else reads as "not chosen"."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def iso_day(value: str | None) -> date | None:
    if value is None or len(value) != 10:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if is_supported_year(day) else None  # like any other date it cannot show


def time_choice(start: datetime, worker_id: int | None) -> str:
    """The value of one time's radio button: local wall-clock time, and the worker when the
    department lets visitors choose who they see."""
    text = start.strftime("%Y-%m-%dT%H:%M")
    return f"{text}{WORKER_SEPARATOR}{worker_id}" if worker_id is not None else text


def parse_time_choice(value: str) -> tuple[datetime, int | None] | None:
    text, _, worker = value.partition(WORKER_SEPARATOR)
    if len(text) != 16:
        return None
    try:
        start = datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    worker_id = positive_id(worker) if worker else None
    if worker and worker_id is None:
        return None
    return start, worker_id


@dataclass(frozen=True, slots=True)
class Visitor:
    """What the visitor typed, as typed (shown again when the booking is refused)."""

    name: str = ""
    email: str = ""
    phone: str = ""
    time: str = ""

    @classmethod
    def of(cls, form: FormData) -> Visitor:
        return cls(
            name=text_field(form, "name", MAX_NAME * 2),
            email=text_field(form, "email", MAX_EMAIL_LENGTH * 2),
            phone=text_field(form, "phone", MAX_PHONE * 2),
            time=text_field(form, "time", 64),
        )

    def checked(self, t: Translator) -> tuple[str, str, str, datetime, int | None]:
        """Name, e-mail, phone and the chosen time, or an InvalidRequest in plain words whose
        details name every wrong field (shown next to each one)."""
        errors = self._contact_errors(t)
        choice = parse_time_choice(self.time)
        if choice is None:
            errors.append({"field": "time", "message": t("book.time_required")})
        if errors or choice is None:
            raise InvalidRequest(str(errors[0]["message"]), details=errors)
        return self.name.strip(), self.email.strip(), self.phone.strip(), *choice

    def contact(self, t: Translator) -> tuple[str, str, str]:
        """Name, e-mail and phone, or an InvalidRequest naming every wrong field."""
        errors = self._contact_errors(t)
        if errors:
            raise InvalidRequest(str(errors[0]["message"]), details=errors)
        return self.name.strip(), self.email.strip(), self.phone.strip()

    def _contact_errors(self, t: Translator) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = []
        name = self.name.strip()
        if not name or len(name) > MAX_NAME or any(ord(c) < 32 for c in name):
            errors.append({"field": "name", "message": t("book.name_required")})
        if not is_email(self.email.strip()):
            errors.append({"field": "email", "message": t("book.email_invalid")})
        phone = self.phone.strip()
        if not phone or len(phone) > MAX_PHONE or not PHONE.match(phone):
            errors.append({"field": "phone", "message": t("book.phone_invalid")})
        return errors


def field_errors(details: list[dict[str, Any]] | None) -> dict[str, str]:
    """The messages of a refusal by form field (empty when the refusal is about no field)."""
    return {
        str(d["field"]): str(d["message"])
        for d in details or []
        if isinstance(d.get("field"), str) and isinstance(d.get("message"), str)
    }


def csrf_token(request: Request) -> str:
    """The visitor's token: the one in their cookie, else a new one (set by `remember_csrf`)."""
    current = request.cookies.get(CSRF_COOKIE)
    if current and len(current) <= MAX_TOKEN_LENGTH:
        return current
    token: str | None = getattr(request.state, "book_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(32)
        request.state.book_csrf = token
    return token


def remember_csrf(request: Request, response: Response) -> None:
    set_cookie(request, response, CSRF_COOKIE, csrf_token(request), max_age=None)


def check_csrf(request: Request, form: FormData) -> None:
    expected = request.cookies.get(CSRF_COOKIE)
    presented = text_field(form, CSRF_FIELD, MAX_TOKEN_LENGTH)
    if not expected or len(expected) > MAX_TOKEN_LENGTH or not csrf_matches(expected, presented):
        raise CsrfRejected()


def day_label(t: Translator, day: date) -> str:
    """ "Tuesday 1 December" / "mardi 1 décembre", without depending on the server's locale."""
    return t(
        "book.day_label",
        weekday=t(f"book.weekday.{day.weekday()}"),
        day=day.day,
        month=t(f"book.month.{day.month}"),
    )


def moment_label(t: Translator, moment: datetime) -> str:
    """A local date and time in words: "Tuesday 1 December at 10:00"."""
    return t("book.date_time", date=day_label(t, moment.date()), time=moment.strftime("%H:%M"))


def step_link(department_id: int, type_id: int | None, day: date | None = None) -> str:
    query = {"type": type_id, "day": day.isoformat() if day else None}
    text = urlencode({k: v for k, v in query.items() if v is not None})
    return f"/book/{department_id}" + (f"?{text}" if text else "")


def language_links(request: Request, t: Translator) -> list[tuple[str, str, str, bool]]:
    """The language switch, keeping the page's other query parameters (the step reached)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    links = []
    for code in LANGUAGES:
        query = urlencode([*kept, ("lang", code)])
        links.append((code, t(f"lang.{code}"), f"{request.url.path}?{query}", code == t.language))
    return links
