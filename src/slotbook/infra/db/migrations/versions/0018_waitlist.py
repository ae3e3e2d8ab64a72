"""The waitlist: entries, offers, each department's offer duration, and held times.

An open offer holds its time with an appointment row of status HELD. The overlap guard
(PostgreSQL's exclusion constraint, SQLite's triggers) is re-made here to count HELD rows as
it counts active appointments, so the guard that prevents double booking also keeps a held
time from being booked by anyone else (docs/waitlist.md).

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-08 00:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from slotbook.infra.db.overlap_guard import (
    EXCLUSION_CONSTRAINT,
    EXCLUSION_CONSTRAINT_SQL,
    create_sqlite_overlap_triggers,
    drop_sqlite_overlap_triggers,
)

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_WAITING = "status = 'WAITING'"
_ACTIVE_ENTRY = "status IN ('OFFERED', 'WAITING')"
_OPEN = "status = 'OPEN'"
# The guard as revision 0002 made it, for the downgrade.
_OLD_ACTIVE = "'CHECKED_IN', 'CONFIRMED', 'SCHEDULED'"
_OLD_EXCLUSION = (
    f"ALTER TABLE appointment ADD CONSTRAINT {EXCLUSION_CONSTRAINT} EXCLUDE USING gist ("
    "worker_id WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&, "
    f"session_key WITH <>) WHERE (status IN ({_OLD_ACTIVE}))"
)


def _instant(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _both(where: str) -> dict[str, Any]:
    return {"postgresql_where": sa.text(where), "sqlite_where": sa.text(where)}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column(
        "department",
        sa.Column("waitlist_offer_minutes", sa.Integer(), nullable=False, server_default="30"),
    )
    entry_keys: list[sa.ForeignKeyConstraint] = []
    if dialect == "postgresql":
        entry_keys.append(
            sa.ForeignKeyConstraint(
                ["organization_id", "department_id"],
                ["department.organization_id", "department.id"],
                name="fk_waitlist_entry_department_organization",
            )
        )
    op.create_table(
        "waitlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("appointment_type_id", sa.Integer()),
        sa.Column("worker_id", sa.Integer()),
        sa.Column("client_id", sa.Integer()),
        sa.Column("external_user_id", sa.String(255)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("earliest", sa.Date(), nullable=False),
        sa.Column("latest", sa.Date(), nullable=False),
        sa.Column("weekdays", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("times_of_day", sa.String(200), nullable=False, server_default=""),
        _instant("closes_at"),
        sa.Column("priority", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("appointment_id", sa.Integer()),
        _instant("joined_at"),
        _instant("updated_at"),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name="fk_waitlist_entry_organization_id_organization",
        ),
        *entry_keys,
        sa.PrimaryKeyConstraint("id", name="pk_waitlist_entry"),
    )
    op.create_index(
        "ix_waitlist_entry_queue",
        "waitlist_entry",
        ["organization_id", "department_id", sa.text("priority DESC"), "id"],
        **_both(_WAITING),
    )
    op.create_index(
        "ix_waitlist_entry_org_department",
        "waitlist_entry",
        ["organization_id", "department_id", "id"],
    )
    op.create_index("ix_waitlist_entry_closes", "waitlist_entry", ["closes_at"], **_both(_WAITING))
    for name, column in (("client", "client_id"), ("external_user", "external_user_id")):
        op.create_index(
            f"uq_waitlist_entry_active_{name}",
            "waitlist_entry",
            [
                "organization_id",
                "department_id",
                sa.text("coalesce(appointment_type_id, 0)"),
                column,
            ],
            unique=True,
            **_both(f"{_ACTIVE_ENTRY} AND {column} IS NOT NULL"),
        )
    op.create_table(
        "waitlist_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("appointment_type_id", sa.Integer()),
        _instant("starts_at"),
        _instant("ends_at"),
        _instant("blocked_from"),
        _instant("blocked_until"),
        _instant("expires_at"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("hold_id", sa.Integer()),
        _instant("created_at"),
        _instant("closed_at", nullable=True),
        _instant("notified_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name="fk_waitlist_offer_organization_id_organization",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_waitlist_offer"),
    )
    op.create_index("uq_waitlist_offer_token", "waitlist_offer", ["token"], unique=True)
    op.create_index(
        "ix_waitlist_offer_org_entry", "waitlist_offer", ["organization_id", "entry_id", "id"]
    )
    op.create_index(
        "uq_waitlist_offer_open_entry",
        "waitlist_offer",
        ["organization_id", "entry_id"],
        unique=True,
        **_both(_OPEN),
    )
    op.create_index(
        "ix_waitlist_offer_open_expires", "waitlist_offer", ["expires_at"], **_both(_OPEN)
    )
    op.create_index(
        "ix_waitlist_offer_open_worker",
        "waitlist_offer",
        ["organization_id", "worker_id", "blocked_from"],
        **_both(_OPEN),
    )
    op.create_index(
        "ix_waitlist_offer_unnotified",
        "waitlist_offer",
        ["created_at"],
        **_both("notified_at IS NULL"),
    )
    # The guard, now counting HELD rows too.
    if dialect == "postgresql":
        op.execute(f"ALTER TABLE appointment DROP CONSTRAINT {EXCLUSION_CONSTRAINT}")
        op.execute(EXCLUSION_CONSTRAINT_SQL)
    else:
        drop_sqlite_overlap_triggers()
        create_sqlite_overlap_triggers()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DELETE FROM appointment WHERE status = 'HELD'")
    if dialect == "postgresql":
        op.execute(f"ALTER TABLE appointment DROP CONSTRAINT {EXCLUSION_CONSTRAINT}")
        op.execute(_OLD_EXCLUSION)
    else:
        drop_sqlite_overlap_triggers()
        create_sqlite_overlap_triggers(_OLD_ACTIVE)
    op.drop_table("waitlist_offer")
    op.drop_table("waitlist_entry")
    # A plain column: dropped in place (SQLite 3.35+), never by rebuilding the department
    # table, whose copy-and-drop fails under foreign_keys=ON once other rows refer to it.
    op.drop_column("department", "waitlist_offer_minutes")
