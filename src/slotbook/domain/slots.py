"""Free slots: working hours minus time off and closures, minus bookings and their buffers.

All intervals are half-open [start, end). Inside this module instants are whole epoch seconds
(ints), which keeps the sweep cheap; datetimes are only built for what is returned. The cost is
linear in workers x days + bookings (after one sort): each resource's open spans and busy
intervals are swept once with two pointers, never compared pairwise.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import compress, repeat
from operator import lt
from zoneinfo import ZoneInfo

from slotbook.domain.schedules import (
    Booking,
    BusyTimes,
    DailyRange,
    Demand,
    DepartmentSchedule,
    ExceptionKind,
    ResourceSchedule,
)
from slotbook.domain.time import wall_instant

Span = tuple[int, int]  # [start, end) in epoch seconds
AnchoredSpan = tuple[int, int, int]  # start, end, and where its slot grid is anchored


def epoch(value: datetime) -> int:
    return int(value.timestamp())


def instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True, slots=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    worker_ids: tuple[int, ...]  # free workers; empty for a department without workers
    remaining: int  # how many more clients can book this start


class DayFrames:
    """The UTC instants of wall-clock minutes on a run of local days, computed once per query.

    On a day without a DST change a wall minute is the day's start plus minutes; only the
    (rare) days with a change go through zoneinfo for every boundary.
    """

    def __init__(self, first: date, last: date, tz: ZoneInfo) -> None:
        self.tz = tz
        self.days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        starts = [epoch(wall_instant(d, 0, tz)) for d in self.days]
        starts.append(epoch(wall_instant(last + timedelta(days=1), 0, tz)))
        self._starts = starts
        self._regular = [starts[i + 1] - starts[i] == 86_400 for i in range(len(self.days))]
        # Workers often share a pattern of weekly hours: each pattern's spans are built once.
        self._weekly: dict[tuple[DailyRange, ...], list[Span]] = {}

    def at(self, index: int, minute: int) -> int:
        if minute == 1440:
            return self._starts[index + 1]
        if self._regular[index]:
            return self._starts[index] + minute * 60
        return epoch(wall_instant(self.days[index], minute, self.tz))

    def day_span(self, index: int) -> Span:
        return self._starts[index], self._starts[index + 1]

    def weekly_spans(self, hours: tuple[DailyRange, ...]) -> list[Span]:
        """The spans weekly `hours` cover on these days (unmerged, in day order)."""
        spans = self._weekly.get(hours)
        if spans is None:
            spans = self._weekly[hours] = _weekly_spans(hours, self)
        return spans


def frames_for(schedule: DepartmentSchedule, window: Span, margin_days: int = 1) -> DayFrames:
    """Day frames covering `window`, widened by a day each side for buffers and long types."""
    tz = ZoneInfo(schedule.time_zone)
    first = instant(window[0]).astimezone(tz).date() - timedelta(days=margin_days)
    last = instant(max(window[0], window[1] - 1)).astimezone(tz).date()
    return DayFrames(first, last + timedelta(days=margin_days), tz)


def merge(spans: Iterable[Span]) -> list[Span]:
    """The union of spans as sorted, disjoint spans."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(spans: Sequence[AnchoredSpan], holes: Sequence[Span]) -> list[AnchoredSpan]:
    """`spans` (sorted, disjoint) minus `holes` (sorted, disjoint); pieces keep their anchor."""
    result: list[AnchoredSpan] = []
    h = 0
    for start, end, anchor in spans:
        while h < len(holes) and holes[h][1] <= start:
            h += 1
        cursor, k = start, h
        while k < len(holes) and holes[k][0] < end:
            if holes[k][0] > cursor:
                result.append((cursor, holes[k][0], anchor))
            cursor = max(cursor, holes[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end, anchor))
    return result


