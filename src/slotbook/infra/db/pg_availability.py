"""PostgreSQL text of the free-slot read, run by pg_direct.PgDirect (a prepared statement).

It reads the appointments scheduling_statements' busy-times statement reads; a change to one
must be made to the other.
"""

from __future__ import annotations

from slotbook.domain.appointments import ACTIVE_STATUSES

_ACTIVE = ", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES)
_EPOCH = "floor(date_part('epoch', {}))::bigint"

# Per worker (NULL: the department's appointments without one), the blocked intervals and the
# starts of one appointment type's bookings as integer arrays: a list of ints per worker
# instead of a row and a Booking per appointment (50 rows for 10,000 appointments).
_BUSY_TIMES = f"""
SELECT worker_id,
       array_agg({_EPOCH.format("blocked_from")}),
       array_agg({_EPOCH.format("blocked_until")}),
       array_agg({_EPOCH.format("starts_at")})
           FILTER (WHERE appointment_type_id = %(session_type)s::integer)
FROM appointment
WHERE organization_id = %(org)s AND status IN ({_ACTIVE})
  AND blocked_from < %(until)s AND blocked_from > %(earliest)s AND blocked_until > %(since)s
  AND ({{owner}})
GROUP BY worker_id
"""
_UNASSIGNED = "worker_id IS NULL AND department_id = %(department_id)s"
BUSY_TIMES = {
    False: _BUSY_TIMES.format(owner=_UNASSIGNED),
    True: _BUSY_TIMES.format(
        owner=f"worker_id = ANY(%(worker_ids)s::integer[]) OR ({_UNASSIGNED})"
    ),
}
