"""The dashboard's message catalogue: both languages say everything the pages ask for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slotbook.application.access import Scope
from slotbook.domain.appointments import AppointmentStatus
from slotbook.domain.credits import LedgerReason
from slotbook.domain.events import DeliveryStatus
from slotbook.domain.schedules import ExceptionKind
from slotbook.domain.users import Role
from slotbook.web import i18n
from slotbook.web.rendering import NAV
from slotbook.web.routers import appointment_types, appointments, departments, webhooks, workers

WEB = Path(i18n.__file__).parent


def _used_keys() -> set[str]:
    sources = [p.read_text() for p in (WEB / "templates").glob("*.html")]
    sources += [p.read_text() for p in WEB.rglob("*.py")]
    keys = set()
    for text in sources:
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z_.:]+)["']""", text))
    keys = {k for k in keys if not k.endswith(".")}  # prefixes of computed keys, listed below
    keys |= {item.key for item in NAV}
    keys |= {f"status.{s.value}" for s in AppointmentStatus}
    keys |= {f"reason.{r.value}" for r in LedgerReason}
    keys |= {f"scope.{s.value}" for s in Scope}
    keys |= {f"home.role.{r.value}" for r in Role}
    keys |= {f"lang.{code}" for code in i18n.LANGUAGES}
    keys |= {f"calendar.weekday.{n}" for n in range(7)}
    keys |= {f"appointment.action.{a}" for a in appointments.ACTIONS}
    keys |= {f"appointment.done.{d}" for d in appointments.DONE}
    keys |= {f"webhooks.done.{d}" for d in webhooks.NOTICES}
    keys |= {f"delivery.{s.value}" for s in DeliveryStatus}
    keys |= {f"departments.done.{d}" for d in departments.NOTICES}
    keys |= {f"workers.done.{d}" for d in workers.NOTICES}
    keys |= {f"workers.kind.{k.value}" for k in ExceptionKind}
    keys |= {f"types.done.{d}" for d in appointment_types.NOTICES}
    return keys


def test_both_languages_have_the_same_keys() -> None:
    assert set(i18n.MESSAGES["en"]) == set(i18n.MESSAGES["fr"])


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_key_the_pages_use_exists(language: str) -> None:
    used = _used_keys()
    assert len(used) > 50  # the scan found the templates
    assert used - set(i18n.MESSAGES[language]) == set()


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_placeholders_match_between_languages(language: str) -> None:
    for key, text in i18n.MESSAGES[language].items():
        english = i18n.MESSAGES["en"][key]
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", english)), key


def test_translator_falls_back_to_the_key() -> None:
    t = i18n.Translator("fr")
    assert t("nav.home") == "Accueil"
    assert t("keys.revoked_notice", prefix="sb_live_ab") == "La clé sb_live_ab… est révoquée."
    assert t("no.such.key") == "no.such.key"
