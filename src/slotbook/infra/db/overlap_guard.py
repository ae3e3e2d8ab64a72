"""The database's own guard against double booking, and how its refusals are recognised.

PostgreSQL: an exclusion constraint on (worker, blocked time range) for active appointments.
SQLite: BEFORE INSERT/UPDATE triggers that abort on the same overlap. Members of one group
session share a session_key and may overlap each other (their count is enforced under a lock).
A waitlist offer's hold is a row of status HELD, guarded like an active appointment
(revision 0018, docs/waitlist.md).
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.exc import DBAPIError

from slotbook.domain.appointments import ACTIVE_STATUSES
from slotbook.domain.errors import DomainError, RetryableConflict
from slotbook.domain.rules import slot_unavailable
from slotbook.domain.waitlist import HELD_STATUS

# The statuses whose rows occupy their worker's time.
_ACTIVE = ", ".join(f"'{s}'" for s in sorted([*(s.value for s in ACTIVE_STATUSES), HELD_STATUS]))

EXCLUSION_CONSTRAINT = "ex_appointment_worker_overlap"
SQLITE_ABORT_MESSAGE = "appointment_overlap"

EXCLUSION_CONSTRAINT_SQL = (
    f"ALTER TABLE appointment ADD CONSTRAINT {EXCLUSION_CONSTRAINT} EXCLUDE USING gist ("
    "worker_id WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&, "
    f"session_key WITH <>) WHERE (status IN ({_ACTIVE}))"
)


# UTCDateTime stores one fixed text format on SQLite, so comparing the text compares instants.
def _sqlite_conflict(active: str) -> str:
    return f"""
    SELECT RAISE(ABORT, '{SQLITE_ABORT_MESSAGE}') WHERE EXISTS (
        SELECT 1 FROM appointment AS a
        WHERE a.worker_id = NEW.worker_id
          AND a.status IN ({active})
          AND a.blocked_from < NEW.blocked_until
          AND a.blocked_until > NEW.blocked_from
          AND a.session_key <> NEW.session_key
          AND a.id IS NOT NEW.id
    );
"""


def _sqlite_triggers(active: str) -> dict[str, str]:
    return {
        "appointment_overlap_guard_insert": (
            "BEFORE INSERT ON appointment "
            f"WHEN NEW.worker_id IS NOT NULL AND NEW.status IN ({active})"
        ),
        "appointment_overlap_guard_update": (
            "BEFORE UPDATE OF worker_id, blocked_from, blocked_until, status, session_key "
            f"ON appointment WHEN NEW.worker_id IS NOT NULL AND NEW.status IN ({active})"
        ),
    }


SQLITE_TRIGGERS = _sqlite_triggers(_ACTIVE)


def create_sqlite_overlap_triggers(active: str = _ACTIVE) -> None:
    """The triggers, guarding rows of the `active` statuses (a revision's own list)."""
    conflict = _sqlite_conflict(active)
    for name, when in _sqlite_triggers(active).items():
        op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {conflict} END")


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
