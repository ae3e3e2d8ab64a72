"""The schema as SQLAlchemy Core tables; Alembic revisions are the only way it is created."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
    true,
)

from slotbook.domain.appointments import ACTIVE_STATUSES
from slotbook.infra.db.integration_tables import event_sequence as event_sequence
from slotbook.infra.db.integration_tables import idempotency_key as idempotency_key
from slotbook.infra.db.integration_tables import outbox_event as outbox_event
from slotbook.infra.db.integration_tables import webhook_attempt as webhook_attempt
from slotbook.infra.db.integration_tables import webhook_delivery as webhook_delivery
from slotbook.infra.db.integration_tables import webhook_endpoint as webhook_endpoint
from slotbook.infra.db.schema_base import UTCDateTime as UTCDateTime
from slotbook.infra.db.schema_base import log_references, tenant_referable, tenant_reference
from slotbook.infra.db.schema_base import metadata as metadata

# The partial listing indexes of the appointment table (after organization_id).
LISTING_INDEXES: dict[str, tuple[str, ...]] = {
    "org_starts": ("starts_at", "id"),
    "org_external_user": ("external_user_id", "starts_at"),
    "org_department_starts": ("department_id", "starts_at"),
    "org_status_starts": ("status", "starts_at"),
    "org_worker_starts": ("worker_id", "starts_at", "id"),
    "org_worker_urgent_starts": ("worker_id", "is_urgent", "starts_at", "id"),
    "org_client_starts": ("client_id", "starts_at"),
    "org_patient_starts": ("patient_id", "starts_at"),
    "org_appointment_type_starts": ("appointment_type_id", "starts_at"),
    "org_created": ("created_at", "id"),
}
# Text columns searched with q[]=field:~text (ILIKE '%text%'): GIN indexes on (worker_id, the
# column's trigrams), PostgreSQL only (revision 0006, extensions pg_trgm and btree_gin).
TRIGRAM_COLUMNS = ("name", "external_user_id", "notes", "reason", "source")
# Columns most bookings leave empty: their indexes hold only the rows that have a value
# (revision 0011), so a booking without one does not update them. Every query on them
# compares the column (col = x, col ILIKE x, ...), which implies it is not null, so the
# planners of both databases still use them.
SPARSE_COLUMNS = frozenset(
    {
        "external_user_id",
        "client_id",
        "patient_id",
        "appointment_type_id",
        "notes",
        "reason",
        "source",
        "repeated_from_id",
        "cancel_token",
    }
)


def only_set(column: str, where: str = "") -> str:
    """An index's predicate: `where`, and the column not null when it is a sparse one."""
    terms = [where] if where else []
    if column in SPARSE_COLUMNS:
        terms.append(f"{column} IS NOT NULL")
    return " AND ".join(terms)


# Every column the free-slot read of SQLite touches, grouped by worker (revision 0009).
BUSY_INDEX_COLUMNS = (
    "organization_id",
    "worker_id",
    "blocked_from",
    "blocked_until",
    "starts_at",
    "appointment_type_id",
    "department_id",
)

_ACTIVE_STATUSES = "status IN (" + ", ".join(f"'{a.value}'" for a in sorted(ACTIVE_STATUSES)) + ")"


