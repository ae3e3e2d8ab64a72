"""On PostgreSQL, the append-only logs no longer check their references with foreign keys.

The credit ledger, the appointment history and the outbox are written only by the
transaction of the change they record, with ids that transaction holds: its organization,
its authenticated API key, the appointment it just inserted or locked. Their rows are
never updated, and what they reference is never deleted (appointments are cancelled,
organizations stay, keys are revoked by a date). Yet each of their foreign keys cost every
booking a check, an SPI query with its own executor start and row lock: six of a booking's
eight checks, 5 to 7% of PostgreSQL's CPU per booking (benchmarks/booking_cpu.py --versus,
16 concurrent bookings, the keys added back in the second database: 1,447 against 1,555 µs
and 1,520 against 1,600 µs, where two identical databases differ by 1 to 1.4%;
docs/benchmarks.md).
tests/integration/test_log_references.py checks that every log row still names existing rows
after the flows that write them.

SQLite keeps them: rebuilding these tables there would also rebuild the history's
append-only triggers, for nothing to gain on a database that serialises its writers.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 08:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# (table, column, referenced table) of each dropped key, named as tables.py names them.
LOG_REFERENCES = (
    ("credit_ledger", "organization_id", "organization"),
    ("credit_ledger", "appointment_id", "appointment"),
    ("appointment_event", "organization_id", "organization"),
    ("appointment_event", "appointment_id", "appointment"),
    ("appointment_event", "api_key_id", "api_key"),
    ("outbox_event", "organization_id", "organization"),
)


def _name(table: str, column: str, referred: str) -> str:
    return f"fk_{table}_{column}_{referred}"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, referred in LOG_REFERENCES:
        op.drop_constraint(_name(table, column, referred), table, type_="foreignkey")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, referred in LOG_REFERENCES:
        op.create_foreign_key(_name(table, column, referred), table, referred, [column], ["id"])
