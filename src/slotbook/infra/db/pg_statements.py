"""PostgreSQL text of the booking path's statements, run by pg_direct.PgDirect.

Each one does what the SQLAlchemy statement it replaces on PostgreSQL does (SQLite keeps those);
a change to the tables they touch must be made here too. Several are folded into one statement
where the original needed a round trip per table: the debit writes its ledger row, and the
outbox event takes its change-feed position and queues its webhook deliveries.
"""

from __future__ import annotations

from slotbook.domain.appointments import ACTIVE_STATUSES
from slotbook.domain.events import DeliveryStatus
from slotbook.infra.db.scheduling_statements import _POLICY_COLUMNS

_ACTIVE = ", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES)

# The department as the booking reads it, with its scheduling settings, its workers and the
# weekly hours of both (JSON text, parsed with orjson): departments.get, scheduling.settings,
# department_workers and hours of one booking share this one read. It also tells whether the
# organization watches its balance (a credits.low threshold is set). When the first parameter
# is true it also takes the id of the appointment the booking will insert (NEXT_APPOINTMENT_ID).
DEPARTMENT = f"""
SELECT d.id, d.organization_id, o.name, d.name, d.description, d.show_admins_in_booking,
       d.time_zone, o.time_zone, d.no_show_limit, d.no_show_window_days,
       d.slot_interval_minutes, d.slot_capacity, d.uuid, d.booking_page_enabled,
       o.credits_low_threshold IS NOT NULL, d.always_open,
       {", ".join(f"d.{c}" for c in _POLICY_COLUMNS)},
       (SELECT coalesce(json_agg(json_build_array(w.id, w.name, w.uuid) ORDER BY w.id), '[]')
        FROM worker w JOIN department_worker dw ON dw.worker_id = w.id
        WHERE w.organization_id = d.organization_id AND dw.department_id = d.id)::text,
       (SELECT coalesce(json_agg(json_build_array(
                   h.worker_id, h.weekday, h.start_minute, h.end_minute)), '[]')
        FROM working_hours h
        WHERE h.organization_id = d.organization_id
          AND ((h.worker_id IS NULL AND h.department_id = d.id)
               OR (h.worker_id IN (
                       SELECT w.id FROM worker w JOIN department_worker dw ON dw.worker_id = w.id
                       WHERE w.organization_id = d.organization_id AND dw.department_id = d.id)
                   AND (h.department_id IS NULL OR h.department_id = d.id))))::text,
       CASE WHEN %s THEN nextval('appointment_id_seq') END
FROM department d JOIN organization o ON o.id = d.organization_id
WHERE d.organization_id = %s AND d.id = %s
"""

WORKERS = """
SELECT w.id, w.name, w.uuid FROM worker w JOIN department_worker dw ON dw.worker_id = w.id
WHERE w.organization_id = %s AND dw.department_id = %s ORDER BY w.id
"""

HOURS = """
SELECT worker_id, weekday, start_minute, end_minute FROM working_hours
WHERE organization_id = %(org)s
  AND ((worker_id IS NULL AND department_id = %(department_id)s)
       OR (worker_id = ANY(%(worker_ids)s::integer[])
           AND (department_id IS NULL OR department_id = %(department_id)s)))
"""

ADVISORY_LOCK = "SELECT pg_advisory_xact_lock(%s, %s)"

HAS_WORKER = "SELECT 1 FROM department_worker WHERE department_id = %s AND worker_id = %s"

# Booking.of_epochs' columns.
_BOOKING_COLUMNS = """id, worker_id, floor(date_part('epoch', starts_at))::bigint,
       floor(date_part('epoch', ends_at))::bigint, floor(date_part('epoch', blocked_from))::bigint,
       floor(date_part('epoch', blocked_until))::bigint, appointment_type_id, external_user_id,
       department_id"""

# A client's active appointments, by the identities it is known by (externalUserId, client
# record, or both), keyed by which are given. One statement per case: on a table without
# statistics (never analysed) a prepared statement's generic plan for `external_user_id = $1
# OR client_id = $2` scans every active appointment of the organization, where each case
# alone uses its partial index (revision 0008).
_CLIENT_IDENTITY = {
    (True, False): "external_user_id = %(external_user_id)s::text",
    (False, True): "client_id = %(client_id)s::integer",
    (True, True): (
        "(external_user_id = %(external_user_id)s::text OR client_id = %(client_id)s::integer)"
    ),
}
CLIENT_BOOKINGS = {
    known: f"""
SELECT {_BOOKING_COLUMNS} FROM appointment
WHERE organization_id = %(org)s AND {identity}
  AND status IN ({_ACTIVE}) AND ends_at > %(since)s
"""
    for known, identity in _CLIENT_IDENTITY.items()
}