def _weekly_spans(hours: Sequence[DailyRange], frames: DayFrames) -> list[Span]:
    by_weekday: dict[int, list[DailyRange]] = defaultdict(list)
    for r in hours:
        by_weekday[r.weekday].append(r)
    spans: list[Span] = []
    for index, day in enumerate(frames.days):
        for r in by_weekday.get(day.weekday(), ()):
            spans.append((frames.at(index, r.start_minute), frames.at(index, r.end_minute)))
    return spans


def closed_spans(schedule: DepartmentSchedule, frames: DayFrames) -> list[Span]:
    closed = set(schedule.closures)
    return [frames.day_span(i) for i, day in enumerate(frames.days) if day in closed]


def open_spans(
    resource: ResourceSchedule, frames: DayFrames, closed: Sequence[Span]
) -> list[AnchoredSpan]:
    """When `resource` works: weekly hours plus extra hours, minus time off and closed days.

    Each piece is anchored where its working range began, so time off in the middle of a
    morning does not shift the afternoon's slot grid.
    """
    extra = [
        (epoch(x.starts_at), epoch(x.ends_at))
        for x in resource.exceptions
        if x.kind is ExceptionKind.EXTRA_HOURS
    ]
    working = [(s, e, s) for s, e in merge(frames.weekly_spans(resource.hours) + extra)]
    off = [
        (epoch(x.starts_at), epoch(x.ends_at))
        for x in resource.exceptions
        if x.kind is ExceptionKind.TIME_OFF
    ]
    return subtract(working, merge(off + list(closed)))


def busy_by_resource(bookings: Iterable[Booking]) -> dict[int | None, list[Booking]]:
    grouped: dict[int | None, list[Booking]] = defaultdict(list)
    for b in bookings:
        grouped[b.worker_id].append(b)
    return grouped


def busy_times(
    bookings: Iterable[Booking], session_type: int | None
) -> dict[int | None, BusyTimes]:
    """Bookings per resource as the sweep reads them; the starts of those of `session_type`
    are kept apart (the members of its group sessions)."""
    columns: dict[int | None, tuple[list[int], list[int], list[int]]] = {}
    for b in bookings:
        found = columns.get(b.worker_id)
        if found is None:
            found = columns[b.worker_id] = ([], [], [])
        found[0].append(b.block_start)
        found[1].append(b.block_end)
        if b.appointment_type_id == session_type:
            found[2].append(b.start)
    return {owner: BusyTimes(*lists) for owner, lists in columns.items()}


def capacity_of(resource: ResourceSchedule, demand: Demand) -> int:
    if resource.worker_id is None:
        return resource.capacity
    return demand.capacity or 1


def _is_session(resource: ResourceSchedule, demand: Demand) -> bool:
    """Group sessions: several clients share one worker's slot of one appointment type."""
    return resource.worker_id is not None and (demand.capacity or 1) > 1


def session_members(busy: Iterable[Booking], demand: Demand, starts_at: datetime) -> list[Booking]:
    return [
        b
        for b in busy
        if b.appointment_type_id == demand.appointment_type_id and b.starts_at == starts_at
    ]


