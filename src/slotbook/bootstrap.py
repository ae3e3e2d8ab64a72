"""The composition root: builds the adapters once and hands them to the use cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from slotbook.application.access import Authenticator
from slotbook.application.agenda import AgendaCache
from slotbook.application.documents import AppointmentDocuments
from slotbook.application.ports import Clock, Services
from slotbook.application.reminder_ports import Mailer, OfferMailer, SmsSender
from slotbook.application.reminders import ReminderWorker
from slotbook.application.waitlist_notices import OfferNotifier
from slotbook.config import Settings
from slotbook.infra.clock import SystemClock
from slotbook.infra.db.engine import make_async_engine
from slotbook.infra.db.idempotency import SqlIdempotencyStore
from slotbook.infra.db.registry import SqlRegistry
from slotbook.infra.db.reminders import SqlReminderStore
from slotbook.infra.db.uow import SqlUnitOfWorkFactory
from slotbook.infra.documents import Documents
from slotbook.infra.login_throttle import CounterLoginThrottle
from slotbook.infra.notifications.sms import HttpSmsSender
from slotbook.infra.notifications.smtp import SmtpMailer, SmtpSettings
from slotbook.infra.passwords import Argon2Passwords
from slotbook.infra.ratelimit import CounterStore, RateLimiter
from slotbook.infra.security import TokenSecrets
from slotbook.infra.webhooks.delivery import DeliveryWorker, WorkerSettings
from slotbook.infra.webhooks.queue import DeliveryQueue
from slotbook.infra.webhooks.ssrf import SsrfGuard


@dataclass(slots=True)
class Container:
    settings: Settings
    engine: AsyncEngine
    services: Services
    authenticator: Authenticator
    rate_limiter: RateLimiter
    counters: CounterStore  # Redis or in process: rate limits and login throttling
    login_throttle: CounterLoginThrottle
    url_guard: SsrfGuard
    idempotency: SqlIdempotencyStore
    # .ics files and QR codes for the public booking pages (which may not import infra).
    documents: AppointmentDocuments = field(default_factory=Documents)
    # Confirmation e-mails of desk bookings: SMTP when SLOTBOOK_SMTP_HOST is set.
    mailer: SmtpMailer | None = None

    async def aclose(self) -> None:
        await self.engine.dispose()


def build(settings: Settings, clock: Clock | None = None) -> Container:
    engine = make_async_engine(
        settings.database_url,
        settings.db_pool_size,
        settings.db_max_overflow,
        prepared_statements=settings.db_prepared_statements,
    )
    url_guard = SsrfGuard(allow_private=settings.webhook_allow_private)
    counters = CounterStore(
        settings.redis_url,
        timeout=settings.redis_timeout,
        retry_seconds=settings.redis_retry_seconds,
        fail=settings.rate_limit_fail,
    )
    services = Services(
        uow=SqlUnitOfWorkFactory(engine),
        registry=SqlRegistry(engine),
        clock=clock or SystemClock(),
        secrets=TokenSecrets(),
        passwords=Argon2Passwords(),
        url_guard=url_guard,
        agenda=AgendaCache(),
        public_base_url=settings.public_base_url,
    )
    return Container(
        settings=settings,
        engine=engine,
        services=services,
        authenticator=Authenticator(services, ttl=settings.key_cache_ttl),
        rate_limiter=RateLimiter(counters),
        counters=counters,
        login_throttle=CounterLoginThrottle(counters),
        url_guard=url_guard,
        idempotency=SqlIdempotencyStore(
            engine,
            ttl=timedelta(hours=settings.idempotency_ttl_hours),
            lock=timedelta(seconds=settings.idempotency_lock_seconds),
        ),
        mailer=configured_mailer(settings),
    )


def delivery_worker(container: Container) -> DeliveryWorker:
    """The webhook delivery worker of `slotbook worker` (and of tests and benchmarks)."""
    settings = container.settings
    return DeliveryWorker(
        DeliveryQueue(container.engine, timedelta(hours=settings.webhook_disable_after_hours)),
        container.url_guard,
        container.services.clock,
        WorkerSettings(
            timeout=settings.webhook_timeout,
            batch_size=settings.webhook_batch_size,
            concurrency=settings.webhook_concurrency,
            poll_interval=settings.worker_poll_interval,
            lease_seconds=settings.webhook_lease_seconds,
        ),
    )


def configured_mailer(settings: Settings) -> SmtpMailer | None:
    """E-mail through SLOTBOOK_SMTP_HOST, when it is set."""
    if not settings.smtp_host:
        return None
    return SmtpMailer(
        SmtpSettings(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            sender=settings.smtp_from,
            starttls=settings.smtp_starttls,
        )
    )


def configured_sms(settings: Settings) -> HttpSmsSender | None:
    """SMS through SLOTBOOK_SMS_WEBHOOK_URL, when it is set."""
    return HttpSmsSender(settings.sms_webhook_url) if settings.sms_webhook_url else None


def waitlist_notifier(
    container: Container, mailer: OfferMailer | None = None, sms: SmsSender | None = None
) -> OfferNotifier:
    """The waitlist offers' e-mail and SMS of `slotbook worker` (the reminders' senders)."""
    settings = container.settings
    return OfferNotifier(
        container.services, mailer or configured_mailer(settings), sms or configured_sms(settings)
    )


def reminder_worker(
    container: Container, mailer: Mailer | None = None, sms: SmsSender | None = None
) -> ReminderWorker:
    """The reminder sender of `slotbook worker`: email when SLOTBOOK_SMTP_HOST is set, SMS
    when SLOTBOOK_SMS_WEBHOOK_URL is (tests may pass their own senders)."""
    settings = container.settings
    mailer = mailer or configured_mailer(settings)
    sms = sms or configured_sms(settings)
    return ReminderWorker(
        SqlReminderStore(container.engine),
        container.services.clock,
        settings.public_base_url,
        mailer=mailer,
        sms=sms,
    )
