"""Each organization counts the changes of its agenda, so every process can cache it.

A department's agenda (the department, its weekly hours, exceptions, closures, workers and
appointment types) is read by every booking and every free-slot search, and changes rarely.
Each process keeps it in memory (application/agenda.py) together with the value of this
counter it was read at; every write of the agenda adds one to the counter in its own
transaction (infra/db/agenda_version.py), and a unit of work that reads the agenda reads the
counter first (one row by primary key): a different value drops that organization's cached
agenda, in whichever process reads it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "organization",
        sa.Column("agenda_version", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.drop_column("agenda_version")
