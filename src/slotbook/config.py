"""Settings from the environment (prefix SLOTBOOK_) or a .env file."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Literal

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SLOTBOOK_", env_file=".env", extra="ignore")

    # sqlite:///./slotbook.db (embedded default) or postgresql://user@host:5432/db
    database_url: str = "sqlite:///./slotbook.db"
    # Shared rate-limit counters for several processes; in-process counters when unset.
    redis_url: str | None = None
    # Requests per hour for callers without a valid key, counted per client address.
    anonymous_rate_limit: int = 1000
    # Requests per hour per client address for the dashboard and the booking pages (/dashboard,
    # /book, /static): their own budget, apart from anonymous API calls. The probes (/health,
    # /ready) and /metrics are never counted.
    page_rate_limit: int = 3000
    # Reverse proxies (comma-separated addresses or CIDR networks) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed. Empty: nobody's; the connection's address is the client's.
    trusted_proxies: str = ""
    # Redis calls (rate-limit counters, login throttling) give up after this many seconds; after
    # a failure Redis is left alone for redis_retry_seconds (one log line per such interval).
    redis_timeout: float = 0.1
    redis_retry_seconds: float = 5.0
    # While Redis is unavailable: "open" counts in each process instead (limits stay, per
    # process), "closed" refuses rate-limited requests with 503 SERVICE_UNAVAILABLE.
    rate_limit_fail: Literal["open", "closed"] = "open"
    max_body_bytes: int = 1_048_576
    # Seconds an unknown key's refusal is cached in process. Known keys are read on every
    # request, so a revoked key is refused at once in every process.
    key_cache_ttl: float = 1.0
    # PostgreSQL connections one process keeps open, and how many more it may open at a peak:
    # at most db_pool_size + db_max_overflow per process (docs/database.md has the formula).
    db_pool_size: int = 10
    db_max_overflow: int = 5
    # psycopg prepares a statement on the server on its fifth run on a connection, which saves
    # PostgreSQL about a quarter of its CPU per booking. false behind PgBouncer in transaction
    # pooling, which cannot keep a prepared statement between transactions (docs/deploy.md).
    db_prepared_statements: bool = True
    # Cookies of the dashboard and booking pages get `Secure` (sent over HTTPS only). Unset: on
    # when public_base_url is https, the usual case behind a TLS-terminating proxy, where the
    # requests Slotbook sees are plain HTTP.
    secure_cookies: bool | None = None
    # Dashboard logins: hours a session lasts; wrong passwords make the next attempt wait,
    # from 1 s doubling up to the cap, once an e-mail (or a client address) has had this many
    # within an hour (docs/dashboard.md).
    session_hours: float = 12.0
    login_free_failures: int = 5
    login_max_delay_seconds: float = 60.0
    login_address_free_failures: int = 20
    login_address_max_delay_seconds: float = 900.0
    # Minutes after its start before an unattended appointment is marked MISSED by the sweep.
    no_show_grace_minutes: int = 30
    log_level: str = "info"
    # "json": one JSON object per line (docs/observability.md); "text": for a terminal.
    log_format: Literal["json", "text"] = "json"
    # GET /metrics: allowed with `Authorization: Bearer <token>`, or from these client
    # addresses (comma-separated addresses or CIDR networks). Neither: 403.
    metrics_token: str | None = None
    metrics_allowed_addresses: str = ""

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

    @field_validator("trusted_proxies", "metrics_allowed_addresses")
    @classmethod
    def _networks(cls, value: str) -> str:
        for item in split_list(value):
            if item != "*":
                ipaddress.ip_network(item)  # ValueError names the bad entry
        return value

    @property
    def cookies_secure(self) -> bool:
        if self.secure_cookies is not None:
            return self.secure_cookies
        return self.public_base_url.lower().startswith("https://")

    @property
    def trusted_proxy_list(self) -> list[str]:
        return split_list(self.trusted_proxies)

    @property
    def metrics_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [
            ipaddress.ip_network(n, strict=False)
            for n in split_list(self.metrics_allowed_addresses)
        ]


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
