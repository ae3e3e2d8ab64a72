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
    # Dashboard logins: hours a session lasts, and the lockout after failed passwords.
    session_hours: float = 12.0
    login_max_failures: int = 5
    login_lockout_minutes: float = 15.0
    # Minutes after its start before an unattended appointment is marked MISSED by the sweep.
    no_show_grace_minutes: int = 30
    log_level: str = "info"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
