"""What the schema must keep so that it can be distributed by organization (docs/scaling.md):
every tenant table carries organization_id, and no foreign key or unique constraint crosses
organizations. Read from infra/db/tables.py's metadata, no database needed.

Today's schema does not meet the rule everywhere. Each gap is listed below with its reason, so
that this test fails on a *new* one (a table, key or constraint added without
organization_id) and on a listed one that is gone (the list must shrink with the schema).
"""

from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, Table, UniqueConstraint

from slotbook.infra.db.tables import metadata

# The tenant itself: distributed by its own id.
ROOT = "organization"

# Tables without organization_id. Each is a child of a tenant table and reached only through
# it; before distribution each needs the column (an expand migration and a backfill from the
# parent) so that it can be co-located with its parent.
WITHOUT_ORGANIZATION = {
    "appointment_reminder": "a reminder of one appointment",
    "appointment_type_worker": "which workers offer an appointment type",
    "department_worker": "which workers serve a department",
    "webhook_attempt": "one attempt of one webhook delivery",
}

# Foreign keys between tenant tables on the referred row's id alone. The repositories make
# them point inside the organization (each is built for one organization), but the database
# does not check it, and a distributed database needs organization_id in the key. Each is to
# become (organization_id, x_id) -> (organization_id, id), as appointment's reference to its
# department already is (revision 0010).
ID_ONLY_FOREIGN_KEYS = {
    ("appointment", ("appointment_type_id",), "appointment_type"),
    ("appointment", ("client_id",), "client"),
    ("appointment", ("created_by_key_id",), "api_key"),
    ("appointment", ("patient_id",), "patient"),
    ("appointment", ("repeated_from_id",), "appointment"),
    ("appointment", ("worker_id",), "worker"),
    ("appointment_reminder", ("appointment_id",), "appointment"),
    ("appointment_type", ("department_id",), "department"),
    ("appointment_type_worker", ("appointment_type_id",), "appointment_type"),
    ("appointment_type_worker", ("worker_id",), "worker"),
    ("closure", ("department_id",), "department"),
    ("dashboard_session", ("user_id",), "dashboard_user"),
    ("department_worker", ("department_id",), "department"),
    ("department_worker", ("worker_id",), "worker"),
    ("patient", ("client_id",), "client"),
    ("schedule_exception", ("department_id",), "department"),
    ("schedule_exception", ("worker_id",), "worker"),
    ("webhook_attempt", ("delivery_id",), "webhook_delivery"),
    ("webhook_delivery", ("endpoint_id",), "webhook_endpoint"),
    ("webhook_delivery", ("event_id",), "outbox_event"),
    ("working_hours", ("department_id",), "department"),
    ("working_hours", ("worker_id",), "worker"),
}

# Unique without organization_id, globally unique by design: random tokens, their hashes and
# public ids, looked up before the organization is known. Collisions across organizations
# are impossible in practice (128 bits or more of randomness), so distribution may keep them
# as lookups on a reference table or a hash-distributed index.
GLOBAL_BY_DESIGN = {
    ("api_key", ("key_hash",)): "an API key is looked up by its hash alone",
    ("appointment", ("qr_token",)): "the QR code's random token",
    ("appointment", ("cancel_token",)): "the cancellation link's random token",
    ("dashboard_session", ("token_hash",)): "a session cookie's hash",
    ("department", ("calendar_token",)): "a calendar feed's random token",
    ("worker", ("calendar_token",)): "a calendar feed's random token",
    ("outbox_event", ("public_id",)): "an event's random public id (webhook-id)",
    ("waitlist_offer", ("token",)): "a waitlist offer's private accept link token",
    # Not random, but global on purpose: the login form asks for an e-mail only, so one
    # e-mail identifies one account (and its organization).
    ("dashboard_user", ("email",)): "a login e-mail names one account across organizations",
}

# Unique within a tenant-scoped parent, without organization_id: unique per organization in
# fact, but a distributed database needs the distribution column in every unique constraint.
SCOPED_BY_PARENT = {
    ("closure", ("department_id", "day")): "one closure a day per department",
    ("webhook_delivery", ("endpoint_id", "event_id")): "one delivery per endpoint and event",
}


def _tables() -> list[Table]:
    return [t for t in metadata.tables.values() if t.name != ROOT]


def _on_postgresql(constraint: ForeignKeyConstraint) -> bool:
    # The logs' references exist on SQLite only (infra/db/schema_base.log_references).
    condition = getattr(constraint, "_ddl_if", None)
    return condition is None or condition.dialect in (None, "postgresql")


def _unique_column_sets(table: Table) -> set[tuple[str, ...]]:
    found = {
        tuple(c.name for c in u.columns)
        for u in table.constraints
        if isinstance(u, UniqueConstraint) and u.columns
    }
    found |= {tuple(c.name for c in i.columns) for i in table.indexes if i.unique}
    found |= {(c.name,) for c in table.columns if c.unique}
    return found


def test_every_tenant_table_carries_organization_id() -> None:
    missing = {t.name for t in _tables() if "organization_id" not in t.columns}
    assert missing == set(WITHOUT_ORGANIZATION)


def test_tenant_foreign_keys_include_organization_id() -> None:
    id_only = set()
    for table in _tables():
        for fk in table.foreign_key_constraints:
            referred = fk.referred_table.name
            columns = tuple(c.parent.name for c in fk.elements)
            if referred == ROOT or not _on_postgresql(fk):
                continue
            if "organization_id" not in columns:
                id_only.add((table.name, columns, referred))
    assert id_only == ID_ONLY_FOREIGN_KEYS


def test_the_composite_reference_keeps_an_appointment_in_its_department_organization() -> None:
    """The one reference already checked by the database: an appointment's department is of
    the appointment's organization."""
    appointment = metadata.tables["appointment"]
    composite = [
        fk
        for fk in appointment.foreign_key_constraints
        if [c.parent.name for c in fk.elements] == ["organization_id", "department_id"]
    ]
    assert [[c.target_fullname for c in fk.elements] for fk in composite] == [
        ["department.organization_id", "department.id"]
    ]


def test_tenant_unique_constraints_include_organization_id() -> None:
    without = set()
    for table in _tables():
        for columns in _unique_column_sets(table):
            if "organization_id" not in columns and columns != ("id",):
                without.add((table.name, columns))
    assert without == set(GLOBAL_BY_DESIGN) | set(SCOPED_BY_PARENT)
