"""Indexes for the client rules of a booking: a client's active appointments.

Every booking reads the client's active appointments (the client rules, SAME_TIME_APPOINTMENT
always on) by externalUserId or client record. The existing indexes on those columns are
partial on "not archived" (for the lists), and an archived appointment still counts, so that
read scanned every appointment of the organization. These are partial on the active statuses
instead: small, and exactly what the read asks for.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from slotbook.domain.appointments import ACTIVE_STATUSES

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ACTIVE = sa.text("status IN (" + ", ".join(f"'{s.value}'" for s in sorted(ACTIVE_STATUSES)) + ")")
INDEXES = {
    "ix_appointment_active_external_user": ["organization_id", "external_user_id", "ends_at"],
    "ix_appointment_active_client": ["organization_id", "client_id", "ends_at"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(
            name, "appointment", columns, postgresql_where=_ACTIVE, sqlite_where=_ACTIVE
        )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="appointment")
