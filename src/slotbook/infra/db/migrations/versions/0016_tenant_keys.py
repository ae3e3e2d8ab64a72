"""Every tenant table carries organization_id, and its references stay inside the organization.

What a database distributed by organization needs (docs/scaling.md, "What the schema must
keep"), checked on tables.py by tests/integration/test_tenant_schema.py:

- the four child tables that had no organization_id (department_worker,
  appointment_type_worker, appointment_reminder, webhook_attempt) get it, backfilled from
  their parent. This is the *expand* step of deploy.md's policy: the column is nullable, so a
  process of the previous release, which does not write it, keeps working during the roll;
  every writer of this release sets it. The contract step (a later release: backfill the
  rows written during the roll again, then NOT NULL) is listed in docs/scaling.md;
- on PostgreSQL each of the 22 references between tenant tables becomes
  (organization_id, x_id) -> (organization_id, id), as appointment's to its department is
  (revision 0010), with UNIQUE (organization_id, id) on the ten tables referred to;
- the two unique constraints scoped by a parent include organization_id: closure's
  (department_id, day), whose new unique index also replaces the index of a department's
  closures, and on PostgreSQL webhook_delivery's (endpoint_id, event_id).

SQLite keeps its references on id alone, and webhook_delivery's constraint: it is never
distributed, changing a key there rebuilds the table (the appointment's triggers and partial
indexes with it), and dropping webhook_delivery's old table under foreign_keys=ON would
cascade-delete every attempt.

On PostgreSQL every step commits on its own (an autocommit block), so that the migration can
run while the previous release serves: the unique indexes are built CONCURRENTLY, each key is
added NOT VALID (a short lock, no scan) and then validated (a scan that does not block
writes), and the old key is dropped last, so every reference stays checked throughout. If it
stops half-way, a rerun fails on what already exists: finish or undo those steps by hand
(the names are below) and run it again.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# (child table, its column to the parent, the parent): organization_id backfilled from there.
CHILDREN = (
    ("department_worker", "department_id", "department"),
    ("appointment_type_worker", "appointment_type_id", "appointment_type"),
    ("appointment_reminder", "appointment_id", "appointment"),
    ("webhook_attempt", "delivery_id", "webhook_delivery"),
)

# The tables referred to, which get UNIQUE (organization_id, id) (department has it: 0010).
REFERABLE = (
    "worker",
    "api_key",
    "client",
    "patient",
    "appointment",
    "appointment_type",
    "dashboard_user",
    "outbox_event",
    "webhook_endpoint",
    "webhook_delivery",
)

# (table, column, referred table, ON DELETE) of each reference made composite.
REFERENCES = (
    ("appointment", "appointment_type_id", "appointment_type", None),
    ("appointment", "client_id", "client", None),
    ("appointment", "created_by_key_id", "api_key", None),
    ("appointment", "patient_id", "patient", None),
    ("appointment", "repeated_from_id", "appointment", None),
    ("appointment", "worker_id", "worker", None),
    ("appointment_reminder", "appointment_id", "appointment", "CASCADE"),
    ("appointment_type", "department_id", "department", None),
    ("appointment_type_worker", "appointment_type_id", "appointment_type", None),
    ("appointment_type_worker", "worker_id", "worker", None),
    ("closure", "department_id", "department", None),
    ("dashboard_session", "user_id", "dashboard_user", "CASCADE"),
    ("department_worker", "department_id", "department", None),
    ("department_worker", "worker_id", "worker", None),
    ("patient", "client_id", "client", None),
    ("schedule_exception", "department_id", "department", None),
    ("schedule_exception", "worker_id", "worker", None),
    ("webhook_attempt", "delivery_id", "webhook_delivery", "CASCADE"),
    ("webhook_delivery", "endpoint_id", "webhook_endpoint", "CASCADE"),
    ("webhook_delivery", "event_id", "outbox_event", None),
    ("working_hours", "department_id", "department", None),
    ("working_hours", "worker_id", "worker", None),
)

# (table, old name, old columns, new name, new columns) of the unique constraints replaced.
CLOSURE_UNIQUE = (
    "closure",
    "uq_closure_department_day",
    "department_id, day",
    "uq_closure_org_department_day",
    "organization_id, department_id, day",
)
DELIVERY_UNIQUE = (
    "webhook_delivery",
    "uq_webhook_delivery_endpoint_event",
    "endpoint_id, event_id",
    "uq_webhook_delivery_org_endpoint_event",
    "organization_id, endpoint_id, event_id",
)
CLOSURE_INDEX = "ix_closure_org_department_day"


def _old_key(table: str, column: str, referred: str) -> str:
    return f"fk_{table}_{column}_{referred}"


def _new_key(table: str, column: str) -> str:
    return f"fk_{table}_{column}_org"


def _backfill(table: str, column: str, parent: str) -> None:
    op.execute(
        f"UPDATE {table} SET organization_id = (SELECT p.organization_id FROM {parent} p"
        f" WHERE p.id = {table}.{column}) WHERE organization_id IS NULL"
    )


def _pg_unique(table: str, name: str, columns: str) -> None:
    """A unique constraint built without blocking writes: the index concurrently, then the
    constraint over it."""
    op.execute(f"CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table} ({columns})")
    op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}")


def _pg_key(
    name: str, table: str, columns: str, referred: str, referred_columns: str, ondelete: str | None
) -> None:
    action = f" ON DELETE {ondelete}" if ondelete else ""
    op.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns})"
        f" REFERENCES {referred} ({referred_columns}){action} NOT VALID"
    )
    op.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            _upgrade_postgresql()
        return
    for table, column, parent in CHILDREN:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        _backfill(table, column, parent)
    table, old, _, new, columns = CLOSURE_UNIQUE
    op.drop_index(CLOSURE_INDEX, table_name=table)
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(old, type_="unique")
        batch.create_unique_constraint(new, [c.strip() for c in columns.split(",")])


def _upgrade_postgresql() -> None:
    for table, column, parent in CHILDREN:
        op.execute(f"ALTER TABLE {table} ADD COLUMN organization_id integer")
        _backfill(table, column, parent)
    for table in REFERABLE:
        _pg_unique(table, f"uq_{table}_organization_id_id", "organization_id, id")
    for table, old, _, new, columns in (CLOSURE_UNIQUE, DELIVERY_UNIQUE):
        _pg_unique(table, new, columns)
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {old}")
    op.execute(f"DROP INDEX {CLOSURE_INDEX}")
    for table, column, referred, ondelete in REFERENCES:
        _pg_key(
            _new_key(table, column),
            table,
            f"organization_id, {column}",
            referred,
            "organization_id, id",
            ondelete,
        )
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_old_key(table, column, referred)}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            _downgrade_postgresql()
        return
    table, old, old_columns, new, _ = CLOSURE_UNIQUE
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(new, type_="unique")
        batch.create_unique_constraint(old, [c.strip() for c in old_columns.split(",")])
    op.create_index(CLOSURE_INDEX, table, ["organization_id", "department_id", "day"])
    for table, _, _ in CHILDREN:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("organization_id")


def _downgrade_postgresql() -> None:
    for table, column, referred, ondelete in REFERENCES:
        _pg_key(_old_key(table, column, referred), table, column, referred, "id", ondelete)
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_new_key(table, column)}")
    op.execute(
        f"CREATE INDEX CONCURRENTLY {CLOSURE_INDEX}"
        " ON closure (organization_id, department_id, day)"
    )
    for table, old, old_columns, new, _ in (CLOSURE_UNIQUE, DELIVERY_UNIQUE):
        _pg_unique(table, old, old_columns)
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {new}")
    for table in REFERABLE:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT uq_{table}_organization_id_id")
    for table, _, _ in CHILDREN:
        op.execute(f"ALTER TABLE {table} DROP COLUMN organization_id")
