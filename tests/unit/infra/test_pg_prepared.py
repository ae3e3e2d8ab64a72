"""How pg_direct turns a statement written for psycopg into PREPARE and EXECUTE texts."""

from __future__ import annotations

import pytest

from slotbook.infra.db.pg_direct import prepared


@pytest.mark.parametrize(
    ("sql", "prepare", "execute"),
    [
        pytest.param(
            "SELECT a FROM t WHERE b = %s AND c = %s",
            "PREPARE s AS SELECT a FROM t WHERE b = $1 AND c = $2",
            "EXECUTE s(%s, %s)",
            id="positional placeholders are numbered in order",
        ),
        pytest.param(
            "SELECT %(org)s, %(at)s::timestamptz WHERE id = %(org)s",
            "PREPARE s AS SELECT $1, $2::timestamptz WHERE id = $1",
            "EXECUTE s(%(org)s, %(at)s)",
            id="a named placeholder is one parameter wherever it appears",
        ),
        pytest.param(
            "SELECT format('%%s', x) FROM t WHERE id = %(id)s",
            "PREPARE s AS SELECT format('%s', x) FROM t WHERE id = $1",
            "EXECUTE s(%(id)s)",
            id="a doubled percent is a literal one",
        ),
        pytest.param(
            "SELECT nextval('appointment_id_seq')",
            "PREPARE s AS SELECT nextval('appointment_id_seq')",
            "EXECUTE s",
            id="a statement without parameters",
        ),
    ],
)
def test_prepare_and_execute_texts(sql: str, prepare: str, execute: str) -> None:
    statement = prepared(sql, "s")
    assert statement.prepare == prepare
    assert statement.execute == execute