# The active appointments whose blocked time meets [since, until): of the given workers and
# of the department's unassigned ones (scheduling_statements._bookings_statement).
_BOOKINGS = f"""
SELECT {_BOOKING_COLUMNS} FROM appointment
WHERE organization_id = %(org)s AND status IN ({_ACTIVE})
  AND blocked_from < %(until)s AND blocked_from > %(earliest)s AND blocked_until > %(since)s
  AND id <> %(exclude)s AND ({{owner}})
"""
_UNASSIGNED = "worker_id IS NULL AND department_id = %(department_id)s"
BOOKINGS = {
    False: _BOOKINGS.format(owner=_UNASSIGNED),
    True: _BOOKINGS.format(owner=f"worker_id = ANY(%(worker_ids)s::integer[]) OR ({_UNASSIGNED})"),
}

# The id of the next appointment, taken before its INSERT (sent with the commit) so that the
# answer, its history entry and its event can carry it.
NEXT_APPOINTMENT_ID = "SELECT nextval('appointment_id_seq')"

# The appointment's columns as a booking inserts them, with their types.
_INSERTED = (
    ("id", "integer"),
    ("uuid", "uuid"),
    ("organization_id", "integer"),
    ("department_id", "integer"),
    ("worker_id", "integer"),
    ("name", "text"),
    ("external_user_id", "text"),
    ("starts_at", "timestamptz"),
    ("status", "text"),
    ("qr_token", "text"),
    ("created_by_key_id", "integer"),
    ("created_at", "timestamptz"),
    ("updated_at", "timestamptz"),
    ("ends_at", "timestamptz"),
    ("appointment_type_id", "integer"),
    ("blocked_from", "timestamptz"),
    ("blocked_until", "timestamptz"),
    ("session_key", "text"),
    ("client_id", "integer"),
    ("patient_id", "integer"),
    ("notes", "text"),
    ("reason", "text"),
    ("is_urgent", "boolean"),
    ("source", "text"),
    ("from_web", "boolean"),
    ("telehealth_url", "text"),
    ("repeated_from_id", "integer"),
    ("cancel_token", "text"),
)
_INSERTED_NAMES = ", ".join(name for name, _ in _INSERTED)

INSERT_APPOINTMENT = f"""
INSERT INTO appointment ({_INSERTED_NAMES})
VALUES ({", ".join("%s" for _ in _INSERTED)})
"""

# A booking group's appointments (infra/db/group_writes.py): INSERT_APPOINTMENT of several
# bookings as one statement, each parameter the list of the bookings' values for one column.
GROUP_INSERT_APPOINTMENTS = f"""
INSERT INTO appointment ({_INSERTED_NAMES})
SELECT * FROM unnest({", ".join(f"%s::{kind}[]" for _, kind in _INSERTED)})
"""


# A booking's debit and its ledger row, sent with the commit. Unconditional: the CHECK
# constraint ck_organization_credits_not_negative refuses a balance below zero, which aborts
# the transaction (the unit of work turns that into INSUFFICIENT_CREDITS). So the organization
# row is locked only while the commit's round trip runs, not while Python works in between.
def _debit(amount: str) -> str:
    """An unconditional debit of the organization's row by `amount`, then the head of the
    INSERT of its ledger rows, which select from `changed` (the balance after the debit)."""
    return f"""
WITH changed AS (
    UPDATE organization SET credits = credits - {amount}::integer WHERE id = %(org)s
    RETURNING credits
)
INSERT INTO credit_ledger
    (organization_id, delta, balance_after, reason, appointment_id, created_at)"""


SPEND_CREDITS = f"""{_debit("%(cost)s")}
SELECT %(org)s, -%(cost)s::integer, credits, %(reason)s, %(appointment_id)s::integer, %(now)s
FROM changed
"""

# A booking group's debits (infra/db/group_writes.py): SPEND_CREDITS of several bookings as
# one update of the organization's row, and their ledger rows in the bookings' order, each with
# the balance after it (`later`: what the bookings after it spend).
GROUP_SPEND_CREDITS = f"""{_debit("%(total)s")}
SELECT %(org)s, -spend.cost, changed.credits + spend.later, spend.reason, spend.appointment_id,
       spend.at
FROM changed, unnest(%(costs)s::integer[], %(later)s::integer[], %(reasons)s::text[],
                     %(appointment_ids)s::integer[], %(ats)s::timestamptz[])
     WITH ORDINALITY AS spend (cost, later, reason, appointment_id, at, n)
ORDER BY spend.n
"""

