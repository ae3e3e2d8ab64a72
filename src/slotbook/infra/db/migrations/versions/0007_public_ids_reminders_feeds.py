"""Public UUIDs, reminders, calendar feeds, the credits-low threshold and booking pages.

- every entity a client can name gets a stable public ``uuid`` beside its integer id (seed
  004's dialect speaks UUIDs; native responses show it too);
- departments choose their reminder offsets and whether their public booking page is on;
- workers and departments get a secret calendar-feed token (set when first asked for);
- appointments record whether the email and SMS reminders went out, which reminder offsets
  were handled (``appointment_reminder``), and a private cancel token for the link in emails
  and on the booking page's confirmation (set when first needed);
- organizations choose the balance under which ``credits.low`` is sent.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 13:00:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from slotbook.infra.db.overlap_guard import create_sqlite_overlap_triggers

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UUID_TABLES = (
    "organization",
    "department",
    "worker",
    "client",
    "patient",
    "appointment_type",
    "appointment",
)
TOKEN_TABLES = ("department", "worker")


def _add_uuid(table: str) -> None:
    bind = op.get_bind()
    op.add_column(table, sa.Column("uuid", sa.Uuid(), nullable=True))
    if bind.dialect.name == "postgresql":
        op.execute(f"UPDATE {table} SET uuid = gen_random_uuid()")
        op.alter_column(table, "uuid", nullable=False)
    else:
        # SQLite cannot make a column NOT NULL without rebuilding the table; every insert
        # path fills it (the column's Python-side default), so existing rows are the only gap.
        column = sa.table(table, sa.column("id", sa.Integer), sa.column("uuid", sa.Uuid()))
        ids = [row[0] for row in bind.execute(sa.select(column.c.id))]
        for row_id in ids:
            bind.execute(column.update().where(column.c.id == row_id).values(uuid=uuid.uuid4()))
    op.create_index(f"uq_{table}_uuid", table, ["uuid"], unique=True)


def upgrade() -> None:
    for table in UUID_TABLES:
        _add_uuid(table)
    for table in TOKEN_TABLES:
        op.add_column(table, sa.Column("calendar_token", sa.String(64), nullable=True))
        op.create_index(f"uq_{table}_calendar_token", table, ["calendar_token"], unique=True)

    op.add_column("organization", sa.Column("credits_low_threshold", sa.Integer(), nullable=True))
    # Minutes before the start, comma-separated ("1440" = 24 h); empty: no reminders.
    op.add_column(
        "department",
        sa.Column("reminder_offsets", sa.String(200), nullable=False, server_default="1440"),
    )
    op.add_column(
        "department",
        sa.Column("booking_page_enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column(
        "appointment",
        sa.Column("email_reminder_sent", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "appointment",
        sa.Column("sms_reminder_sent", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("appointment", sa.Column("cancel_token", sa.String(64), nullable=True))
    op.create_index("uq_appointment_cancel_token", "appointment", ["cancel_token"], unique=True)

    op.create_table(
        "appointment_reminder",
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("offset_minutes", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_appointment_reminder_appointment_id_appointment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "appointment_id", "offset_minutes", name=op.f("pk_appointment_reminder")
        ),
    )


def downgrade() -> None:
    op.drop_table("appointment_reminder")
    op.drop_index("uq_appointment_cancel_token", table_name="appointment")
    for table in TOKEN_TABLES:
        op.drop_index(f"uq_{table}_calendar_token", table_name=table)
    for table in UUID_TABLES:
        op.drop_index(f"uq_{table}_uuid", table_name=table)
    columns = {
        "organization": ["uuid", "credits_low_threshold"],
        "department": ["uuid", "calendar_token", "reminder_offsets", "booking_page_enabled"],
        "worker": ["uuid", "calendar_token"],
        "client": ["uuid"],
        "patient": ["uuid"],
        "appointment_type": ["uuid"],
        "appointment": ["uuid", "email_reminder_sent", "sms_reminder_sent", "cancel_token"],
    }
    for table, names in columns.items():
        with op.batch_alter_table(table) as batch_op:
            for name in names:
                batch_op.drop_column(name)
    if op.get_bind().dialect.name == "sqlite":
        # The batch rebuilt the appointment table, and its overlap triggers with it.
        create_sqlite_overlap_triggers()
