"""On PostgreSQL, an appointment's organization is held by one key to its department.

An appointment had a foreign key to its organization and another to its department. Checking
the first takes a KEY SHARE lock on the organization's row, and every booking also updates
that row (the debit): while one booking's update waits for its commit, the next booking's
check must share the row with it through a multixact, which PostgreSQL creates and extends
for every booking. One key (organization_id, department_id) to the department's
(organization_id, id) checks both columns against a row no booking updates, and also holds
the appointment to its department's organization. The booking's statements replayed with
pgbench (8 clients): 582 to 621 bookings/s before, 800 after (docs/benchmarks.md).

SQLite serialises writers and keeps its two keys: rebuilding the appointment table there
would also rebuild its triggers and partial indexes, for nothing to gain.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 03:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UNIQUE = "uq_department_organization_id_id"
KEY = "fk_appointment_department_organization"
ORGANIZATION_KEY = "fk_appointment_organization_id_organization"
DEPARTMENT_KEY = "fk_appointment_department_id_department"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_unique_constraint(UNIQUE, "department", ["organization_id", "id"])
    op.create_foreign_key(
        KEY,
        "appointment",
        "department",
        ["organization_id", "department_id"],
        ["organization_id", "id"],
    )
    op.drop_constraint(ORGANIZATION_KEY, "appointment", type_="foreignkey")
    op.drop_constraint(DEPARTMENT_KEY, "appointment", type_="foreignkey")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_foreign_key(DEPARTMENT_KEY, "appointment", "department", ["department_id"], ["id"])
    op.create_foreign_key(
        ORGANIZATION_KEY, "appointment", "organization", ["organization_id"], ["id"]
    )
    op.drop_constraint(KEY, "appointment", type_="foreignkey")
    op.drop_constraint(UNIQUE, "department", type_="unique")
