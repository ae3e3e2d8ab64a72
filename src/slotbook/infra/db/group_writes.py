"""A booking group's last round trip: its members' writes, the organization's rows written once.

Every booking of a group debits the organization's row and steps its event counter. Written
member by member, that is two updates of each of those rows per booking, and both rows stay
locked from the group's first debit to its commit, while every other group of the
organization waits for them. Merged, the group updates each row once, last: its members'
ledger rows and events are what each member's own statements would have written (the same
balances after each debit, positions in the members' order), in one statement each. Their
appointments and history entries go in one statement each too, first.

Only the statements a booking sends are merged; a group whose writes include anything else is
sent as it was, statement by statement (`final_round` then only puts the inserts first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slotbook.infra.db import pg_statements as pg
from slotbook.infra.db.pg_direct import Statement

_MERGED = frozenset(
    {
        pg.INSERT_APPOINTMENT,
        pg.HISTORY_ENTRY,
        pg.SPEND_CREDITS,
        pg.OUTBOX_EVENT,
        pg.LOW_CREDITS_EVENT,
    }
)


def final_round(writes: Sequence[Sequence[Statement]]) -> list[Statement]:
    """The statements of the group's last round trip, from each member's writes in order.

    The appointments are inserted first, so the organization's rows are locked only after
    them: an insert that waits for another transaction's overlapping appointment never holds
    a row that transaction's debit waits for. Each kind of statement is merged into one: the
    appointments, the history entries, then the debits and the events."""
    every = [statement for member in writes for statement in member]
    inserts = [s for s in every if s[0] == pg.INSERT_APPOINTMENT]
    rest = [s for s in every if s[0] != pg.INSERT_APPOINTMENT]
    if any(sql not in _MERGED or into is not None for sql, _, into in every):
        return inserts + rest
    spends = [_named(p) for sql, p, _ in rest if sql == pg.SPEND_CREDITS]
    events = [_named(p) for sql, p, _ in rest if sql == pg.OUTBOX_EVENT]
    low = [_named(p) for sql, p, _ in rest if sql == pg.LOW_CREDITS_EVENT]
    history = [s[1] for s in rest if s[0] == pg.HISTORY_ENTRY]
    ordered: list[Statement] = []
    if inserts:
        ordered.append((pg.GROUP_INSERT_APPOINTMENTS, _columns([s[1] for s in inserts]), None))
    if history:
        ordered.append((pg.GROUP_HISTORY_ENTRIES, _columns(history), None))
    if spends:
        ordered.append((pg.GROUP_SPEND_CREDITS, _spends(spends), None))
    if events:
        ordered.append((pg.GROUP_OUTBOX_EVENTS, _events(events), None))
    if low:
        # The group's debits crossed the threshold at most once: one check, for all of them.
        spent = sum(int(p["cost"]) for p in spends)
        ordered.append((pg.LOW_CREDITS_EVENT, {**low[0], "spent": spent}, None))
    return ordered


def _columns(rows: list[Any]) -> list[list[Any]]:
    """Positional parameters of several statements as one list per parameter."""
    return [list(column) for column in zip(*rows, strict=True)]


def _named(params: Any) -> Mapping[str, Any]:
    assert isinstance(params, Mapping)
    return params


def _spends(spends: list[Mapping[str, Any]]) -> dict[str, Any]:
    costs = [int(p["cost"]) for p in spends]
    later = [sum(costs[i + 1 :]) for i in range(len(costs))]
    return {
        "org": _one_organization(spends),
        "total": sum(costs),
        "costs": costs,
        "later": later,
        "reasons": [p["reason"] for p in spends],
        "appointment_ids": [p["appointment_id"] for p in spends],
        "ats": [p["now"] for p in spends],
    }


def _events(events: list[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "org": _one_organization(events),
        "count": len(events),
        "public_ids": [p["public_id"] for p in events],
        "types": [p["type"] for p in events],
        "data": [p["data"] for p in events],
        "ats": [p["now"] for p in events],
    }


def _one_organization(params: list[Mapping[str, Any]]) -> int:
    organizations = {int(p["org"]) for p in params}
    if len(organizations) != 1:
        raise ValueError("a booking group's writes belong to one organization")
    return organizations.pop()
