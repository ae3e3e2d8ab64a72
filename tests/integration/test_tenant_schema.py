"""What the schema must keep so that it can be distributed by organization (docs/scaling.md):
every tenant table carries organization_id, and no foreign key or unique constraint crosses
organizations. Read from infra/db/tables.py's metadata, no database needed.

Revision 0016 closed the gaps the schema had: the exceptions left are listed below, each with
its reason, so this test fails on a *new* gap (a table, key or constraint added without
organization_id) and on a listed exception that is gone (the lists must shrink with the
schema).

SQLite-only keys and constraints are left out: SQLite is never distributed, and keeps its
references on id alone (infra/db/schema_base.tenant_reference).
"""

from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, Index, Table, UniqueConstraint

from slotbook.infra.db.tables import metadata

# The tenant itself: distributed by its own id.
ROOT = "organization"

# Tables whose organization_id may still be NULL: revision 0016 added it as the *expand* step
# of deploy.md's policy, so that a process of the previous release (which does not write it)
# keeps working during a rolling upgrade. The contract step (backfill again, then NOT NULL)
# is a later release's; until then their composite references check only the rows that
# carry it, which every writer of this release does.
NULLABLE_UNTIL_CONTRACT = {
    "appointment_reminder": "a reminder of one appointment",
    "appointment_type_worker": "which workers offer an appointment type",
    "department_worker": "which workers serve a department",
    "webhook_attempt": "one attempt of one webhook delivery",
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


def _tables() -> list[Table]:
    return [t for t in metadata.tables.values() if t.name != ROOT]


def _on_postgresql(constraint: ForeignKeyConstraint | UniqueConstraint | Index) -> bool:
    # The logs' references exist on SQLite only (infra/db/schema_base.log_references), as
    # do the id-only twins of the tenant references and webhook_delivery's old constraint.
    condition = getattr(constraint, "_ddl_if", None)
    return condition is None or condition.dialect in (None, "postgresql")


def _unique_column_sets(table: Table) -> set[tuple[str, ...]]:
    found = {
        tuple(c.name for c in u.columns)
        for u in table.constraints
        if isinstance(u, UniqueConstraint) and u.columns and _on_postgresql(u)
    }
    found |= {
        tuple(c.name for c in i.columns) for i in table.indexes if i.unique and _on_postgresql(i)
    }
    found |= {(c.name,) for c in table.columns if c.unique}
    return found


def test_every_tenant_table_carries_organization_id() -> None:
    assert {t.name for t in _tables() if "organization_id" not in t.columns} == set()


def test_organization_id_is_not_null_but_where_the_contract_step_is_pending() -> None:
    nullable = {t.name for t in _tables() if t.columns["organization_id"].nullable}
    assert nullable == set(NULLABLE_UNTIL_CONTRACT)


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
    assert id_only == set()


def test_a_composite_reference_pairs_the_organizations() -> None:
    """organization_id refers to the referred row's organization_id, not to some other
    column: otherwise the key would check nothing about the tenant."""
    for table in _tables():
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name == ROOT or not _on_postgresql(fk):
                continue
            pairs = {c.parent.name: c.column.name for c in fk.elements}
            assert pairs["organization_id"] == "organization_id", (table.name, pairs)
            assert sorted(pairs.values()) == ["id", "organization_id"], (table.name, pairs)


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
    assert without == set(GLOBAL_BY_DESIGN)
