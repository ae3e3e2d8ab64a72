"""Revision 0006 on both databases: the listing indexes come and go, the overlap guard stays."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from slotbook.infra.db.engine import make_sync_engine
from slotbook.infra.db.migrate import downgrade, upgrade
from slotbook.infra.db.overlap_guard import SQLITE_TRIGGERS
from slotbook.infra.db.tables import TRIGRAM_COLUMNS
from tests.conftest import _postgres_base_url, create_postgres_database, drop_postgres_database

_URGENT = "ix_appointment_org_worker_urgent_starts"
_TRIGRAM = {f"ix_appointment_{column}_trgm" for column in TRIGRAM_COLUMNS}


def _indexes(url: str) -> dict[str, list[str | None]]:
    engine = make_sync_engine(url)
    try:
        return {
            str(index["name"]): list(index["column_names"])
            for index in sa.inspect(engine).get_indexes("appointment")
        }
    finally:
        engine.dispose()


def _sqlite_triggers(url: str) -> set[str]:
    engine = make_sync_engine(url)
    try:
        with engine.connect() as conn:
            query = sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return set(conn.execute(query).scalars())
    finally:
        engine.dispose()


def _round_trip(url: str, trigram: bool) -> None:
    upgrade(url)
    indexes = _indexes(url)
    assert indexes[_URGENT] == ["organization_id", "worker_id", "is_urgent", "starts_at", "id"]
    assert indexes["ix_appointment_org_worker_starts"][-1] == "id"
    assert (set(indexes) >= _TRIGRAM) is trigram
    downgrade(url, "0005")
    indexes = _indexes(url)
    assert _URGENT not in indexes
    assert not _TRIGRAM & set(indexes)
    assert indexes["ix_appointment_org_worker_starts"][-1] == "starts_at"
    upgrade(url)
    assert _URGENT in _indexes(url)


def test_revision_0006_round_trip_on_sqlite_keeps_the_overlap_triggers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'trip.db'}"
    _round_trip(url, trigram=False)
    assert set(SQLITE_TRIGGERS) <= _sqlite_triggers(url)


def test_revision_0006_round_trip_on_postgresql() -> None:
    base = _postgres_base_url()
    if base is None:
        pytest.skip("PostgreSQL tests need SLOTBOOK_TEST_DATABASE_URL")
    url = create_postgres_database(base)
    try:
        _round_trip(url, trigram=True)
    finally:
        drop_postgres_database(base, url)
