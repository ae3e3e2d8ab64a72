"""The booking path's statements on PostgreSQL, run straight through psycopg.

A booking runs about ten fixed statements. Through SQLAlchemy each one costs 150 to 300 µs of
Python (cache key, compiled parameters, result processing, a greenlet switch) on top of its
round trip. So the hot statements are written here as PostgreSQL text and run on the unit of
work's own connection, in its transaction: SQLAlchemy and these statements see the same data.
Each is a server-side prepared statement (`_Catalog`): PostgreSQL plans it once per
connection, where planning it on every run cost more than running it.

Round trips, not statements, are what a booking pays for (each costs 100 to 250 µs of Python in
psycopg and the event loop, and its latency), so a booking makes two:
- BEGIN, the client's lock, the client's appointments and the department read (which also takes
  the new appointment's id from its sequence), in one query string;
- every write (the appointment, the debit and its ledger row, the history entry, the events)
  and the COMMIT, as one query string, its values quoted by psycopg.

The connection is in autocommit at the driver (DirectConnection), and the BEGIN is ours: it
goes with the first lock or write, where psycopg's own would cost a round trip of its own. A
read sent before it runs alone, exactly as it would inside a READ COMMITTED transaction.

Writes nobody reads back before the commit are deferred. The last round trip sends them in one
packet, so the organization's row (the debit) and its event counter are locked only while the
server runs them and commits, never while Python serves other requests: with a pipeline they
would go one statement at a time, and every booking of the organization would queue behind
that. The debit is unconditional there; the CHECK constraint on the balance refuses an
overdraft, which aborts the transaction (the unit of work reports INSUFFICIENT_CREDITS).

The next statement run here takes what was deferred along, in order, in its own round trip.
The repositories' SQLAlchemy statements go through `DirectConnection`, which sends what was
deferred (and the BEGIN) first, so a lock deferred before a SQLAlchemy read (the public booking
page's lock on an e-mail address) is held when that read runs.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import abc as psycopg_abc
from psycopg.adapt import Transformer
from psycopg.pq import TransactionStatus
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.util import greenlet_spawn

from slotbook.domain.schedules import SchedulingSettings

Params = Sequence[Any] | dict[str, Any]
# A statement to send: its text, its parameters, and the list its rows go into (None: not read).
Statement = tuple[str, Params, list[tuple[Any, ...]] | None]

BEGIN = b"BEGIN"
COMMIT = b"COMMIT"
DEALLOCATE_ALL = b"DEALLOCATE ALL"

_PLACEHOLDER = re.compile(r"%%|%s|%\((\w+)\)s")


@dataclass(frozen=True, slots=True)
class Prepared:
    """A statement as a server-side prepared statement: its `PREPARE` text, and its
    `EXECUTE`, whose arguments are the statement's own parameters as SQL literals."""

    name: str
    prepare: str
    execute: str  # `bind`'s result with psycopg's placeholders in place of the values
    # The parameters in the EXECUTE's order: their names, or how many positional ones.
    keys: tuple[str, ...] | int

    def bind(
        self, literal: psycopg_abc.Transformer, params: Params, seen: dict[Any, bytes] | None = None
    ) -> bytes:
        """The EXECUTE with `params` as literals, each quoted by psycopg (`as_literal`, what
        its ClientCursor.mogrify does per value). Done here rather than by mogrify, which
        parses and checks the template again on every call: the appointment's insert (28
        values, five of them one instant) binds in 7 µs here against 32 µs by mogrify."""
        if isinstance(self.keys, int):
            values: Sequence[Any] = params  # type: ignore[assignment]
            if len(values) != self.keys:
                raise TypeError(f"{self.name} takes {self.keys} parameters, not {len(values)}")
        else:
            named: dict[str, Any] = params  # type: ignore[assignment]
            values = [named[key] for key in self.keys]
        if not values:
            return f"EXECUTE {self.name}".encode()
        seen = {} if seen is None else seen
        # NULLs (a third of a booking's values) without a call.
        arguments = b", ".join(
            [b"NULL" if v is None else _literal(literal, v, seen) for v in values]
        )
        return b"EXECUTE %s(%s)" % (self.name.encode(), arguments)


def _literal(literal: psycopg_abc.Transformer, value: Any, seen: dict[Any, bytes]) -> bytes:
    """A value as a literal, as psycopg writes it. Shortcuts, measured: an integer is written
    here (0.15 µs against 0.9 µs through psycopg, which writes the same digits, a negative
    one after a space); a date-time in UTC (all of the domain's) as its ISO 8601 text, cast to
    timestamptz, the bytes psycopg writes (1.0 µs against 1.6 µs), and once per query string
    (`seen`): one booking binds its `now` five times and its start, often also its blocked
    start, twice. A list is an ARRAY of its items' literals, typed by the statement's
    parameter: psycopg's own array literal costs about 20 µs a list, choosing a type for its
    items, and a booking group sends a dozen (group_writes)."""
    if value is None:
        return b"NULL"
    kind = type(value)
    if kind is int:
        return b"%d" % value if value >= 0 else b" %d" % value
    if kind is list:
        if all(item is None for item in value):
            # ARRAY[NULL, ...] would be text[]; an untyped literal takes the parameter's type.
            return b"'{%s}'" % b",".join([b"NULL"] * len(value))
        return b"ARRAY[%s]" % b",".join([_literal(literal, item, seen) for item in value])
    if kind is not datetime:
        return literal.as_literal(value)
    quoted = seen.get(value)
    if quoted is None:
        if value.tzinfo is UTC:
            quoted = b"'%s'::timestamptz" % value.isoformat(" ").encode()
        else:
            quoted = literal.as_literal(value)
        seen[value] = quoted
    return quoted


def prepared(sql: str, name: str) -> Prepared:
    """The PREPARE and EXECUTE of a statement written with psycopg's placeholders: `%s` in
    order, or `%(name)s`, each name one parameter wherever it appears. PostgreSQL infers each
    parameter's type from where it is first used (a cast in the text settles it)."""
    numbers: dict[str, int] = {}
    arguments: list[str] = []

    def number(match: re.Match[str]) -> str:
        text, key = match.group(0), match.group(1)
        if text == "%%":
            return "%"
        if key is None:
            arguments.append("%s")
            return f"${len(arguments)}"
        if key not in numbers:
            arguments.append(f"%({key})s")
            numbers[key] = len(arguments)
        return f"${numbers[key]}"

    body = _PLACEHOLDER.sub(number, sql)
    execute = f"EXECUTE {name}({', '.join(arguments)})" if arguments else f"EXECUTE {name}"
    keys: tuple[str, ...] | int = tuple(numbers) if numbers else len(arguments)
    return Prepared(name, f"PREPARE {name} AS {body}", execute, keys)


class _Catalog:
    """The statements run here, prepared per connection on first use.

    Planning a statement costs PostgreSQL more than running most of these (0.2 to 0.5 ms
    each, docs/benchmarks.md), so each is prepared once per connection: its `PREPARE` goes in
    front of the first query string that runs it, and every run is an `EXECUTE`, in the
    same query string as the statements around it. psycopg prepares nothing itself
    (`prepare_threshold=None`, engine.py): after a ROLLBACK it would send `DEALLOCATE ALL`,
    dropping ours with its own. Statements are known by their text, so they must be fixed
    texts (pg_statements' constants): a text built per call would be prepared per call."""

    def __init__(self) -> None:
        self._statements: dict[str, Prepared] = {}
        # The names prepared on each connection; none when it is unknown which were.
        self._done: weakref.WeakKeyDictionary[Any, set[str] | None] = weakref.WeakKeyDictionary()

    def statement(self, sql: str) -> Prepared:
        found = self._statements.get(sql)
        if found is None:
            found = self._statements[sql] = prepared(sql, f"slotbook_{len(self._statements)}")
        return found

    def prepared_on(self, driver: Any) -> set[str] | None:
        return self._done.get(driver, set())

    def record(self, driver: Any, names: set[str] | None) -> None:
        self._done[driver] = names


_CATALOG = _Catalog()


class DirectConnections:
    """The unit of work's PostgreSQL connections, kept between transactions.

    A connection comes from the engine's pool (SQLAlchemy's) and is put in autocommit at the
    driver for the unit of work (PgDirect sends BEGIN itself). Handing it back and borrowing it
    again cost about 80 µs of Python per transaction (a greenlet switch each way, the pool's
    checkout and checkin events and reset, autocommit set and reset), about 4% of a booking's
    CPU: so up to `keep` idle ones are kept here, still checked out and in autocommit, with
    the psycopg cursor and value transformer PgDirect made for them, and taken again last in,
    first out. One that a SQLAlchemy statement ran on, or that is not idle and healthy, goes
    back to the pool as before. `aclose` (the container's, before the engine is disposed)
    gives the kept ones back."""

    def __init__(self, engine: AsyncEngine, keep: int) -> None:
        self._engine = engine
        self._keep = keep
        self._idle: list[tuple[PoolProxiedConnection, DriverKit]] = []
        self._closed = False

    @property
    def dialect(self) -> Dialect:
        return self._engine.dialect

    async def borrow(self) -> DirectConnection:
        while self._idle:
            pooled, kit = self._idle.pop()
            driver = kit.driver
            if not driver.closed and driver.info.transaction_status == TransactionStatus.IDLE:
                return DirectConnection(self._engine, pooled, self, kit)
            await greenlet_spawn(pooled.invalidate)
        held = DirectConnection(self._engine, await self._engine.raw_connection(), self)
        try:
            await held.driver.set_autocommit(True)
        except BaseException:
            await held._discard()
            raise
        return held

    def keep(self, pooled: PoolProxiedConnection, kit: DriverKit) -> bool:
        """Keep an idle connection for the next unit of work, if there is room."""
        driver = kit.driver
        if (
            self._closed
            or len(self._idle) >= self._keep
            or driver.closed
            or driver.info.transaction_status != TransactionStatus.IDLE
        ):
            return False
        self._idle.append((pooled, kit))
        return True

    async def aclose(self) -> None:
        """Give the kept connections back to the pool (out of autocommit), or close them."""
        self._closed = True
        idle, self._idle = self._idle, []
        for pooled, kit in idle:
            try:
                await kit.driver.set_autocommit(False)
                await greenlet_spawn(pooled.close)
            except Exception:
                await greenlet_spawn(pooled.invalidate)


@dataclass(slots=True)
class DriverKit:
    """A psycopg connection and what PgDirect made for it once: its cursor and value
    transformer (about 6 µs to make), kept with the connection between units of work."""

    driver: psycopg.AsyncConnection[Any]
    cursor: psycopg.AsyncClientCursor[Any] | None = None
    literal: psycopg_abc.Transformer | None = None


class DirectConnection:
    """The unit of work's connection on PostgreSQL: one pooled connection, in autocommit at the
    driver while the unit of work holds it (PgDirect sends BEGIN itself), with PgDirect on it.

    The SQLAlchemy connection the repositories use is made over it only when one of them runs
    a SQLAlchemy statement: a booking runs none, and checking a SQLAlchemy connection out,
    beginning, committing and closing it cost about 240 µs of Python per transaction
    (isolation level set and reset, events, a greenlet switch each), against about 60 µs for
    the pooled connection alone (docs/benchmarks.md). A statement sent through it first sends
    what PgDirect deferred (and the BEGIN), in order, their locks included.

    It answers `commit`, `rollback` and `close` like an AsyncConnection, so an Idempotency-Key
    request can hand it over (infra/db/idempotency.py): `close` keeps the connection for the
    next unit of work (DirectConnections) or puts the driver back to ordinary transactions
    before the pool gets it back, which every other user of the pool relies on."""

    def __init__(
        self,
        engine: AsyncEngine,
        pooled: PoolProxiedConnection,
        keeper: DirectConnections | None = None,
        kit: DriverKit | None = None,
    ) -> None:
        self._engine = engine
        self._pooled = pooled
        self._keeper = keeper
        if kit is None:
            driver = pooled.driver_connection
            assert isinstance(driver, psycopg.AsyncConnection)
            kit = DriverKit(driver)
        self._kit = kit
        self.driver: psycopg.AsyncConnection[Any] = kit.driver
        self.direct = PgDirect(kit)
        self._sqlalchemy: AsyncConnection | None = None

    @property
    def dialect(self) -> Dialect:
        return self._engine.dialect

    @property
    def sqlalchemy(self) -> AsyncConnection:
        if self._sqlalchemy is None:
            self._sqlalchemy = AsyncConnection(
                self._engine, Connection(self._engine.sync_engine, connection=self._pooled)
            )
        return self._sqlalchemy

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        if self.direct.unsent:
            await self.direct.flush()
        return await self.sqlalchemy.execute(*args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        if self.direct.unsent:
            await self.direct.flush()
        return await self.sqlalchemy.scalar(*args, **kwargs)

    def begin_nested(self) -> AsyncTransaction:
        return self.sqlalchemy.begin_nested()

    async def commit(self) -> None:
        """Send what was deferred and the COMMIT in one round trip."""
        await self.direct.flush(commit=True)
        if self._sqlalchemy is not None and self._sqlalchemy.in_transaction():
            await self._sqlalchemy.commit()  # its own bookkeeping: the driver is idle now

    async def rollback(self) -> None:
        self.direct.discard(0)
        if self.driver.info.transaction_status != TransactionStatus.IDLE:
            await self.driver.rollback()
        if self._sqlalchemy is not None and self._sqlalchemy.in_transaction():
            await self._sqlalchemy.rollback()

    async def close(self) -> None:
        """Keep the connection for the next unit of work, or give it back to the pool, out of
        autocommit; a connection that cannot be put back that way (broken, or interrupted on
        the way) is closed instead."""
        try:
            await self.rollback()
            if (
                self._sqlalchemy is None
                and self._keeper is not None
                and self._keeper.keep(self._pooled, self._kit)
            ):
                return
            await self.driver.set_autocommit(False)
        except BaseException:
            await self._discard()
            raise
        if self._sqlalchemy is not None:
            await self._sqlalchemy.close()
        else:
            await greenlet_spawn(self._pooled.close)

    async def _discard(self) -> None:
        await self.sqlalchemy.invalidate()
        await self.sqlalchemy.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sqlalchemy, name)


class PgDirect:
    """Prepared statements on the unit of work's pooled psycopg connection."""

    def __init__(self, kit: DriverKit) -> None:
        self._kit = kit
        self._driver = kit.driver
        self._start()

    def _start(self) -> None:
        """The unit of work's own state (what a booking group's member has too)."""
        self._deferred: list[Statement] = []  # to send later
        # Scheduling settings read with the department (departments.get), by department id:
        # a booking needs both, and one statement reads them.
        self.settings: dict[int, SchedulingSettings] = {}
        # Read with it too, for the very next read of each (taken once, so a write in between
        # is never hidden): the department's workers, and its and their weekly hours.
        self.workers: dict[int, Sequence[tuple[int, str, UUID]]] = {}
        self.hours: dict[
            int, tuple[tuple[int, ...], Sequence[tuple[int | None, int, int, int]]]
        ] = {}
        # Whether the organization had a credits.low threshold when the department was read
        # (None: not read). Without one the debit's credits.low statement is not sent.
        self.low_credits_watched: bool | None = None
        # An appointment will be inserted: the department read takes its id along.
        self.id_wanted = False
        self.reserved_ids: list[int] = []

    async def rows(self, sql: str, params: Params) -> list[tuple[Any, ...]]:
        found: list[tuple[Any, ...]] = []
        self._deferred.append((sql, params, found))
        await self._send(commit=False)
        return found

    async def first(self, sql: str, params: Params) -> tuple[Any, ...] | None:
        found = await self.rows(sql, params)
        return found[0] if found else None

    def defer(self, sql: str, params: Params, into: list[tuple[Any, ...]] | None = None) -> None:
        """Run this statement later: in the round trip of the next one, or with the commit.

        For writes nobody reads back before the commit, for locks taken just before the
        statement that needs them (both go in one round trip, the lock first), and for reads
        wanted later (`into` receives their rows once sent)."""
        self._deferred.append((sql, params, into))

    def discard(self, keep: int) -> None:
        """Forget the writes deferred after the first `keep` (their savepoint was undone)."""
        del self._deferred[keep:]

    @property
    def deferred(self) -> int:
        return len(self._deferred)

    @property
    def unsent(self) -> bool:
        """Whether a statement sent now must first send deferred ones or the BEGIN."""
        driver = self._driver
        return bool(self._deferred) or (
            driver.autocommit and driver.info.transaction_status == TransactionStatus.IDLE
        )

    async def flush(self, *, commit: bool = False, begin: bool = False) -> None:
        """Send the deferred statements (and the COMMIT) in one round trip. A
        transaction not yet begun is begun first, so the SQLAlchemy statement that may follow
        runs inside it; with `begin`, also when only one read is sent."""
        await self._send(commit=commit, begin=begin)

    async def _send(self, *, commit: bool, begin: bool = False) -> None:
        driver = self._driver
        queue, self._deferred = self._deferred, []
        idle = driver.info.transaction_status == TransactionStatus.IDLE
        if not queue:
            if commit and not idle:
                await driver.commit()
            elif not commit and idle and driver.autocommit:
                # A SQLAlchemy statement follows (DirectConnection, a savepoint): BEGIN first.
                await driver.execute(BEGIN, prepare=False)
            return
        # Our own BEGIN (autocommit at the driver, see the module docstring), with the first
        # lock or write: a read alone before it runs by itself, as it would in the transaction
        # (READ COMMITTED: each statement sees what was committed when it started). Without
        # autocommit psycopg sends a BEGIN itself, in a round trip of its own.
        begin = (
            idle
            and driver.autocommit
            and (begin or commit or len(queue) > 1 or queue[0][2] is None)
        )
        # One query string, its values bound here as literals, so the server gets it in one
        # packet. A psycopg pipeline would send the statements one at a time, yielding to the
        # event loop between them (a row lock taken by one would be held while Python serves
        # other requests), and costs twice the CPU of this in Python.
        kit = self._kit
        cursor = kit.cursor = kit.cursor or psycopg.AsyncClientCursor(driver)
        literal = kit.literal = kit.literal or Transformer(driver)
        known = _CATALOG.prepared_on(driver)
        # PREPAREs first: they are not transactional, and a statement failing after them does
        # not undo them.
        head = [DEALLOCATE_ALL] if known is None else []
        names = set(known or ())
        statements = [BEGIN] if begin else []
        seen: dict[Any, bytes] = {}
        for sql, params, _ in queue:
            statement = _CATALOG.statement(sql)
            if statement.name not in names:
                names.add(statement.name)
                head.append(statement.prepare.encode())
            statements.append(statement.bind(literal, params, seen))
        if commit:
            statements.append(COMMIT)
        try:
            await cursor.execute(b";\n".join(head + statements))
        except BaseException:
            if head:
                _CATALOG.record(driver, None)  # which of the PREPAREs ran is unknown
            raise
        if head:
            _CATALOG.record(driver, names)
        if any(into is not None for _, _, into in queue):
            # One result per statement, in order.
            for _ in range(len(head) + begin):
                cursor.nextset()
            for _, _, into in queue:
                if into is not None:
                    into.extend(await cursor.fetchall())
                cursor.nextset()
