"""Telling waiting clients about their offers by e-mail and SMS (the worker's job).

As reminders (application/reminders.py): an offer's notice is claimed (`notified_at`) in a
transaction that commits *before* the e-mail and SMS are sent, so a client is told at most
once, even with several workers; a worker that dies between the claim and the send loses that
message, and the `waitlist.offered` webhook (written with the offer) still carries the link.
Offers of entries without a client record, or whose client has neither e-mail nor phone, are
claimed and left to the webhook.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from slotbook.application.ports import Services
from slotbook.application.reminder_ports import OfferMailer, OfferNotice, SmsSender
from slotbook.application.waitlist import accept_link

log = logging.getLogger("slotbook.waitlist")


@dataclass(frozen=True, slots=True)
class _Planned:
    notice: OfferNotice
    email: str | None
    phone: str | None


def offer_sms_text(notice: OfferNotice) -> str:
    return (
        f"{notice.department_name}: a time is free for you, {notice.local_start:%Y-%m-%d %H:%M}"
        f" ({notice.time_zone}), held until {notice.local_expiry:%H:%M}. "
        f"Book it: {notice.accept_url}"
    )


class OfferNotifier:
    def __init__(
        self, services: Services, mailer: OfferMailer | None = None, sms: SmsSender | None = None
    ) -> None:
        self._services = services
        self._mailer = mailer
        self._sms = sms

    async def run_once(self) -> int:
        """Tell every client whose offer is not yet told; how many messages were handed over."""
        if self._mailer is None and self._sms is None:
            return 0  # nothing to send with: leave the offers to the webhook, unclaimed
        sent = 0
        now = self._services.clock.now()
        for organization_id in await self._services.registry.organizations_with_waitlist_work(now):
            while (claimed := await self._claim_next(organization_id, now)) is not False:
                if isinstance(claimed, _Planned):
                    sent += await self._send(claimed)
        return sent

    async def _claim_next(self, organization_id: int, now: datetime) -> _Planned | bool:
        """The next offer's message, claimed; True when there was one with no one to tell;
        False when none is left."""
        services = self._services
        async with services.uow(organization_id, write=True) as uow:
            due = await uow.waitlist.unnotified_offers(1)
            if not due:
                return False
            if not await uow.waitlist.claim_notice(due[0], now):
                return True  # another worker's
            found = await uow.waitlist.offer(due[0])
            assert found is not None
            offer, department_id = found
            entry = await uow.waitlist.get_entry(offer.entry_id)
            department = await uow.departments.get(department_id)
            client = (
                await uow.clients.get(entry.client_id)
                if entry is not None and entry.client_id is not None
                else None
            )
            await uow.commit()
        if entry is None or department is None or client is None:
            return True
        if not (client.email or client.phone):
            return True
        tz = ZoneInfo(entry.time_zone)
        notice = OfferNotice(
            name=entry.name,
            department_name=department.name,
            local_start=offer.starts_at.astimezone(tz),
            local_expiry=offer.expires_at.astimezone(tz),
            time_zone=entry.time_zone,
            accept_url=accept_link(services.public_base_url, offer.token),
        )
        return _Planned(notice, client.email, client.phone)

    async def _send(self, planned: _Planned) -> int:
        sent = 0
        if self._mailer is not None and planned.email:
            try:
                await self._mailer.send_offer(planned.email, planned.notice)
                sent += 1
            except Exception:
                log.exception("waitlist offer e-mail failed")
        if self._sms is not None and planned.phone:
            try:
                await self._sms.send(planned.phone, offer_sms_text(planned.notice))
                sent += 1
            except Exception:
                log.exception("waitlist offer SMS failed")
        return sent
