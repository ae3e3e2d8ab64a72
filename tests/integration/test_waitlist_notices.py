"""Offers told by e-mail and SMS (a real in-process SMTP server and an HTTP SMS gateway), once."""

from __future__ import annotations

import httpx

from slotbook.bootstrap import Container, waitlist_notifier
from slotbook.infra.notifications.sms import HttpSmsSender
from slotbook.infra.notifications.smtp import SmtpMailer, SmtpSettings
from tests.integration.test_reminders import Inbox, inbox, sms_gateway
from tests.receiver import Receiver
from tests.scheduling_support import set_worker_hours
from tests.support import Tenant, future
from tests.waitlist_support import offered

__all__ = ["inbox", "sms_gateway"]  # the fixtures, shared with the reminders' tests


async def test_an_offer_is_told_once_by_email_and_sms(
    client: httpx.AsyncClient,
    tenant: Tenant,
    container: Container,
    inbox: tuple[Inbox, int],
    sms_gateway: Receiver,
) -> None:
    await set_worker_hours(client, tenant, tenant.worker_id)
    when = future(9, 10)
    email, phone = (
        f"offer-{tenant.organization_id}@example.org",
        f"+3360000{tenant.organization_id:04d}",
    )
    held = await offered(
        client,
        tenant,
        when,
        externalUserId=None,
        name=None,
        client={"name": "Awa Camara", "email": email, "phone": phone},
    )
    offer = held["offer"]

    notifier = waitlist_notifier(
        container,
        SmtpMailer(SmtpSettings(host="127.0.0.1", port=inbox[1], starttls=False)),
        HttpSmsSender(sms_gateway.url("/sms")),
    )
    await notifier.run_once()
    await notifier.run_once()  # nothing twice

    [message] = inbox[0].to(email)
    assert "A time is free for you" in message["Subject"]
    body = message.get_body(("plain",))
    assert body is not None
    assert offer["acceptUrl"] in body.get_content()
    texts = [m.json for m in sms_gateway.to("/sms") if m.json["to"] == phone]
    assert len(texts) == 1
    assert offer["acceptUrl"] in texts[0]["text"]
