"""How pg_direct turns a statement written for psycopg into PREPARE and EXECUTE texts."""

from __future__ import annotations

from slotbook.infra.db.pg_direct import prepared


def test_positional_placeholders_are_numbered_in_order() -> None:
    statement = prepared("SELECT a FROM t WHERE b = %s AND c = %s", "s1")
    assert statement.prepare == "PREPARE s1 AS SELECT a FROM t WHERE b = $1 AND c = $2"
    assert statement.execute == "EXECUTE s1(%s, %s)"


def test_a_named_placeholder_is_one_parameter_wherever_it_appears() -> None:
    statement = prepared("SELECT %(org)s, %(at)s::timestamptz WHERE id = %(org)s", "s2")
    assert statement.prepare == "PREPARE s2 AS SELECT $1, $2::timestamptz WHERE id = $1"
    assert statement.execute == "EXECUTE s2(%(org)s, %(at)s)"


def test_a_doubled_percent_is_a_literal_one() -> None:
    statement = prepared("SELECT format('%%s', x) FROM t WHERE id = %(id)s", "s3")
    assert statement.prepare == "PREPARE s3 AS SELECT format('%s', x) FROM t WHERE id = $1"
    assert statement.execute == "EXECUTE s3(%(id)s)"


def test_a_statement_without_parameters() -> None:
    statement = prepared("SELECT nextval('appointment_id_seq')", "s4")
    assert statement.execute == "EXECUTE s4"
