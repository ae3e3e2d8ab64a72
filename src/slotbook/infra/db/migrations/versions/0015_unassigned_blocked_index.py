"""A department's active appointments without a worker, by blocked time.

The overlap read of a booking (infra/db/scheduling_statements.py) asks for the candidate
workers' appointments or the department's appointments without a worker whose blocked time
meets the new one. The first branch has the (worker_id, blocked_from) index; the second had no
index of its own, so PostgreSQL walked the whole exclusion-constraint index for it (300 to
600 ms on 1,000,000 appointments, docs/booking-query-plans.md). This partial index holds only
the rows that branch can return.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_UNASSIGNED_ACTIVE = "worker_id IS NULL AND status IN ('CHECKED_IN', 'CONFIRMED', 'SCHEDULED')"


def upgrade() -> None:
    op.create_index(
        "ix_appointment_unassigned_blocked",
        "appointment",
        ["department_id", "blocked_from"],
        postgresql_where=sa.text(_UNASSIGNED_ACTIVE),
        sqlite_where=sa.text(_UNASSIGNED_ACTIVE),
    )


def downgrade() -> None:
    op.drop_index("ix_appointment_unassigned_blocked", table_name="appointment")
