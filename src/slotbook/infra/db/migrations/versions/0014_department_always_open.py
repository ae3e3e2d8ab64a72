"""Departments say whether they are always open, instead of it following from missing hours.

Before this revision a department nobody gave hours to (neither its own nor its workers')
took any future time. That is now the explicit `always_open` setting, and a new department
starts with opening hours instead. The departments that had no hours at all get
`always_open = true` here, so they keep taking the times they took.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "department",
        sa.Column("always_open", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # No hours of its own, and none of its workers' that apply to it (for every department,
    # or for this one): the behaviour before this revision was "any time".
    op.execute(
        """
        UPDATE department SET always_open = true
        WHERE NOT EXISTS (
            SELECT 1 FROM working_hours h
            WHERE h.organization_id = department.organization_id
              AND h.worker_id IS NULL AND h.department_id = department.id)
          AND NOT EXISTS (
            SELECT 1 FROM working_hours h
            JOIN department_worker dw ON dw.worker_id = h.worker_id
            WHERE h.organization_id = department.organization_id
              AND dw.department_id = department.id
              AND (h.department_id IS NULL OR h.department_id = department.id))
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("department") as batch:
        batch.drop_column("always_open")
