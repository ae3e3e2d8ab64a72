"""How pg_direct turns a statement written for psycopg into PREPARE and EXECUTE texts."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from psycopg.adapt import Transformer

from slotbook.infra.db.pg_direct import _literal, prepared


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


@pytest.mark.parametrize(
    ("sql", "params", "bound"),
    [
        pytest.param(
            "SELECT a FROM t WHERE b = %s AND c = %s AND d = %s",
            (7, "it's", None),
            b"EXECUTE s(7, 'it''s', NULL)",
            id="positional values quoted by psycopg, None as NULL",
        ),
        pytest.param(
            "SELECT %(org)s, %(at)s::timestamptz WHERE id = %(org)s",
            {"at": datetime(2027, 2, 15, 9, 30, tzinfo=UTC), "org": 3, "unused": 1},
            b"EXECUTE s(3, '2027-02-15 09:30:00+00:00'::timestamptz)",
            id="named values in the order of the parameters",
        ),
        pytest.param("SELECT nextval('seq')", (), b"EXECUTE s", id="no parameters"),
    ],
)
def test_bind_quotes_each_value_as_psycopg_mogrify_does(
    sql: str, params: tuple[object, ...] | dict[str, object], bound: bytes
) -> None:
    statement = prepared(sql, "s")
    assert statement.bind(Transformer(), params) == bound


def test_bind_refuses_a_wrong_number_of_values() -> None:
    with pytest.raises(TypeError, match="takes 2 parameters, not 1"):
        prepared("SELECT %s, %s", "s").bind(Transformer(), (1,))


@given(
    st.one_of(
        st.integers(),
        st.booleans(),
        st.none(),
        st.datetimes(timezones=st.just(UTC)),
        # Not the domain's, so psycopg's own: in another zone, and naive.
        st.datetimes(timezones=st.just(ZoneInfo("Europe/Paris"))),
        st.datetimes(),
    )
)
def test_the_binder_writes_each_value_as_psycopg_does(value: object) -> None:
    literal = Transformer()
    expected = b"NULL" if value is None else literal.as_literal(value)
    seen: dict[object, bytes] = {}
    assert _literal(literal, value, seen) == expected
    assert _literal(literal, value, seen) == expected  # again, from what was seen
