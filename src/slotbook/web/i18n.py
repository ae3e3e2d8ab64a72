"""The dashboard's words in English and French, and how a request's language is chosen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.requests import Request
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "slotbook_lang"

MESSAGES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "app.name": "Slotbook",
        "nav.skip": "Skip to content",
        "nav.home": "Home",
        "nav.credits": "Credits",
        "nav.settings": "Settings",
        "nav.settings_api": "API keys",
        "nav.logout": "Log out",
        "nav.language": "Language",
        "nav.menu": "Main menu",
        "lang.en": "English",
        "lang.fr": "Français",
        "fmt.datetime": "%Y-%m-%d %H:%M",
        "fmt.date": "%A %d %B %Y",
        "fmt.time": "%H:%M",
        "login.title": "Log in",
        "login.intro": "Log in to your organization's dashboard.",
        "login.email": "E-mail",
        "login.password": "Password",
        "login.submit": "Log in",
        "login.logged_out": "You are logged out.",
        "login.expired": "Your session has ended; please log in again.",
        "error.INVALID_CREDENTIALS": "Invalid e-mail or password.",
        "error.ACCOUNT_LOCKED": "Too many failed logins. Try again in {minutes} minute(s).",
        "error.CSRF_REJECTED": "This form has expired or did not come from this site. "
        "Reload the page and try again.",
        "error.FORBIDDEN": "You do not have access to this page.",
        "error.NOT_FOUND": "This page does not exist.",
        "error.title": "Error {status}",
        "error.back": "Back to the home page",
        "home.title": "Home",
        "home.welcome": "Welcome, {email}",
        "home.role.owner": "Owner",
        "home.role.staff": "Staff",
        "home.departments": "Departments",
        "home.no_departments": "No departments yet.",
        "home.department.id": "Id",
        "home.department.name": "Name",
        "home.department.description": "Description",
        "home.department.time_zone": "Time zone",
        "home.today": "Today's appointments",
        "home.today_date": "Today, {date}",
        "home.no_appointments": "No appointments today.",
        "home.more": "Showing {shown} of {total} appointments.",
        "appointment.time": "Time",
        "appointment.name": "Name",
        "appointment.department": "Department",
        "appointment.worker": "Worker",
        "appointment.status": "Status",
        "status.SCHEDULED": "Scheduled",
        "status.CONFIRMED": "Confirmed",
        "status.CHECKED_IN": "Checked in",
        "status.COMPLETED": "Completed",
        "status.MISSED": "No-show",
        "status.CANCELLED": "Cancelled",
        "credits.title": "Credits",
        "credits.balance": "Balance",
        "credits.balance_value": "{balance} credits",
        "credits.explain": "Each booking uses one credit; a cancellation gives it back.",
        "credits.ledger": "Ledger",
        "credits.empty": "No credit movements yet.",
        "credits.when": "When",
        "credits.change": "Change",
        "credits.reason": "Reason",
        "credits.appointment": "Appointment",
        "credits.after": "Balance after",
        "reason.GRANT": "Credits added",
        "reason.ADJUSTMENT": "Correction",
        "reason.BOOKING": "Booking",
        "reason.REFUND": "Refund",
        "pager.label": "Pages",
        "pager.previous": "Previous page",
        "pager.next": "Next page",
        "pager.position": "Page {page} of {pages}",
        "keys.title": "Settings → API",
        "keys.intro": "API keys let your own software use the Slotbook API. "
        "Give each key only the scopes it needs.",
        "keys.create": "Create an API key",
        "keys.name": "Name",
        "keys.name_hint": "For example the name of the program that will use it.",
        "keys.scopes": "Scopes",
        "keys.submit": "Create an API key",
        "keys.created_title": "Your new API key",
        "keys.created_warning": "Copy it now: it is shown only once and cannot be shown again.",
        "keys.copy": "Copy",
        "keys.copied": "Copied",
        "keys.value": "API key",
        "keys.done": "I have copied it",
        "keys.list": "Keys",
        "keys.empty": "No API keys yet.",
        "keys.prefix": "Prefix",
        "keys.created": "Created",
        "keys.last_used": "Last used",
        "keys.never": "never",
        "keys.state": "State",
        "keys.active": "Active",
        "keys.revoked": "Revoked",
        "keys.revoke": "Revoke",
        "keys.revoke_label": "Revoke the key {prefix}…",
        "keys.revoke_confirm": "Revoke this key? Programs that use it will stop working.",
        "keys.revoked_notice": "The key {prefix}… is revoked.",
        "keys.scope_required": "Choose at least one scope.",
        "keys.name_required": "Give the key a name.",
        "scope.appointments:read": "Read appointments",
        "scope.appointments:create": "Book appointments",
        "scope.appointments:cancel": "Cancel appointments",
        "scope.appointments:write": "Change appointments",
        "scope.departments:read": "Read departments",
        "scope.workers:read": "Read workers and their hours",
        "scope.clients:read": "Read clients and their patients",
        "scope.clients:write": "Create, change and erase clients and patients",
        "scope.credits:read": "Read credits",
        "scope.admin": "Administration (everything)",
    },
    "fr": {
        "app.name": "Slotbook",
        "nav.skip": "Aller au contenu",
        "nav.home": "Accueil",
        "nav.credits": "Crédits",
        "nav.settings": "Paramètres",
        "nav.settings_api": "Clés d'API",
        "nav.logout": "Se déconnecter",
        "nav.language": "Langue",
        "nav.menu": "Menu principal",
        "lang.en": "English",
        "lang.fr": "Français",
        "fmt.datetime": "%d/%m/%Y %H:%M",
        "fmt.date": "%d/%m/%Y",
        "fmt.time": "%H:%M",
        "login.title": "Connexion",
        "login.intro": "Connectez-vous au tableau de bord de votre organisation.",
        "login.email": "Adresse e-mail",
        "login.password": "Mot de passe",
        "login.submit": "Se connecter",
        "login.logged_out": "Vous êtes déconnecté.",
        "login.expired": "Votre session a pris fin ; veuillez vous reconnecter.",
        "error.INVALID_CREDENTIALS": "Adresse e-mail ou mot de passe incorrect.",
        "error.ACCOUNT_LOCKED": "Trop d'échecs de connexion. Réessayez dans {minutes} minute(s).",
        "error.CSRF_REJECTED": "Ce formulaire a expiré ou ne provient pas de ce site. "
        "Rechargez la page et réessayez.",
        "error.FORBIDDEN": "Vous n'avez pas accès à cette page.",
        "error.NOT_FOUND": "Cette page n'existe pas.",
        "error.title": "Erreur {status}",
        "error.back": "Retour à l'accueil",
        "home.title": "Accueil",
        "home.welcome": "Bienvenue, {email}",
        "home.role.owner": "Propriétaire",
        "home.role.staff": "Personnel",
        "home.departments": "Services",
        "home.no_departments": "Aucun service pour l'instant.",
        "home.department.id": "N°",
        "home.department.name": "Nom",
        "home.department.description": "Description",
        "home.department.time_zone": "Fuseau horaire",
        "home.today": "Rendez-vous du jour",
        "home.today_date": "Aujourd'hui, {date}",
        "home.no_appointments": "Aucun rendez-vous aujourd'hui.",
        "home.more": "{shown} rendez-vous affichés sur {total}.",
        "appointment.time": "Heure",
        "appointment.name": "Nom",
        "appointment.department": "Service",
        "appointment.worker": "Agent",
        "appointment.status": "Statut",
        "status.SCHEDULED": "Prévu",
        "status.CONFIRMED": "Confirmé",
        "status.CHECKED_IN": "Arrivé",
        "status.COMPLETED": "Terminé",
        "status.MISSED": "Absent",
        "status.CANCELLED": "Annulé",
        "credits.title": "Crédits",
        "credits.balance": "Solde",
        "credits.balance_value": "{balance} crédits",
        "credits.explain": "Chaque réservation utilise un crédit ; une annulation le rend.",
        "credits.ledger": "Historique",
        "credits.empty": "Aucun mouvement de crédits pour l'instant.",
        "credits.when": "Date",
        "credits.change": "Variation",
        "credits.reason": "Motif",
        "credits.appointment": "Rendez-vous",
        "credits.after": "Solde après",
        "reason.GRANT": "Crédits ajoutés",
        "reason.ADJUSTMENT": "Correction",
        "reason.BOOKING": "Réservation",
        "reason.REFUND": "Remboursement",
        "pager.label": "Pages",
        "pager.previous": "Page précédente",
        "pager.next": "Page suivante",
        "pager.position": "Page {page} sur {pages}",
        "keys.title": "Paramètres → API",
        "keys.intro": "Les clés d'API permettent à vos logiciels d'utiliser l'API Slotbook. "
        "Ne donnez à chaque clé que les droits dont elle a besoin.",
        "keys.create": "Créer une clé d'API",
        "keys.name": "Nom",
        "keys.name_hint": "Par exemple le nom du programme qui l'utilisera.",
        "keys.scopes": "Droits",
        "keys.submit": "Créer une clé d'API",
        "keys.created_title": "Votre nouvelle clé d'API",
        "keys.created_warning": "Copiez-la maintenant : elle n'est affichée qu'une seule fois.",
        "keys.copy": "Copier",
        "keys.copied": "Copiée",
        "keys.value": "Clé d'API",
        "keys.done": "Je l'ai copiée",
        "keys.list": "Clés",
        "keys.empty": "Aucune clé d'API pour l'instant.",
        "keys.prefix": "Préfixe",
        "keys.created": "Créée le",
        "keys.last_used": "Dernière utilisation",
        "keys.never": "jamais",
        "keys.state": "État",
        "keys.active": "Active",
        "keys.revoked": "Révoquée",
        "keys.revoke": "Révoquer",
        "keys.revoke_label": "Révoquer la clé {prefix}…",
        "keys.revoke_confirm": "Révoquer cette clé ? Les programmes qui l'utilisent "
        "cesseront de fonctionner.",
        "keys.revoked_notice": "La clé {prefix}… est révoquée.",
        "keys.scope_required": "Choisissez au moins un droit.",
        "keys.name_required": "Donnez un nom à la clé.",
        "scope.appointments:read": "Lire les rendez-vous",
        "scope.appointments:create": "Réserver des rendez-vous",
        "scope.appointments:cancel": "Annuler des rendez-vous",
        "scope.appointments:write": "Modifier des rendez-vous",
        "scope.departments:read": "Lire les services",
        "scope.workers:read": "Lire les agents et leurs horaires",
        "scope.clients:read": "Lire les clients et leurs patients",
        "scope.clients:write": "Créer, modifier et effacer clients et patients",
        "scope.credits:read": "Lire les crédits",
        "scope.admin": "Administration (tout)",
    },
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
