"""Listing indexes for urgent appointments, deep pages and "contains" text filters.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The text fields q[] accepts with `~` (domain/filters.py), as of this revision.
TRIGRAM_COLUMNS = ("name", "external_user_id", "notes", "reason", "source")
_NOT_ARCHIVED = sa.text("archived_at IS NULL")
_URGENT = "ix_appointment_org_worker_urgent_starts"
_WORKER = "ix_appointment_org_worker_starts"


def _trigram_index(column: str) -> str:
    return f"ix_appointment_{column}_trgm"


def _partial(name: str, columns: list[str]) -> None:
    op.create_index(
        name, "appointment", columns, postgresql_where=_NOT_ARCHIVED, sqlite_where=_NOT_ARCHIVED
    )


def upgrade() -> None:
    # Plain CREATE/DROP INDEX only: no table rebuild on SQLite, so revision 0002's overlap
    # triggers stay.
    _partial(_URGENT, ["organization_id", "worker_id", "is_urgent", "starts_at", "id"])
    # The list's order ends with id: with it in the index a deep page walks index entries only.
    op.drop_index(_WORKER, table_name="appointment")
    _partial(_WORKER, ["organization_id", "worker_id", "starts_at", "id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    # q[]=field:~text is ILIKE '%text%' on PostgreSQL: trigram GIN indexes serve it, with the
    # worker in the same index (btree_gin) so "this worker's ... containing" intersects inside
    # the index instead of AND-ing a bitmap of the worker's whole schedule.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for column in TRIGRAM_COLUMNS:
        op.create_index(
            _trigram_index(column),
            "appointment",
            ["worker_id", sa.text(f"{column} gin_trgm_ops")],
            postgresql_using="gin",
            postgresql_where=_NOT_ARCHIVED,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in TRIGRAM_COLUMNS:
            op.drop_index(_trigram_index(column), table_name="appointment")
        # The extensions stay: other objects of the database may use it.
    op.drop_index(_WORKER, table_name="appointment")
    _partial(_WORKER, ["organization_id", "worker_id", "starts_at"])
    op.drop_index(_URGENT, table_name="appointment")
