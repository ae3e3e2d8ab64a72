"""The reminder worker's use case: claim due reminders, record them with their event, send them.

Delivery guarantee (docs/reminders.md). A reminder is claimed, recorded as handled
(`appointment_reminder`) and its `appointment.reminder` event written in one transaction,
which commits *before* the email and SMS are sent. So the event exists exactly once and the
email/SMS go out **at most once**: a worker that dies between the commit and the send loses
that email (its `emailReminderSent` stays false, which shows it), but no client ever gets the
same reminder twice, even with several workers or a retry after a timeout whose email did in
fact leave. Holding the claim open across the SMTP conversation instead would give
at-least-once, at the price of duplicates after any failure mid-send and of row locks held for
the length of a network call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from slotbook.application.cancel_links import cancel_link, new_cancel_token, reschedule_link
from slotbook.application.ports import Clock
from slotbook.application.reminder_ports import (
    Mailer,
    ReminderCandidate,
    ReminderNotice,
    ReminderRecord,
    ReminderStore,
    SmsSender,
)
from slotbook.application.representation import appointment_document
from slotbook.domain.events import EventType
from slotbook.domain.reminders import ReminderDecision, due_reminder

log = logging.getLogger("slotbook.reminders")

MAX_ORGANIZATIONS = 1000  # organizations looked at per round


def sms_text(notice: ReminderNotice) -> str:
    a = notice.appointment
    text = (
        f"Reminder: {a.department_name}, {notice.local_start:%Y-%m-%d %H:%M} "
        f"({a.time_zone}), code {a.qr_token}."
    )
    if notice.cancel_url is not None:
        text += f" Cancel: {notice.cancel_url}"
    return text


@dataclass(frozen=True, slots=True)
class _Planned:
    candidate: ReminderCandidate
    offset_minutes: int
    notice: ReminderNotice
    email: str | None
    phone: str | None


class ReminderWorker:
    def __init__(
        self,
        store: ReminderStore,
        clock: Clock,
        public_base_url: str,
        mailer: Mailer | None = None,
        sms: SmsSender | None = None,
        batch_size: int = 50,
        concurrency: int = 10,
    ) -> None:
        self._store = store
        self._clock = clock
        self._base_url = public_base_url
        self._mailer = mailer
        self._sms = sms
        self._batch_size = batch_size
        self._slots = asyncio.Semaphore(concurrency)

    async def run_once(self) -> int:
        """Handle the due reminders of up to `batch_size` appointments per organization; how
        many appointments were handled (sent, or recorded as not to be sent)."""
        now = self._clock.now()
        handled = 0
        for organization_id in await self._store.due_organizations(now, MAX_ORGANIZATIONS):
            count, planned = await self._claim(organization_id, now)
            handled += count
            await asyncio.gather(*(self._send(p) for p in planned))
        return handled

    async def run(self, stop: asyncio.Event, interval: float) -> None:
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("reminder batch failed; retrying shortly")
                handled = 0
            if handled == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval)

    async def _claim(self, organization_id: int, now: datetime) -> tuple[int, list[_Planned]]:
        """One transaction per organization: its change-feed lock, taken by the first event,
        is then held only while this organization's events are written, never while another
        organization's are (bookings of the organization wait for it)."""
        decided: list[tuple[ReminderCandidate, ReminderDecision, ReminderRecord]] = []
        planned: list[_Planned] = []
        accent, logo = (
            await self._store.branding_of(organization_id)
            if self._mailer is not None
            else (None, None)
        )
        async with self._store.claim() as claim:
            for candidate in await claim.candidates(organization_id, now, self._batch_size):
                a = candidate.appointment
                decision = due_reminder(
                    a.starts_at, a.created_at, candidate.offsets, candidate.handled, now
                )
                if decision is None:
                    continue
                token = candidate.cancel_token or new_cancel_token()
                record = ReminderRecord(a.id, decision.handled, token, candidate.cancel_token)
                decided.append((candidate, decision, record))
            won, tokens = await claim.record([r for _, _, r in decided], now)
            for candidate, decision, _ in decided:
                a = candidate.appointment
                if decision.send is None or (a.id, decision.send) not in won:
                    continue
                starts = a.starts_at.astimezone(ZoneInfo(a.time_zone))
                token = tokens[a.id]
                notice = ReminderNotice(
                    a,
                    starts,
                    cancel_link(self._base_url, token),
                    reschedule_link(self._base_url, token),
                    accent,
                    logo,
                )
                planned.append(
                    _Planned(
                        candidate,
                        decision.send,
                        notice,
                        candidate.email if self._mailer is not None else None,
                        candidate.phone if self._sms is not None else None,
                    )
                )
            # The events last, as in every use case: the change-feed lock is held from the
            # first one to the commit.
            outbox = claim.outbox(organization_id)
            for p in planned:
                await outbox.add(EventType.APPOINTMENT_REMINDER, _event_data(p), now)
            await claim.commit()
        return len(decided), planned

    async def _send(self, planned: _Planned) -> None:
        async with self._slots:
            a = planned.notice.appointment
            emailed = texted = False
            if planned.email is not None and self._mailer is not None:
                try:
                    await self._mailer.send_reminder(planned.email, planned.notice)
                    emailed = True
                except Exception:
                    log.exception("reminder email for appointment %s failed", a.id)
            if planned.phone is not None and self._sms is not None:
                try:
                    await self._sms.send(planned.phone, sms_text(planned.notice))
                    texted = True
                except Exception:
                    log.exception("reminder SMS for appointment %s failed", a.id)
            if emailed or texted:
                await self._store.mark_sent(a.id, email=emailed, sms=texted)


def _event_data(planned: _Planned) -> dict[str, object]:
    channels = [
        name
        for name, address in (("email", planned.email), ("sms", planned.phone))
        if address is not None
    ]
    return {
        "appointment": appointment_document(planned.notice.appointment),
        "reminder": {"offsetMinutes": planned.offset_minutes, "channels": channels},
    }