organization = Table(
    "organization",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", Uuid, nullable=False, default=uuid.uuid4),  # public id (revision 0007)
    Column("name", String(200), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("credits", Integer, nullable=False, server_default="0"),
    # credits.low is sent when a debit takes the balance below this (None: never).
    Column("credits_low_threshold", Integer),
    Column("created_at", UTCDateTime, nullable=False),
    # Changes of the organization's agenda, counted so each process may cache it (0013).
    Column("agenda_version", BigInteger, nullable=False, server_default="0"),
    # The booking page's branding (0017): "#rrggbb", and a small PNG/JPEG/WebP with its type.
    Column("accent_color", String(7)),
    Column("logo", LargeBinary),
    Column("logo_type", String(32)),
    CheckConstraint("credits >= 0", name="credits_not_negative"),
)

department = Table(
    "department",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", Uuid, nullable=False, default=uuid.uuid4),  # public id (revision 0007)
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("description", Text),
    Column("show_admins_in_booking", Boolean, nullable=False, server_default=false()),
    Column("time_zone", String(64)),  # None: the organization's
    Column("created_at", UTCDateTime, nullable=False),
    # Scheduling (revision 0002): the slot grid, counters for bookings without a worker, and
    # the booking policy (NULL: that rule is off).
    Column("slot_interval_minutes", Integer, nullable=False, server_default="30"),
    Column("slot_capacity", Integer, nullable=False, server_default="1"),
    Column("max_upcoming_per_client", Integer),
    Column("min_minutes_between_client_appointments", Integer),
    Column("max_advance_days", Integer),
    Column("min_notice_minutes", Integer),
    Column("min_cancel_notice_minutes", Integer),
    Column("no_show_limit", Integer),  # None: no limit
    Column("no_show_window_days", Integer, nullable=False, server_default="90"),
    # Revision 0007: reminder offsets in minutes before the start, comma-separated ("" = none);
    # the public booking page switch; the secret of the department's calendar feed.
    Column("reminder_offsets", String(200), nullable=False, server_default="1440"),
    Column("booking_page_enabled", Boolean, nullable=False, server_default=true()),
    Column("calendar_token", String(64)),
    # Revision 0013: takes any future time, whatever the hours say.
    Column("always_open", Boolean, nullable=False, server_default=false()),
    # Revision 0018: how long a waitlist offer holds its time.
    Column("waitlist_offer_minutes", Integer, nullable=False, server_default="30"),
    # Revision 0017: where visitors go, shown on the booking page's confirmation.
    Column("address", Text),
    Column("directions", Text),
    Index("uq_department_calendar_token", "calendar_token", unique=True),
    # What an appointment's foreign key refers to on PostgreSQL (revision 0010).
    tenant_referable("department"),
)

worker = Table(
    "worker",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", Uuid, nullable=False, default=uuid.uuid4),  # public id (revision 0007)
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("calendar_token", String(64)),  # secret of the worker's calendar feed (0007)
    Index("uq_worker_calendar_token", "calendar_token", unique=True),
    tenant_referable("worker"),
)

department_worker = Table(
    "department_worker",
    metadata,
    Column("department_id", Integer, primary_key=True),
    Column("worker_id", Integer, primary_key=True),
    # Revision 0016 (expand): every writer sets it; NOT NULL comes with the contract step.
    Column("organization_id", Integer),
    *tenant_reference("department_worker", "department_id", "department"),
    *tenant_reference("department_worker", "worker_id", "worker"),
)

api_key = Table(
    "api_key",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("scopes", Text, nullable=False),  # comma-separated
    Column("rate_limit_per_hour", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
    Column("expires_at", UTCDateTime),
    tenant_referable("api_key"),
)

client = Table(
    "client",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", Uuid, nullable=False, default=uuid.uuid4),  # public id (revision 0007)
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("name", String(200)),  # every personal column is None once erased
    Column("email", String(254)),  # lower case; unique in the organization
    Column("phone", String(64)),
    Column("second_phone", String(64)),
    Column("external_user_id", String(255)),
    Column("notes", Text),
    Column("no_show_count", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("erased_at", UTCDateTime),
    UniqueConstraint("organization_id", "email", name="uq_client_organization_email"),
    Index("ix_client_org_id", "organization_id", "id"),
    Index("ix_client_org_external_user", "organization_id", "external_user_id"),
    tenant_referable("client"),
)

patient = Table(
    "patient",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", Uuid, nullable=False, default=uuid.uuid4),  # public id (revision 0007)
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("client_id", Integer, nullable=False),
    Column("name", String(200)),
    Column("species", String(100)),
    Column("birth_date", Date),
    Column("notes", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_patient_org_client", "organization_id", "client_id", "id"),
    *tenant_reference("patient", "client_id", "client"),
    tenant_referable("patient"),
)

appointment = Table(
    "appointment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", Uuid, nullable=False, default=uuid.uuid4),  # public id (revision 0007)
    Column("organization_id", Integer, nullable=False),
    Column("department_id", Integer, nullable=False),
    Column("worker_id", Integer),
    Column("name", String(200), nullable=False),
    Column("external_user_id", String(255)),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("qr_token", String(64), nullable=False, unique=True),
    Column("created_by_key_id", Integer),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("cancelled_at", UTCDateTime),
    # Scheduling (revision 0002). blocked_* is the time the worker is held, buffers included;
    # the overlap guard (exclusion constraint / triggers) works on it. Members of one group
    # session share a session_key and may overlap; every other appointment has its own.
    Column("ends_at", UTCDateTime, nullable=False),
    Column("appointment_type_id", Integer),
    Column("blocked_from", UTCDateTime, nullable=False),
    Column("blocked_until", UTCDateTime, nullable=False),
    Column("session_key", String(64), nullable=False),
    # Lifecycle (revision 0003): client and patient, details, version, attendance, series.
    Column("client_id", Integer),
    Column("patient_id", Integer),
    Column("notes", Text),
    Column("reason", Text),
    Column("is_urgent", Boolean, nullable=False, server_default=false()),
    Column("source", String(255)),
    Column("from_web", Boolean, nullable=False, server_default=true()),
    Column("telehealth_url", String(2048)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("arrived_at", UTCDateTime),
    Column("archived_at", UTCDateTime),
    Column("cancellation_reason", Integer),
    Column("cancellation_note", Text),
    Column("repeated_from_id", Integer),
    # Revision 0007: reminders sent, and the private cancel token (set when first needed).
    Column("email_reminder_sent", Boolean, nullable=False, server_default=false()),
    Column("sms_reminder_sent", Boolean, nullable=False, server_default=false()),
    Column("cancel_token", String(64)),
    Index(
        "uq_appointment_cancel_token",
        "cancel_token",
        unique=True,
        postgresql_where=text(only_set("cancel_token")),
        sqlite_where=text(only_set("cancel_token")),
    ),
    # Lists hide archived appointments by default, so the listing indexes are partial on
    # "not archived": their counts are index-only scans.
    *(
        Index(
            f"ix_appointment_{name}",
            "organization_id",
            *columns,
            postgresql_where=text(only_set(columns[0], "archived_at IS NULL")),
            sqlite_where=text(only_set(columns[0], "archived_at IS NULL")),
        )
        for name, columns in LISTING_INDEXES.items()
    ),
    *(
        Index(
            f"ix_appointment_{name}_trgm",
            "worker_id",
            name,
            postgresql_using="gin",
            postgresql_ops={name: "gin_trgm_ops"},
            postgresql_where=text(only_set(name, "archived_at IS NULL")),
        ).ddl_if(dialect="postgresql")
        for name in TRIGRAM_COLUMNS
    ),
    # Only the archived ones: the other reads of appointments ask for "not archived".
    Index(
        "ix_appointment_org_archived",
        "organization_id",
        "archived_at",
        postgresql_where=text("archived_at IS NOT NULL"),
        sqlite_where=text("archived_at IS NOT NULL"),
    ),
    Index(
        "ix_appointment_repeated_from",
        "repeated_from_id",
        "starts_at",
        postgresql_where=text(only_set("repeated_from_id")),
        sqlite_where=text(only_set("repeated_from_id")),
    ),
    Index("ix_appointment_worker_blocked", "worker_id", "blocked_from"),
    # The overlap read's other branch, a department's active appointments without a worker
    # (revision 0014): without it that branch walked the whole exclusion-constraint index.
    Index(
        "ix_appointment_unassigned_blocked",
        "department_id",
        "blocked_from",
        postgresql_where=text(f"worker_id IS NULL AND {_ACTIVE_STATUSES}"),
        sqlite_where=text(f"worker_id IS NULL AND {_ACTIVE_STATUSES}"),
    ),
    # A client's active appointments, read by every booking (revision 0008).
    *(
        Index(
            f"ix_appointment_active_{name}",
            "organization_id",
            column,
            "ends_at",
            postgresql_where=text(only_set(column, _ACTIVE_STATUSES)),
            sqlite_where=text(only_set(column, _ACTIVE_STATUSES)),
        )
        for name, column in (("external_user", "external_user_id"), ("client", "client_id"))
    ),
    # The free-slot read (busy_times) on SQLite, by worker in index order and without a visit
    # to the table (revision 0009). PostgreSQL reads them its own way and skips the upkeep.
    Index(
        "ix_appointment_active_busy",
        *BUSY_INDEX_COLUMNS,
        sqlite_where=text(_ACTIVE_STATUSES),
    ).ddl_if(dialect="sqlite"),
    # The organization and department: on PostgreSQL one key to the department, which also
    # holds the appointment to its department's organization (revision 0010: a key to the
    # organization's row, which every booking updates, cost each booking a multixact).
    ForeignKeyConstraint(
        ["organization_id", "department_id"],
        ["department.organization_id", "department.id"],
        name="fk_appointment_department_organization",
    ).ddl_if(dialect="postgresql"),
    ForeignKeyConstraint(
        ["organization_id"],
        ["organization.id"],
        name="fk_appointment_organization_id_organization",
    ).ddl_if(dialect="sqlite"),
    ForeignKeyConstraint(
        ["department_id"], ["department.id"], name="fk_appointment_department_id_department"
    ).ddl_if(dialect="sqlite"),
    # Its other references, within its organization on PostgreSQL (revision 0016).
    *tenant_reference("appointment", "worker_id", "worker"),
    *tenant_reference("appointment", "appointment_type_id", "appointment_type"),
    *tenant_reference("appointment", "created_by_key_id", "api_key"),
    *tenant_reference("appointment", "client_id", "client"),
    *tenant_reference("appointment", "patient_id", "patient"),
    *tenant_reference("appointment", "repeated_from_id", "appointment"),
    tenant_referable("appointment"),
)

# Which reminder offsets of an appointment were handled, so each is sent once (revision 0007).
appointment_reminder = Table(
    "appointment_reminder",
    metadata,
    Column("appointment_id", Integer, primary_key=True),
    Column("offset_minutes", Integer, primary_key=True),
    Column("sent_at", UTCDateTime, nullable=False),
    Column("organization_id", Integer),  # revision 0016 (expand), as department_worker's
    *tenant_reference("appointment_reminder", "appointment_id", "appointment", "CASCADE"),
)

credit_ledger = Table(
    "credit_ledger",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", Integer, nullable=False),
    Column("delta", Integer, nullable=False),
    Column("balance_after", Integer, nullable=False),
    Column("reason", String(16), nullable=False),
    Column("appointment_id", Integer),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("balance_after >= 0", name="balance_after_not_negative"),
    Index("ix_credit_ledger_org_id", "organization_id", "id"),
    *log_references("organization_id", "appointment_id"),
)


# --- Scheduling (revision 0002) ---------------------------------------------------------------

working_hours = Table(
    "working_hours",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    # A worker's hours (department NULL: in all their departments, or one department only),
    # or a department's own opening hours (worker NULL).
    Column("worker_id", Integer),
    Column("department_id", Integer),
    Column("weekday", Integer, nullable=False),  # 0 = Monday
    Column("start_minute", Integer, nullable=False),
    Column("end_minute", Integer, nullable=False),
    CheckConstraint("worker_id IS NOT NULL OR department_id IS NOT NULL", name="has_owner"),
    CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
    CheckConstraint(
        "start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440",
        name="minutes_range",
    ),
    Index("ix_working_hours_org_worker", "organization_id", "worker_id"),
    Index("ix_working_hours_org_department", "organization_id", "department_id"),
    *tenant_reference("working_hours", "worker_id", "worker"),
    *tenant_reference("working_hours", "department_id", "department"),
)

schedule_exception = Table(
    "schedule_exception",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("worker_id", Integer),
    Column("department_id", Integer),
    Column("kind", String(16), nullable=False),  # TIME_OFF | EXTRA_HOURS
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("reason", String(255)),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("worker_id IS NOT NULL OR department_id IS NOT NULL", name="has_owner"),
    CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
    Index("ix_schedule_exception_org_worker", "organization_id", "worker_id", "starts_at"),
    *tenant_reference("schedule_exception", "worker_id", "worker"),
    *tenant_reference("schedule_exception", "department_id", "department"),
)

closure = Table(
    "closure",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("department_id", Integer, nullable=False),
    Column("day", Date, nullable=False),
    Column("reason", String(255)),
    # Also the index of a department's closures (revision 0016 made the index unique).
    UniqueConstraint(
        "organization_id", "department_id", "day", name="uq_closure_org_department_day"
    ),
    *tenant_reference("closure", "department_id", "department"),
)

appointment_type = Table(
    "appointment_type",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", Uuid, nullable=False, default=uuid.uuid4),  # public id (revision 0007)
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("department_id", Integer),  # NULL: every department
    Column("name", String(200), nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    Column("buffer_before_minutes", Integer, nullable=False, server_default="0"),
    Column("buffer_after_minutes", Integer, nullable=False, server_default="0"),
    Column("capacity", Integer),  # clients per group session; NULL: one
    Column("created_at", UTCDateTime, nullable=False),
    Column("archived_at", UTCDateTime),
    CheckConstraint("duration_minutes > 0", name="duration_positive"),
    *tenant_reference("appointment_type", "department_id", "department"),
    tenant_referable("appointment_type"),
)

appointment_type_worker = Table(
    "appointment_type_worker",
    metadata,
    Column("appointment_type_id", Integer, primary_key=True),
    Column("worker_id", Integer, primary_key=True),
    Column("organization_id", Integer),  # revision 0016 (expand), as department_worker's
    *tenant_reference("appointment_type_worker", "appointment_type_id", "appointment_type"),
    *tenant_reference("appointment_type_worker", "worker_id", "worker"),
)


# --- Dashboard (revision 0005) ---------------------------------------------------------------

dashboard_user = Table(
    "dashboard_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False, index=True),
    Column("email", String(254), nullable=False, unique=True),  # lower-cased
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime),
    Column("last_login_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('owner', 'staff')", name="role_known"),
    tenant_referable("dashboard_user"),
)

dashboard_session = Table(
    "dashboard_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("user_id", Integer, nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
    *tenant_reference("dashboard_session", "user_id", "dashboard_user", "CASCADE"),
)


# Append-only: database triggers refuse UPDATE and DELETE (see revision 0003).
appointment_event = Table(
    "appointment_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", Integer, nullable=False),
    Column("appointment_id", Integer, nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor", String(16), nullable=False),
    Column("api_key_id", Integer),
    Column("changes", Text, nullable=False),  # JSON: {"values": {...}, "personal": [...]}
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_appointment_event_org_appointment", "organization_id", "appointment_id", "id"),
    *log_references("organization_id", "appointment_id", "api_key_id"),
)


# --- Waitlist (revision 0018) -----------------------------------------------------------------

_WAITING = "status = 'WAITING'"
_ACTIVE_ENTRY = "status IN ('OFFERED', 'WAITING')"
_OPEN = "status = 'OPEN'"

waitlist_entry = Table(
    "waitlist_entry",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("department_id", Integer, nullable=False),
    Column("appointment_type_id", Integer),  # None: any type
    Column("worker_id", Integer),  # None: any worker
    Column("client_id", Integer),
    Column("external_user_id", String(255)),
    Column("name", String(200), nullable=False),
    # The window: local dates (both included), weekdays as a bit mask (bit 0 = Monday, 0 =
    # any), times of day as "start-end" minutes ("" = any), and the instant it has passed.
    Column("earliest", Date, nullable=False),
    Column("latest", Date, nullable=False),
    Column("weekdays", Integer, nullable=False, server_default="0"),
    Column("times_of_day", String(200), nullable=False, server_default=""),
    Column("closes_at", UTCDateTime, nullable=False),
    Column("priority", Integer, nullable=False, server_default="0"),  # set by staff
    Column("status", String(16), nullable=False),
    Column("appointment_id", Integer),  # the booking, once BOOKED
    Column("joined_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # The queue a freed time is matched against, in its order.
    Index(
        "ix_waitlist_entry_queue",
        "organization_id",
        "department_id",
        text("priority DESC"),
        "id",
        postgresql_where=text(_WAITING),
        sqlite_where=text(_WAITING),
    ),
    Index("ix_waitlist_entry_org_department", "organization_id", "department_id", "id"),
    # The sweep's read of windows that have passed (all organizations).
    Index(
        "ix_waitlist_entry_closes",
        "closes_at",
        postgresql_where=text(_WAITING),
        sqlite_where=text(_WAITING),
    ),
    # One active entry per client (by record or by externalUserId) per department and type.
    *(
        Index(
            f"uq_waitlist_entry_active_{name}",
            "organization_id",
            "department_id",
            text("coalesce(appointment_type_id, 0)"),
            column,
            unique=True,
            postgresql_where=text(f"{_ACTIVE_ENTRY} AND {column} IS NOT NULL"),
            sqlite_where=text(f"{_ACTIVE_ENTRY} AND {column} IS NOT NULL"),
        )
        for name, column in (("client", "client_id"), ("external_user", "external_user_id"))
    ),
    ForeignKeyConstraint(
        ["organization_id", "department_id"],
        ["department.organization_id", "department.id"],
        name="fk_waitlist_entry_department_organization",
    ).ddl_if(dialect="postgresql"),
)

# An offer of a freed time to one entry. While OPEN, its time is held by an appointment row
# of status HELD (hold_id), which the overlap guard treats like a booking (docs/waitlist.md).
waitlist_offer = Table(
    "waitlist_offer",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), nullable=False),
    Column("department_id", Integer, nullable=False),
    Column("entry_id", Integer, nullable=False),
    Column("worker_id", Integer, nullable=False),
    Column("appointment_type_id", Integer),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("blocked_from", UTCDateTime, nullable=False),
    Column("blocked_until", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("token", String(64), nullable=False),  # the private accept link's secret
    Column("hold_id", Integer),  # the HELD appointment row, while OPEN
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("notified_at", UTCDateTime),  # e-mail/SMS claimed by the worker
    Index("uq_waitlist_offer_token", "token", unique=True),
    Index("ix_waitlist_offer_org_entry", "organization_id", "entry_id", "id"),
    # At most one open offer per entry.
    Index(
        "uq_waitlist_offer_open_entry",
        "organization_id",
        "entry_id",
        unique=True,
        postgresql_where=text(_OPEN),
        sqlite_where=text(_OPEN),
    ),
    # The sweep's read of lapsed offers (all organizations), and the held times a free-slot
    # search leaves out.
    Index(
        "ix_waitlist_offer_open_expires",
        "expires_at",
        postgresql_where=text(_OPEN),
        sqlite_where=text(_OPEN),
    ),
    Index(
        "ix_waitlist_offer_open_worker",
        "organization_id",
        "worker_id",
        "blocked_from",
        postgresql_where=text(_OPEN),
        sqlite_where=text(_OPEN),
    ),
    Index(
        "ix_waitlist_offer_unnotified",
        "created_at",
        postgresql_where=text("notified_at IS NULL"),
        sqlite_where=text("notified_at IS NULL"),
    ),
)