def free_starts(
    resource: ResourceSchedule,
    opens: Sequence[AnchoredSpan],
    busy: BusyTimes | None,
    demand: Demand,
    step: int,
    bounds: Span,
) -> tuple[list[int], list[int]]:
    """Every free grid start of `resource` inside `bounds`, and the places left at each.

    A start is free when the appointment fits in one open span and its blocked time (with
    buffers) overlaps fewer than `capacity` blocked intervals; for a group session, only other
    members of the same session may overlap, and fewer than the session's capacity.
    """
    duration = demand.duration_minutes * 60
    before = demand.buffer_before_minutes * 60
    after = demand.buffer_after_minutes * 60
    capacity = capacity_of(resource, demand)
    if capacity == 1:
        alone = _free_alone(opens, busy, duration, before, after, step, bounds)
        return alone, [1] * len(alone)
    starts: list[int] = sorted(busy.block_starts) if busy else []
    ends: list[int] = sorted(busy.block_ends) if busy else []
    is_session = _is_session(resource, demand)
    sessions: Counter[int] = Counter()
    if is_session and busy:
        sessions.update(busy.session_starts)
    n = len(starts)
    i = j = 0  # i: bookings blocked from before the candidate's end; j: ended before its start
    low, high = bounds
    found: list[int] = []
    left: list[int] = []
    # Comparisons rather than min()/max() below: this loop runs once per booking and per
    # working range, and a builtin call costs more than the comparison it makes.
    for span_start, span_end, anchor in opens:
        if span_end <= low:
            continue
        if span_start >= high:
            break
        first = span_start if span_start > low else low
        s = anchor + -(-(first - anchor) // step) * step  # first grid point at or after `first`
        last = span_end - duration
        if last >= high:
            last = high - 1
        while s <= last:
            lo, hi = s - before, s + duration + after
            while i < n and starts[i] < hi:
                i += 1
            while j < n and ends[j] <= lo:
                j += 1
            overlapping = i - j
            if is_session:
                members = sessions.get(s, 0)
                if overlapping == members and members < capacity:
                    found.append(s)
                    left.append(capacity - members)
                s += step
                continue
            # The count cannot change before the candidate reaches the next booking's block
            # or leaves the earliest one still overlapping: take that whole run of grid
            # points at once (this keeps the cost per booking, not per grid point).
            run_end = last
            if i < n and starts[i] - duration - after < run_end:
                run_end = starts[i] - duration - after
            if j < n and ends[j] + before - 1 < run_end:
                run_end = ends[j] + before - 1
            following = s + ((run_end - s) // step + 1) * step
            if overlapping < capacity:
                found.extend(range(s, following, step))
                left.extend(repeat(capacity - overlapping, (following - s) // step))
            s = following
    return found, left


def _free_alone(
    opens: Sequence[AnchoredSpan],
    busy: BusyTimes | None,
    duration: int,
    before: int,
    after: int,
    step: int,
    bounds: Span,
) -> list[int]:
    """`free_starts` of a resource that takes one appointment at a time (most workers).

    A start s is then free when no blocked interval [b, e) meets [s - before, s + duration +
    after), that is when s is outside the hole [b - duration - after + 1, e + before) of every
    booking: the grid points of each open span's allowed starts, minus the holes. About half
    the time of counting overlaps at each run of grid points (which capacities need).
    """
    low, high = bounds
    hole_starts, hole_ends = _holes(busy, duration + after - 1, before)
    n = len(hole_starts)
    h = 0  # the first hole not ending before the current span
    found: list[int] = []
    extend = found.extend
    for span_start, span_end, anchor in opens:
        if span_end <= low:
            continue
        if span_start >= high:
            break
        cursor = span_start if span_start > low else low
        end = span_end - duration + 1  # the appointment must end inside the span
        if end > high:
            end = high
        while h < n and hole_ends[h] <= cursor:
            h += 1
        k = h
        while cursor < end:
            stop = hole_starts[k] if k < n and hole_starts[k] < end else end
            if cursor < stop:
                s = anchor + -(-(cursor - anchor) // step) * step  # first grid point >= cursor
                if s < stop:
                    extend(range(s, stop, step))
            if stop == end:
                break
            cursor = hole_ends[k]
            k += 1
    return found


def _holes(busy: BusyTimes | None, lead: int, trail: int) -> tuple[list[int], list[int]]:
    """The union of [b - lead, e + trail) over the blocked intervals, as sorted, disjoint
    holes (their starts and their ends).

    With the starts and the ends sorted apart (two sorts of ints in C, not of pairs), the
    union has a gap after the k-th end exactly when that end comes before the (k+1)-th start;
    finding those k runs in C too (compress over map), which leaves little per booking to
    Python.
    """
    if not busy or not busy.block_starts:
        return [], []
    starts = sorted(busy.block_starts)
    ends = sorted(busy.block_ends)
    reach = lead + trail
    gaps = list(compress(range(len(starts) - 1), map(lt, [e + reach for e in ends], starts[1:])))
    hole_starts = [starts[0] - lead]
    hole_starts += [starts[k + 1] - lead for k in gaps]
    hole_ends = [ends[k] + trail for k in gaps]
    hole_ends.append(ends[-1] + trail)
    return hole_starts, hole_ends


def excluded(resource: ResourceSchedule, offered_by: frozenset[int] | None) -> bool:
    """Whether a worker does not offer the appointment type asked for."""
    return (
        resource.worker_id is not None
        and offered_by is not None
        and resource.worker_id not in offered_by
    )


# A free start: its epoch second, the free workers (in id order; empty for a department
# without workers) and how many more clients can book it.
FreeStart = tuple[int, tuple[int, ...], int]


def free_slot_starts(
    schedule: DepartmentSchedule,
    demand: Demand,
    window_from: datetime,
    window_until: datetime,
    offered_by: frozenset[int] | None = None,
    busy: Mapping[int | None, BusyTimes] | None = None,
) -> list[FreeStart]:
    """`find_free_slots` in epoch seconds, sorted by start: what a response is built from.

    `busy`, when given, stands for `schedule.bookings` (as `busy_times` groups them, with
    the session starts of `demand.appointment_type_id`): a store can read it directly.
    """
    if not schedule.configured or window_until <= window_from:
        return []
    if busy is None:
        busy = busy_times(schedule.bookings, demand.appointment_type_id)
    window = (epoch(window_from), epoch(window_until))
    frames = frames_for(schedule, window)
    closed = merge(closed_spans(schedule, frames))
    step = schedule.slot_interval_minutes * 60
    # Per start: the free workers and the places left. Resources are visited in worker order
    # so each start's list comes out sorted. The common case, workers offering one place
    # each, needs no count of places: it is the number of free workers. With tens of
    # thousands of (start, worker) pairs, that bookkeeping is most of the function's time.
    workers: defaultdict[int, list[int]] = defaultdict(list)
    places: Counter[int] = Counter()
    for resource in sorted(schedule.resources, key=_worker_order):
        if excluded(resource, offered_by):
            continue
        opens = open_spans(resource, frames, closed)
        found, left = free_starts(
            resource, opens, busy.get(resource.worker_id), demand, step, window
        )
        worker_id = resource.worker_id
        if worker_id is not None:
            for start in found:
                workers[start].append(worker_id)
        if worker_id is None or capacity_of(resource, demand) > 1:
            for start, places_left in zip(found, left, strict=True):
                places[start] += places_left
    if not places:
        return [(start, tuple(workers[start]), len(workers[start])) for start in sorted(workers)]
    free = []
    for start in sorted(workers.keys() | places.keys()):
        ids = tuple(workers.get(start, ()))
        free.append((start, ids, places.get(start) or len(ids)))
    return free


def slots_of(free: Iterable[FreeStart], demand: Demand) -> list[Slot]:
    duration = timedelta(minutes=demand.duration_minutes)
    slots = []
    for start, worker_ids, remaining in free:
        at = instant(start)
        slots.append(Slot(at, at + duration, worker_ids, remaining))
    return slots


def find_free_slots(
    schedule: DepartmentSchedule,
    demand: Demand,
    window_from: datetime,
    window_until: datetime,
    offered_by: frozenset[int] | None = None,
    busy: Mapping[int | None, BusyTimes] | None = None,
) -> list[Slot]:
    """The bookable starts in [window_from, window_until), each with the workers free for it.

    `offered_by` limits workers to those offering the appointment type (None: all). A
    department nobody configured hours for has no slot list (it accepts any future time).
    """
    free = free_slot_starts(schedule, demand, window_from, window_until, offered_by, busy)
    return slots_of(free, demand)


def _worker_order(resource: ResourceSchedule) -> int:
    return -1 if resource.worker_id is None else resource.worker_id


def contains(spans: Sequence[AnchoredSpan], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the sorted, disjoint `spans`."""
    k = bisect_left(spans, (start + 1,)) - 1
    return k >= 0 and spans[k][0] <= start and end <= spans[k][1]
