"""The database's own guard against double booking, and how its refusals are recognised.

PostgreSQL: an exclusion constraint on (worker, blocked time range) for active appointments.
SQLite: BEFORE INSERT/UPDATE triggers that abort on the same overlap. Members of one group
session share a session_key and may overlap each other (their count is enforced under a lock).
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.exc import DBAPIError

from slotbook.domain.appointments import ACTIVE_STATUSES
from slotbook.domain.errors import DomainError, RetryableConflict
from slotbook.domain.rules import slot_unavailable

_ACTIVE = ", ".join(f"'{s.value}'" for s in sorted(ACTIVE_STATUSES))

EXCLUSION_CONSTRAINT = "ex_appointment_worker_overlap"
SQLITE_ABORT_MESSAGE = "appointment_overlap"

EXCLUSION_CONSTRAINT_SQL = (
    f"ALTER TABLE appointment ADD CONSTRAINT {EXCLUSION_CONSTRAINT} EXCLUDE USING gist ("
    "worker_id WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&, "
    f"session_key WITH <>) WHERE (status IN ({_ACTIVE}))"
)

# UTCDateTime stores one fixed text format on SQLite, so comparing the text compares instants.
_SQLITE_CONFLICT = f"""
    SELECT RAISE(ABORT, '{SQLITE_ABORT_MESSAGE}') WHERE EXISTS (
        SELECT 1 FROM appointment AS a
        WHERE a.worker_id = NEW.worker_id
          AND a.status IN ({_ACTIVE})
          AND a.blocked_from < NEW.blocked_until
          AND a.blocked_until > NEW.blocked_from
          AND a.session_key <> NEW.session_key
          AND a.id IS NOT NEW.id
    );
"""

SQLITE_TRIGGERS = {
    "appointment_overlap_guard_insert": (
        f"BEFORE INSERT ON appointment WHEN NEW.worker_id IS NOT NULL AND NEW.status IN ({_ACTIVE})"
    ),
    "appointment_overlap_guard_update": (
        "BEFORE UPDATE OF worker_id, blocked_from, blocked_until, status, session_key "
        f"ON appointment WHEN NEW.worker_id IS NOT NULL AND NEW.status IN ({_ACTIVE})"
    ),
}


def create_sqlite_overlap_triggers() -> None:
    for name, when in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {_SQLITE_CONFLICT} END")


def drop_sqlite_overlap_triggers() -> None:
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _driver_error(error: BaseException) -> BaseException | None:
    # Through SQLAlchemy the driver's error is wrapped.
    return error.orig if isinstance(error, DBAPIError) else None


def refusal(error: BaseException) -> DomainError | None:
    """The domain error a database error stands for, if it is one we expect.

    An overlap the guard caught is the same 409 SLOT_UNAVAILABLE the application gives; a
    serialization failure or deadlock is worth running the use case again.
    """
    original = _driver_error(error)
    if original is None:
        return None
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate == "23P01" or SQLITE_ABORT_MESSAGE in str(original):
        return slot_unavailable(
            "This time slot is not available anymore (taken by a concurrent booking)"
        ).error()
    if sqlstate in ("40001", "40P01"):
        return RetryableConflict("The booking collided with a concurrent one; please retry")
    return None