# The conditional debit (never below zero; it row-locks the organization) and its ledger row.
CHANGE_CREDITS = """
WITH changed AS (
    UPDATE organization SET credits = credits + %(delta)s::integer
    WHERE id = %(org)s AND credits + %(delta)s::integer >= 0
    RETURNING credits, credits_low_threshold
), entry AS (
    INSERT INTO credit_ledger
        (organization_id, delta, balance_after, reason, appointment_id, created_at)
    SELECT %(org)s, %(delta)s::integer, credits, %(reason)s, %(appointment_id)s::integer,
           %(now)s
    FROM changed
)
SELECT credits, credits_low_threshold FROM changed
"""

_HISTORY_INSERT = """
INSERT INTO appointment_event
    (organization_id, appointment_id, action, actor, api_key_id, changes, created_at)"""

HISTORY_ENTRY = f"""{_HISTORY_INSERT}
VALUES (%s, %s, %s, %s, %s, %s, %s)
"""

# A booking group's history entries (HISTORY_ENTRY of several bookings), in the bookings' order.
GROUP_HISTORY_ENTRIES = f"""{_HISTORY_INSERT}
SELECT * FROM unnest(%s::integer[], %s::integer[], %s::text[], %s::text[], %s::integer[],
                     %s::text[], %s::timestamptz[])
"""


# An event takes the next position of its organization's counter (row-locked until the
# commit: infra/db/outbox.py), and a delivery per active endpoint subscribed to its type. Its
# data is the one row of `source`, if any.
def _event(source: str) -> str:
    return f"""
WITH source (data) AS ({source}
), position AS (
    INSERT INTO event_sequence (organization_id, last_position) SELECT %(org)s, 1 FROM source
    ON CONFLICT (organization_id)
    DO UPDATE SET last_position = event_sequence.last_position + 1
    RETURNING last_position
), event AS (
    INSERT INTO outbox_event (organization_id, position, public_id, type, data, occurred_at)
    SELECT %(org)s, last_position, %(public_id)s, %(type)s::text, data, %(now)s
    FROM position, source
    RETURNING id
)
INSERT INTO webhook_delivery
    (organization_id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
SELECT %(org)s, endpoint.id, event.id, '{DeliveryStatus.PENDING.value}', 0, %(now)s, %(now)s
FROM event JOIN webhook_endpoint endpoint
  ON endpoint.organization_id = %(org)s AND endpoint.active
 AND %(type)s::text = ANY(string_to_array(endpoint.events, ','))
"""


OUTBOX_EVENT = _event("SELECT %(data)s::text")


# credits.low when the debits since the last check (`spent`) took the balance from at or above
# the threshold to under it: domain.credits.fell_below, with the data of
# domain.credits.low_balance_data written the way orjson writes it. Nothing is written when the
# threshold was not crossed.
LOW_CREDITS_EVENT = _event("""
    SELECT format('{"credits":{"balance":%%s,"threshold":%%s}}', credits, credits_low_threshold)
    FROM organization
    WHERE id = %(org)s AND credits_low_threshold IS NOT NULL
      AND credits + %(spent)s::integer >= credits_low_threshold
      AND credits_low_threshold > credits""")


# A booking group's events (OUTBOX_EVENT of several bookings): one step of the organization's
# counter for all of them, their positions in the bookings' order, and their deliveries.
GROUP_OUTBOX_EVENTS = f"""
WITH source AS (
    SELECT * FROM unnest(%(public_ids)s::text[], %(types)s::text[], %(data)s::text[],
                         %(ats)s::timestamptz[])
         WITH ORDINALITY AS source (public_id, type, data, at, n)
), position AS (
    INSERT INTO event_sequence (organization_id, last_position)
    VALUES (%(org)s, %(count)s::integer)
    ON CONFLICT (organization_id)
    DO UPDATE SET last_position = event_sequence.last_position + %(count)s::integer
    RETURNING last_position
), event AS (
    INSERT INTO outbox_event (organization_id, position, public_id, type, data, occurred_at)
    SELECT %(org)s, last_position - %(count)s::integer + source.n, source.public_id,
           source.type, source.data, source.at
    FROM position, source
    ORDER BY source.n
    RETURNING id, type, occurred_at
)
INSERT INTO webhook_delivery
    (organization_id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
SELECT %(org)s, endpoint.id, event.id, '{DeliveryStatus.PENDING.value}', 0, event.occurred_at,
       event.occurred_at
FROM event JOIN webhook_endpoint endpoint
  ON endpoint.organization_id = %(org)s AND endpoint.active
 AND event.type = ANY(string_to_array(endpoint.events, ','))
ORDER BY event.id, endpoint.id
"""
