"""The dashboard's languages: its words (messages_en, messages_fr) by key, and how a request's
language is chosen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.requests import Request
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from slotbook.web import messages_desk, messages_en, messages_fr

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "slotbook_lang"

# The front desk's words (calendar grid, new appointment, clients, arrivals) live apart.
MESSAGES: Mapping[str, Mapping[str, str]] = {
    "en": messages_en.MESSAGES | messages_desk.EN,
    "fr": messages_fr.MESSAGES | messages_desk.FR,
}


@dataclass(frozen=True, slots=True)
class Translator:
    """`t("key", name=value)`: the message in this language, with its placeholders filled."""

    language: str

    def __call__(self, key: str, **values: object) -> str:
        text = MESSAGES[self.language].get(key) or MESSAGES[DEFAULT_LANGUAGE].get(key, key)
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in MESSAGES[self.language]

    def datetime(self, value: datetime | None, time_zone: str) -> str:
        if value is None:
            return ""
        return value.astimezone(ZoneInfo(time_zone)).strftime(self("fmt.datetime"))


def requested_language(request: Request) -> str | None:
    """The language asked for explicitly with ?lang=, to be remembered in a cookie."""
    asked = request.query_params.get("lang")
    return asked if asked in LANGUAGES else None


def negotiate(request: Request) -> str:
    """?lang=, else the language cookie, else the browser's Accept-Language, else English."""
    asked = requested_language(request) or request.cookies.get(LANGUAGE_COOKIE)
    if asked in LANGUAGES:
        assert asked is not None
        return asked
    header = request.headers.get("accept-language")
    if header:
        accept = parse_accept_header(header, LanguageAccept)
        best = accept.best_match(list(LANGUAGES), default=DEFAULT_LANGUAGE)
        return best if best in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE
