"""Bookings that share one PostgreSQL transaction (docs/benchmarks.md, "Bookings sharing a
transaction").

Each booking's transaction costs PostgreSQL about as much in its fixed parts (BEGIN, the
relation locks of some forty relations, the commit and its log flush, the wait for the
organization's row that every debit updates) as in its statements. Bookings that arrive
together therefore share one: a group is one connection and one transaction, and its members
are the units of work of the bookings that joined it. Each member runs its use case as
before; what it sends goes into the group's next round trip, together with what the other
members send meanwhile, and its writes go, with everyone's, into one last round trip that
ends with one COMMIT.

Members must not decide anything together that the database would not refuse:
- The booking locks (pg_statements.ADVISORY_LOCK: the client's, the department's) are taken
  with `pg_try_advisory_xact_lock` and claimed in the group. A lock another member of the
  group claimed, or that another transaction holds, sends the member out of the group: it
  retries alone, exactly as an ungrouped booking (RetryAlone). Two bookings of one client, or
  two that decide for one department, are therefore never checked in one transaction, and a
  group never waits for a lock while holding others (no deadlock with other groups).
- What the database does refuse (two members overlapping on one worker, a debit the balance
  cannot cover) aborts the whole group: every member retries alone, and the one refused gets
  its answer there. Nothing of a failed group is written.
- A member that needs a statement pg_direct does not run (SQLAlchemy) retries alone too.

The last round trip (infra/db/group_writes.py) sends the members' appointment inserts first
and their debits and events last, merged: the group updates the organization's row and its
event counter once each, only once its inserts are done (an insert that waits for another
transaction's overlapping appointment never holds the row that transaction's debit waits for).

A group stops admitting members when its first member commits, and commits when every
member has committed or left; then its connection goes back (DirectConnections).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from slotbook.domain.errors import RetryableConflict
from slotbook.infra.db import pg_statements as pg
from slotbook.infra.db.group_writes import final_round
from slotbook.infra.db.pg_direct import DirectConnection, DirectConnections, PgDirect, Statement

TRY_ADVISORY_LOCK = "SELECT pg_try_advisory_xact_lock(%s, %s)"
# A group takes no more members than this. One group runs on one PostgreSQL backend while the
# server works on the next one: at 16 concurrent bookings, groups of 4 to 8 kept both busy
# (in-process, wall time per booking 1.5-1.7 ms), groups of 16 left each waiting for the other
# (2.1-2.9 ms), groups of 2 saved little (1.9-2.9 ms); one booking at a time: 2.2-2.5 ms.
# Through HTTP (benchmarks/booking.py, alternated on 2026-11-27): 8 gave 1,632-1,722
# bookings/s, 6 gave 1,627-1,644 and 12 gave 1,379-1,443.
MAX_MEMBERS = 8

# A booking sent out of its group runs alone when it is tried again.
_alone: ContextVar[bool] = ContextVar("slotbook_booking_alone", default=False)


class RetryAlone(RetryableConflict):
    """This booking cannot go on in its group; run it again in a transaction of its own, at
    once (nothing it did in the group is written)."""

    backoff = False

    def __init__(self) -> None:
        super().__init__("The booking collided with a concurrent one; please retry")


class _State(enum.Enum):
    ACTIVE = "active"
    COMMITTING = "committing"
    LEFT = "left"


class BookingGroups:
    """The groups of one engine. `join` gives a booking's unit of work its connection: a
    member of the group that admits members now, or of a new one."""

    def __init__(self, connections: DirectConnections) -> None:
        self.connections = connections
        # By organization: a group's members debit one organization's row, so two groups
        # never lock two organizations' rows in opposite orders.
        self._open: dict[int, _Group] = {}
        # What happened, for tests and benchmarks: groups formed, bookings committed in a
        # group, and bookings sent out of theirs to run alone.
        self.formed = 0
        self.committed = 0
        self.sent_alone = 0

    @staticmethod
    def alone() -> bool:
        """Whether this task's booking was sent out of a group and must run alone."""
        return _alone.get()

    def join(self, organization_id: int) -> GroupMember:
        group = self._open.get(organization_id)
        if group is None or not group.admitting:
            group = self._open[organization_id] = _Group(self, organization_id)
            self.formed += 1
        member = group.add()
        if group.size >= MAX_MEMBERS:
            group.close_admission()
        return member

    def _closed(self, group: _Group) -> None:
        if self._open.get(group.organization_id) is group:
            del self._open[group.organization_id]


class _Group:
    def __init__(self, owner: BookingGroups, organization_id: int) -> None:
        self.owner = owner
        self.organization_id = organization_id
        self.dialect = owner.connections.dialect
        self.admitting = True
        self._members: list[GroupMember] = []
        self.claims: dict[tuple[Any, ...], GroupMember] = {}
        self._waiting: list[tuple[list[Statement], asyncio.Future[None]]] = []
        self._writes: dict[GroupMember, list[Statement]] = {}
        self._held: DirectConnection | None = None
        self._sending = False
        self._finishing = False
        self._broken = False
        # The commit's outcome, awaited by every committing member (maybe none: its failure
        # is then nobody's to report).
        self._outcome: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._outcome.add_done_callback(_seen)
        # The group's running task (its rounds, then its commit): the event loop keeps only a
        # weak reference to a task.
        self._task: asyncio.Task[None] | None = None

    def add(self) -> GroupMember:
        member = GroupMember(self)
        self._members.append(member)
        return member

    @property
    def size(self) -> int:
        return len(self._members)

    async def send(self, queue: list[Statement]) -> None:
        """Send these statements in the group's next round trip; their rows go into their
        lists. Raises RetryAlone when the group failed."""
        if self._broken:
            raise RetryAlone()
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((queue, done))
        if not self._sending:
            self._sending = True
            self._task = asyncio.get_running_loop().create_task(self._rounds())
        await done

    async def _rounds(self) -> None:
        try:
            # The members ready in this turn of the event loop send theirs in the same round.
            await asyncio.sleep(0)
            while self._waiting and not self._broken:
                batch, self._waiting = self._waiting, []
                batch = [(queue, done) for queue, done in batch if not done.done()]
                if not batch:
                    continue
                try:
                    if self._held is None:
                        self._held = await self.owner.connections.borrow()
                    lane = self._held.direct
                    for queue, _ in batch:
                        for statement in queue:
                            lane.defer(*statement)
                    # Always in the transaction: a lock taken outside one would end with its
                    # statement.
                    await lane.flush(begin=True)
                except BaseException:
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(RetryAlone())
                    await self._break()
                    return
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
        finally:
            self._sending = False
            self._settle()

    def commit(self, member: GroupMember, writes: list[Statement]) -> asyncio.Future[None]:
        member.state = _State.COMMITTING
        self._writes[member] = writes
        self.close_admission()
        self._settle()
        return self._outcome

    def leave(self, member: GroupMember) -> None:
        if member.state is _State.ACTIVE:
            member.state = _State.LEFT
            self._settle()

    def close_admission(self) -> None:
        self.admitting = False
        self.owner._closed(self)

    def _settle(self) -> None:
        """Commit once no member is still working, nothing is being sent and none waits."""
        if self._finishing or self._sending or self._waiting or self._broken:
            return
        if any(m.state is _State.ACTIVE for m in self._members):
            return
        self._finishing = True
        self.close_admission()
        self._task = asyncio.get_running_loop().create_task(self._finish())

    async def _finish(self) -> None:
        held, self._held = self._held, None
        writers = [m for m in self._members if m.state is _State.COMMITTING]
        try:
            if writers:
                if held is None:  # nothing was read: the writes in a transaction of their own
                    held = await self.owner.connections.borrow()
                lane = held.direct
                for statement in final_round([self._writes[m] for m in writers]):
                    lane.defer(*statement)
                await lane.flush(commit=True)
        except BaseException:
            self._broken = True
            if not self._outcome.done():
                self._outcome.set_exception(RetryAlone())
        else:
            self.owner.committed += len(writers)
            if not self._outcome.done():
                self._outcome.set_result(None)
        finally:
            self._forget()
            await _release(held)

    def _forget(self) -> None:
        """Drop what refers back to the group, once it is over: its members and its task each
        refer to it, and a cycle left to the garbage collector per booking made it run every
        few requests (docs/benchmarks.md)."""
        self._members = []
        self.claims = {}
        self._writes = {}
        self._task = None

    async def _break(self) -> None:
        """A round failed: the transaction is lost; every member retries alone."""
        self._broken = True
        self.close_admission()
        for _, done in self._waiting:
            if not done.done():
                done.set_exception(RetryAlone())
        self._waiting = []
        if not self._outcome.done():
            self._outcome.set_exception(RetryAlone())
        held, self._held = self._held, None
        self._forget()
        await _release(held)


def _seen(outcome: asyncio.Future[None]) -> None:
    if not outcome.cancelled():
        outcome.exception()


async def _release(held: DirectConnection | None) -> None:
    """Give the group's connection back (rolled back if it was not committed)."""
    if held is not None:
        # A connection that cannot be put back is discarded by close itself; nobody waits
        # for this one, so its error has nowhere to go.
        with contextlib.suppress(Exception):
            await held.close()


class GroupMember:
    """A booking's connection in a group: what the unit of work and its repositories use in
    place of a DirectConnection (`direct`, `commit`, `rollback`, `close`)."""

    def __init__(self, group: _Group) -> None:
        self.group = group
        self.state = _State.ACTIVE
        self.direct = MemberDirect(self)

    @property
    def dialect(self) -> Any:
        return self.group.dialect

    def leave_for_good(self) -> RetryAlone:
        """Out of the group; the booking runs again alone."""
        self.group.leave(self)
        return self.go_alone()

    def go_alone(self) -> RetryAlone:
        """The error that makes this task's booking run again, alone (with_retries)."""
        _alone.set(True)
        self.group.owner.sent_alone += 1
        return RetryAlone()

    async def commit(self) -> None:
        if self.state is not _State.ACTIVE:
            raise self.go_alone()
        outcome = self.group.commit(self, self.direct.take())
        try:
            await asyncio.shield(outcome)
        except RetryAlone:
            raise self.go_alone() from None

    async def rollback(self) -> None:
        self.direct.discard(0)
        self.group.leave(self)

    async def close(self) -> None:
        self.group.leave(self)

    # A statement pg_direct does not run (SQLAlchemy's): the booking runs alone instead.
    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        raise self.leave_for_good()

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        raise self.leave_for_good()

    def begin_nested(self) -> Any:
        raise self.leave_for_good()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # Python's own probes (copy, pickle) are not statements
            raise AttributeError(name)
        raise self.leave_for_good()


class MemberDirect(PgDirect):
    """A member's PgDirect: the unit of work's own state, its statements sent by the group."""

    def __init__(self, member: GroupMember) -> None:  # no connection of its own
        # Weak: the member refers to this (its `direct`), and a cycle would be left to the
        # garbage collector.
        self._member_ref = weakref.ref(member)
        self._start()

    @property
    def _member(self) -> GroupMember:
        member = self._member_ref()
        assert member is not None, "a member's statements are sent while it is in use"
        return member

    @property
    def unsent(self) -> bool:
        return bool(self._deferred)

    def take(self) -> list[Statement]:
        queue, self._deferred = self._deferred, []
        return queue

    async def _send(self, *, commit: bool, begin: bool = False) -> None:
        member = self._member
        if commit:
            await member.commit()
            return
        if member.state is not _State.ACTIVE:
            raise member.go_alone()
        queue = self.take()
        if not queue:
            return
        locks: list[list[tuple[Any, ...]]] = []
        for i, (sql, params, _) in enumerate(queue):
            if sql == pg.ADVISORY_LOCK:
                with _claiming(member, tuple(params)):
                    taken: list[tuple[Any, ...]] = []
                    queue[i] = (TRY_ADVISORY_LOCK, params, taken)
                    locks.append(taken)
        try:
            await member.group.send(queue)
        except RetryAlone:
            raise member.leave_for_good() from None
        if any(not taken or not taken[0][0] for taken in locks):
            raise member.leave_for_good()  # another transaction holds it


@contextmanager
def _claiming(member: GroupMember, lock: tuple[Any, ...]) -> Iterator[None]:
    holder = member.group.claims.setdefault(lock, member)
    if holder is not member:
        raise member.leave_for_good()
    yield
