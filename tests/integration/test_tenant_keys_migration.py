"""Revision 0016 on a database with rows: the four child tables get their parent's
organization, the references hold each row inside its organization (PostgreSQL), and the
downgrade keeps every row."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError

from slotbook.infra.db.engine import make_sync_engine
from slotbook.infra.db.migrate import downgrade, upgrade

NOW = "2026-12-01 09:00:00"
CHILDREN = (
    "department_worker",
    "appointment_type_worker",
    "appointment_reminder",
    "webhook_attempt",
)


@pytest.fixture
def engine(empty_database: str) -> Iterator[Engine]:
    engine = make_sync_engine(empty_database)
    yield engine
    engine.dispose()


def _insert(conn: Connection, table: str, **values: object) -> int:
    columns = ", ".join(values)
    params = ", ".join(f":{c}" for c in values)
    row = conn.execute(
        text(f"INSERT INTO {table} ({columns}) VALUES ({params}) RETURNING id"), values
    ).one()
    return int(row.id)


def _organization(conn: Connection, name: str, hour: int) -> dict[str, int]:
    """One organization with a row in each of the four child tables and their parents."""
    org = _insert(
        conn, "organization", uuid=uuid4().hex, name=name, time_zone="UTC", created_at=NOW
    )
    common = {"organization_id": org, "created_at": NOW}
    department = _insert(conn, "department", uuid=uuid4().hex, name="D", **common)
    worker = _insert(conn, "worker", uuid=uuid4().hex, name="W", **common)
    conn.execute(
        text("INSERT INTO department_worker (department_id, worker_id) VALUES (:d, :w)"),
        {"d": department, "w": worker},
    )
    kind = _insert(
        conn, "appointment_type", uuid=uuid4().hex, name="T", duration_minutes=30, **common
    )
    conn.execute(
        text(
            "INSERT INTO appointment_type_worker (appointment_type_id, worker_id) VALUES (:t, :w)"
        ),
        {"t": kind, "w": worker},
    )
    starts, ends = f"2027-01-04 {hour:02}:00:00", f"2027-01-04 {hour:02}:30:00"
    appointment = _insert(
        conn,
        "appointment",
        uuid=uuid4().hex,
        department_id=department,
        worker_id=worker,
        name="A",
        starts_at=starts,
        ends_at=ends,
        blocked_from=starts,
        blocked_until=ends,
        status="CONFIRMED",
        qr_token=uuid4().hex,
        session_key=uuid4().hex,
        updated_at=NOW,
        **common,
    )
    conn.execute(
        text(
            "INSERT INTO appointment_reminder (appointment_id, offset_minutes, sent_at)"
            " VALUES (:a, 1440, :now)"
        ),
        {"a": appointment, "now": NOW},
    )
    endpoint = _insert(
        conn,
        "webhook_endpoint",
        url="https://example.org/hook",
        events="appointment.created",
        active=True,
        secret="whsec_x",
        updated_at=NOW,
        **common,
    )
    event = _insert(
        conn,
        "outbox_event",
        organization_id=org,
        position=1,
        public_id=uuid4().hex,
        type="appointment.created",
        data="{}",
        occurred_at=NOW,
    )
    delivery = _insert(
        conn, "webhook_delivery", endpoint_id=endpoint, event_id=event, status="PENDING", **common
    )
    conn.execute(
        text(
            "INSERT INTO webhook_attempt (delivery_id, attempted_at, latency_ms)"
            " VALUES (:d, :now, 3)"
        ),
        {"d": delivery, "now": NOW},
    )
    return {"org": org, "department": department, "worker": worker, "appointment": appointment}


def _organizations_of(conn: Connection, table: str) -> list[int]:
    return sorted(r[0] for r in conn.execute(text(f"SELECT organization_id FROM {table}")))


def test_children_take_their_parents_organization_and_keep_their_rows(
    empty_database: str, engine: Engine
) -> None:
    upgrade(empty_database, "0015")
    with engine.begin() as conn:
        first = _organization(conn, "First", 9)
        second = _organization(conn, "Second", 10)
    upgrade(empty_database)
    with engine.connect() as conn:
        for table in CHILDREN:
            assert _organizations_of(conn, table) == sorted([first["org"], second["org"]])
    downgrade(empty_database, "0015")
    with engine.connect() as conn:
        for table in CHILDREN:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 2


def test_references_stay_inside_the_organization(empty_database: str, engine: Engine) -> None:
    upgrade(empty_database)
    with engine.begin() as conn:
        first = _organization(conn, "First", 9)
        second = _organization(conn, "Second", 10)
    moves = [
        (
            "UPDATE appointment SET worker_id = :other WHERE id = :id",
            {"other": second["worker"], "id": first["appointment"]},
        ),
        (
            "INSERT INTO department_worker (organization_id, department_id, worker_id)"
            " VALUES (:org, :department, :other)",
            {"org": first["org"], "department": first["department"], "other": second["worker"]},
        ),
    ]
    for statement, params in moves:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                with pytest.raises(IntegrityError, match="_org"):
                    conn.execute(text(statement), params)
            else:
                # SQLite checks existence only (the rows exist): the repositories, each built
                # for one organization, are what keeps it inside there.
                conn.execute(text(statement), params)
            conn.rollback()
