"""The public booking page's branding and directions: an organization's logo (a small PNG,
JPEG or WebP image stored in the database, served by the app itself) and accent color; a
department's address and directions for visitors.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-07 23:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.add_column(sa.Column("accent_color", sa.String(7)))
        batch.add_column(sa.Column("logo", sa.LargeBinary()))
        batch.add_column(sa.Column("logo_type", sa.String(32)))
    with op.batch_alter_table("department") as batch:
        batch.add_column(sa.Column("address", sa.Text()))
        batch.add_column(sa.Column("directions", sa.Text()))


def downgrade() -> None:
    # Plain columns: dropped in place (SQLite 3.35+), never by rebuilding the tables, whose
    # copy-and-drop fails under foreign_keys=ON once other rows refer to them.
    for table, column in (
        ("department", "directions"),
        ("department", "address"),
        ("organization", "logo_type"),
        ("organization", "logo"),
        ("organization", "accent_color"),
    ):
        op.drop_column(table, column)
