"""Settings from the environment (prefix SLOTBOOK_) or a .env file."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SLOTBOOK_", env_file=".env", extra="ignore")

    # sqlite:///./slotbook.db (embedded default) or postgresql://user@host:5432/db
    database_url: str = "sqlite:///./slotbook.db"
    # Shared rate-limit counters for several processes; in-process counters when unset.
    redis_url: str | None = None
    # Requests per hour for callers without a valid key, counted per client address.
    anonymous_rate_limit: int = 1000
    max_body_bytes: int = 1_048_576
    # Seconds a key lookup is cached in process (revocation takes effect within this time).
    key_cache_ttl: float = 1.0
    db_pool_size: int = 20
    # PostgreSQL: bookings that arrive together share one transaction (docs/benchmarks.md).
    shared_booking_transactions: bool = True
    # PostgreSQL behind PgBouncer in transaction pooling (Debian's 1.18 keeps no prepared
    # statements there): no server-side prepared statements and no connection state kept
    # between transactions (docs/deploy.md). Costs booking throughput (docs/scaling.md).
    db_pgbouncer_transaction_mode: bool = False
    # Dashboard logins: hours a session lasts, and the lockout after failed passwords.
    session_hours: float = 12.0
    login_max_failures: int = 5
    login_lockout_minutes: float = 15.0
    # Minutes after its start before an unattended appointment is marked MISSED by the sweep.
    no_show_grace_minutes: int = 30
    log_level: str = "info"

    # Webhooks (see docs/webhooks.md).
    webhook_timeout: float = 10.0  # seconds for one delivery attempt, connection included
    # Allow webhook targets on loopback/private addresses (tests, trusted networks only).
    webhook_allow_private: bool = False
    # An endpoint whose delivery fails for good is disabled if nothing succeeded for this long.
    webhook_disable_after_hours: float = 20.0
    # A claimed delivery becomes due again after this long if its worker died mid-send;
    # must exceed webhook_timeout.
    webhook_lease_seconds: float = 60.0
    webhook_batch_size: int = 100  # deliveries a worker claims at once
    webhook_concurrency: int = 50  # requests a worker has in flight at once
    worker_poll_interval: float = 0.2  # seconds an idle worker waits before looking again
    # Idempotency-Key: how long a stored response is replayed, and after how long a request
    # that never finished (its process died) may be taken over by a retry.
    idempotency_ttl_hours: float = 24.0
    idempotency_lock_seconds: float = 60.0

    # Reminders (see docs/reminders.md). Links in emails start with the public base URL.
    public_base_url: str = "http://localhost:8000"
    smtp_host: str | None = None  # no host: no reminder emails
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "slotbook@localhost"
    smtp_starttls: bool = True
    # Reminder texts are POSTed as JSON {"to", "text"} here; unset: no SMS.
    sms_webhook_url: str | None = None
    reminder_interval: float = 30.0  # seconds between the worker's looks for due reminders


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
