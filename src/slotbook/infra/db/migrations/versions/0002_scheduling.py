"""Scheduling: working hours, exceptions, closures, appointment types, and the overlap guard.

Existing appointments get an end 30 minutes after their start (the default slot interval).
On PostgreSQL an exclusion constraint (btree_gist) forbids two active appointments of one
worker whose blocked times overlap; on SQLite two triggers do the same.

NOTE for later revisions: on SQLite, a batch operation that rebuilds the `appointment` table
drops its triggers; call `create_sqlite_overlap_triggers()` again after such a rebuild (the
integration test tests/integration/test_overlap_guard.py fails otherwise).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from slotbook.infra.db.overlap_guard import (
    EXCLUSION_CONSTRAINT_SQL,
    create_sqlite_overlap_triggers,
    drop_sqlite_overlap_triggers,
)
from slotbook.infra.db.tables import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LEGACY_DURATION = timedelta(minutes=30)


def _backfill_appointments() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "UPDATE appointment SET ends_at = starts_at + interval '30 minutes', "
            "blocked_from = starts_at, blocked_until = starts_at + interval '30 minutes', "
            "session_key = qr_token"
        )
        return
    rows = sa.table(
        "appointment",
        sa.column("id", sa.Integer),
        sa.column("starts_at", UTCDateTime),
        sa.column("ends_at", UTCDateTime),
        sa.column("blocked_from", UTCDateTime),
        sa.column("blocked_until", UTCDateTime),
        sa.column("qr_token", sa.String),
        sa.column("session_key", sa.String),
    )
    for row in bind.execute(sa.select(rows.c.id, rows.c.starts_at, rows.c.qr_token)).all():
        end = row.starts_at + LEGACY_DURATION
        bind.execute(
            sa.update(rows)
            .where(rows.c.id == row.id)
            .values(
                ends_at=end, blocked_from=row.starts_at, blocked_until=end, session_key=row.qr_token
            )
        )


def upgrade() -> None:
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("slot_interval_minutes", sa.Integer(), server_default="30", nullable=False)
        )
        batch_op.add_column(
            sa.Column("slot_capacity", sa.Integer(), server_default="1", nullable=False)
        )
        for name in (
            "max_upcoming_per_client",
            "min_minutes_between_client_appointments",
            "max_advance_days",
            "min_notice_minutes",
            "min_cancel_notice_minutes",
        ):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))

    op.create_table(
        "appointment_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("buffer_before_minutes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("buffer_after_minutes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "duration_minutes > 0", name=op.f("ck_appointment_type_duration_positive")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_appointment_type_department_id_department"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_appointment_type_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_type")),
    )
    with op.batch_alter_table("appointment_type", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointment_type_organization_id"), ["organization_id"], unique=False
        )
    op.create_table(
        "appointment_type_worker",
        sa.Column("appointment_type_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_type_id"],
            ["appointment_type.id"],
            name=op.f("fk_appointment_type_worker_appointment_type_id_appointment_type"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_appointment_type_worker_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint(
            "appointment_type_id", "worker_id", name=op.f("pk_appointment_type_worker")
        ),
    )
    op.create_table(
        "working_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "worker_id IS NOT NULL OR department_id IS NOT NULL",
            name=op.f("ck_working_hours_has_owner"),
        ),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_working_hours_weekday_range")),
        sa.CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440",
            name=op.f("ck_working_hours_minutes_range"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_working_hours_department_id_department"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_working_hours_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_working_hours_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_hours")),
    )
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.create_index(
            "ix_working_hours_org_worker", ["organization_id", "worker_id"], unique=False
        )
        batch_op.create_index(
            "ix_working_hours_org_department", ["organization_id", "department_id"], unique=False
        )
    op.create_table(
        "schedule_exception",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "worker_id IS NOT NULL OR department_id IS NOT NULL",
            name=op.f("ck_schedule_exception_has_owner"),
        ),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_schedule_exception_ends_after_starts")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_schedule_exception_department_id_department"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_schedule_exception_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_schedule_exception_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_exception")),
    )
    with op.batch_alter_table("schedule_exception", schema=None) as batch_op:
        batch_op.create_index(
            "ix_schedule_exception_org_worker",
            ["organization_id", "worker_id", "starts_at"],
            unique=False,
        )
    op.create_table(
        "closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_closure_department_id_department")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_closure_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closure")),
        sa.UniqueConstraint("department_id", "day", name="uq_closure_department_day"),
    )
    with op.batch_alter_table("closure", schema=None) as batch_op:
        batch_op.create_index(
            "ix_closure_org_department_day",
            ["organization_id", "department_id", "day"],
            unique=False,
        )

    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("appointment_type_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("blocked_from", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("session_key", sa.String(length=64), nullable=True))
    _backfill_appointments()
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        for name in ("ends_at", "blocked_from", "blocked_until"):
            batch_op.alter_column(name, existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("session_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_appointment_appointment_type_id_appointment_type"),
            "appointment_type",
            ["appointment_type_id"],
            ["id"],
        )
        batch_op.create_index(
            "ix_appointment_worker_blocked", ["worker_id", "blocked_from"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(EXCLUSION_CONSTRAINT_SQL)
    else:
        create_sqlite_overlap_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE appointment DROP CONSTRAINT ex_appointment_worker_overlap")
    else:
        drop_sqlite_overlap_triggers()
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_worker_blocked")
        batch_op.drop_constraint(
            batch_op.f("fk_appointment_appointment_type_id_appointment_type"), type_="foreignkey"
        )
        for name in ("session_key", "blocked_until", "blocked_from", "appointment_type_id"):
            batch_op.drop_column(name)
        batch_op.drop_column("ends_at")
    with op.batch_alter_table("closure", schema=None) as batch_op:
        batch_op.drop_index("ix_closure_org_department_day")
    op.drop_table("closure")
    with op.batch_alter_table("schedule_exception", schema=None) as batch_op:
        batch_op.drop_index("ix_schedule_exception_org_worker")
    op.drop_table("schedule_exception")
    with op.batch_alter_table("working_hours", schema=None) as batch_op:
        batch_op.drop_index("ix_working_hours_org_department")
        batch_op.drop_index("ix_working_hours_org_worker")
    op.drop_table("working_hours")
    op.drop_table("appointment_type_worker")
    with op.batch_alter_table("appointment_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_type_organization_id"))
    op.drop_table("appointment_type")
    with op.batch_alter_table("department", schema=None) as batch_op:
        for name in (
            "min_cancel_notice_minutes",
            "min_notice_minutes",
            "max_advance_days",
            "min_minutes_between_client_appointments",
            "max_upcoming_per_client",
            "slot_capacity",
            "slot_interval_minutes",
        ):
            batch_op.drop_column(name)
