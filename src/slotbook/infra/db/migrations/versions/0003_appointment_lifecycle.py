"""Appointment lifecycle: clients, patients, history, status details, series, listing indexes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from slotbook.infra.db.overlap_guard import create_sqlite_overlap_triggers

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The listing indexes of revision 0001 become partial ("not archived"), and new ones join them.
_OLD_INDEXES = {
    "ix_appointment_org_starts": ("starts_at", "id"),
    "ix_appointment_org_external_user": ("external_user_id",),
    "ix_appointment_org_department_starts": ("department_id", "starts_at"),
    "ix_appointment_org_status_starts": ("status", "starts_at"),
}
_LISTING_INDEXES = {
    "ix_appointment_org_starts": ("starts_at", "id"),
    "ix_appointment_org_external_user": ("external_user_id", "starts_at"),
    "ix_appointment_org_department_starts": ("department_id", "starts_at"),
    "ix_appointment_org_status_starts": ("status", "starts_at"),
    "ix_appointment_org_worker_starts": ("worker_id", "starts_at"),
    "ix_appointment_org_client_starts": ("client_id", "starts_at"),
    "ix_appointment_org_patient_starts": ("patient_id", "starts_at"),
    "ix_appointment_org_appointment_type_starts": ("appointment_type_id", "starts_at"),
    "ix_appointment_org_created": ("created_at", "id"),
}
_NOT_ARCHIVED = sa.text("archived_at IS NULL")

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER appointment_event_no_update BEFORE UPDATE ON appointment_event "
    "BEGIN SELECT RAISE(ABORT, 'appointment_event is append-only'); END",
    "CREATE TRIGGER appointment_event_no_delete BEFORE DELETE ON appointment_event "
    "BEGIN SELECT RAISE(ABORT, 'appointment_event is append-only'); END",
)
_POSTGRES_TRIGGERS = (
    "CREATE FUNCTION appointment_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'appointment_event is append-only'; END $$",
    "CREATE TRIGGER appointment_event_append_only BEFORE UPDATE OR DELETE ON appointment_event "
    "FOR EACH ROW EXECUTE FUNCTION appointment_event_append_only()",
)


_REFERENCES = {"client_id": "client", "patient_id": "patient", "repeated_from_id": "appointment"}


def _plain_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("is_urgent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.Column("from_web", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("telehealth_url", sa.String(length=2048), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancellation_reason", sa.Integer(), nullable=True),
        sa.Column("cancellation_note", sa.Text(), nullable=True),
    ]


def _add_reference(column: str, target: str) -> None:
    """A nullable foreign-key column on appointment, added in place on both databases."""
    if op.get_bind().dialect.name == "sqlite":
        # SQLite's ALTER TABLE accepts an inline REFERENCES clause for a NULL-default column.
        op.execute(f"ALTER TABLE appointment ADD COLUMN {column} INTEGER REFERENCES {target}(id)")
        return
    op.add_column("appointment", sa.Column(column, sa.Integer(), nullable=True))
    op.create_foreign_key(
        f"fk_appointment_{column}_{target}", "appointment", target, [column], ["id"]
    )


def upgrade() -> None:
    op.create_table(
        "client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("second_phone", sa.String(length=64), nullable=True),
        sa.Column("external_user_id", sa.String(length=255), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("no_show_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_client_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client")),
        sa.UniqueConstraint("organization_id", "email", name="uq_client_organization_email"),
    )
    op.create_index("ix_client_org_id", "client", ["organization_id", "id"])
    op.create_index(
        "ix_client_org_external_user", "client", ["organization_id", "external_user_id"]
    )

    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("species", sa.String(length=100), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_patient_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_patient_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
    )
    op.create_index("ix_patient_org_client", "patient", ["organization_id", "client_id", "id"])

    with op.batch_alter_table("department") as batch_op:
        batch_op.add_column(sa.Column("no_show_limit", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("no_show_window_days", sa.Integer(), server_default="90", nullable=False)
        )

    # Plain ADD COLUMNs: no table rebuild on SQLite, so existing rows and references stay, and
    # so do revision 0002's overlap triggers.
    for name, target in _REFERENCES.items():
        _add_reference(name, target)
    for column in _plain_columns():
        op.add_column("appointment", column)

    for name in _OLD_INDEXES:
        op.drop_index(name, table_name="appointment")
    for name, columns in _LISTING_INDEXES.items():
        op.create_index(
            name,
            "appointment",
            ["organization_id", *columns],
            postgresql_where=_NOT_ARCHIVED,
            sqlite_where=_NOT_ARCHIVED,
        )
    op.create_index(
        "ix_appointment_org_archived", "appointment", ["organization_id", "archived_at"]
    )
    op.create_index(
        "ix_appointment_repeated_from", "appointment", ["repeated_from_id", "starts_at"]
    )

    op.create_table(
        "appointment_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=16), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_key.id"], name=op.f("fk_appointment_event_api_key_id_api_key")
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_appointment_event_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_appointment_event_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_event")),
    )
    op.create_index(
        "ix_appointment_event_org_appointment",
        "appointment_event",
        ["organization_id", "appointment_id", "id"],
    )
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRES_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("appointment_event")  # drops its triggers with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION appointment_event_append_only()")
    op.drop_index("ix_appointment_repeated_from", table_name="appointment")
    op.drop_index("ix_appointment_org_archived", table_name="appointment")
    for name in _LISTING_INDEXES:
        op.drop_index(name, table_name="appointment")
    for name, columns in _OLD_INDEXES.items():
        op.create_index(name, "appointment", ["organization_id", *columns])
    with op.batch_alter_table("appointment") as batch_op:
        for column in [*_REFERENCES, *(c.name for c in _plain_columns())]:
            batch_op.drop_column(column)
    if op.get_bind().dialect.name == "sqlite":
        # Dropping columns rebuilt the table on SQLite, and its triggers went with it.
        create_sqlite_overlap_triggers()
    with op.batch_alter_table("department") as batch_op:
        batch_op.drop_column("no_show_window_days")
        batch_op.drop_column("no_show_limit")
    op.drop_index("ix_patient_org_client", table_name="patient")
    op.drop_table("patient")
    op.drop_index("ix_client_org_external_user", table_name="client")
    op.drop_index("ix_client_org_id", table_name="client")
    op.drop_table("client")
