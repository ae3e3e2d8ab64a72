"""client.webhooks: endpoints that receive signed events, their secrets and delivery log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slotbook_client._core import Call
from slotbook_client.resources._base import API, Each, Many, One, Resource

PATH = f"{API}/webhooks"


class Webhooks(Resource[One, Many, Each]):
    def create(
        self,
        *,
        url: str,
        events: Iterable[str],
        active: bool | None = None,
        description: str | None = None,
        idempotency_key: str | None = None,
    ) -> One:
        """Register `url` for the event types. The result's `secret` is shown only this once."""
        body: dict[str, Any] = {
            "url": url,
            "events": list(events),
            "active": active,
            "description": description,
        }
        return self._runner.one(Call("POST", PATH, body=body, idempotency_key=idempotency_key))

    def list(self, *, page: int | None = None, size: int | None = None) -> One:
        """One page: `page["webhooks"]`, `page.total_elements`, `page.is_last`..."""
        return self._runner.one(Call("GET", PATH, params={"page": page, "size": size}))

    def get(self, webhook_id: int) -> One:
        """One webhook (without its secret)."""
        return self._runner.one(Call("GET", f"{PATH}/{int(webhook_id)}"))

    def update(
        self,
        webhook_id: int,
        *,
        url: str | None = None,
        events: Iterable[str] | None = None,
        active: bool | None = None,
        description: str | None = None,
        idempotency_key: str | None = None,
    ) -> One:
        """Change the fields given (None leaves a field as it is); `active=True` re-enables a
        webhook Slotbook disabled."""
        body: dict[str, Any] = {
            "url": url,
            "events": list(events) if events is not None else None,
            "active": active,
            "description": description,
        }
        return self._runner.one(
            Call("PATCH", f"{PATH}/{int(webhook_id)}", body=body, idempotency_key=idempotency_key)
        )

    def delete(self, webhook_id: int, *, idempotency_key: str | None = None) -> One:
        """Delete the webhook and its delivery log (the result is an empty Record)."""
        return self._runner.one(
            Call("DELETE", f"{PATH}/{int(webhook_id)}", idempotency_key=idempotency_key)
        )

    def rotate_secret(
        self,
        webhook_id: int,
        *,
        keep_previous_seconds: int | None = None,
        idempotency_key: str | None = None,
    ) -> One:
        """A new `secret` (shown only now); the old one also signs for `keep_previous_seconds`
        (default one day)."""
        return self._runner.one(
            Call(
                "POST",
                f"{PATH}/{int(webhook_id)}/rotate-secret",
                body={"keepPreviousSeconds": keep_previous_seconds},
                idempotency_key=idempotency_key,
            )
        )

    def deliveries(
        self, webhook_id: int, *, page: int | None = None, size: int | None = None
    ) -> One:
        """One page of the delivery log, newest first: `page["deliveries"]`, each with its
        `attemptLog` (status codes, errors, latencies)."""
        return self._runner.one(
            Call(
                "GET",
                f"{PATH}/{int(webhook_id)}/deliveries",
                params={"page": page, "size": size},
            )
        )

    def redeliver(
        self, webhook_id: int, delivery_id: int, *, idempotency_key: str | None = None
    ) -> One:
        """Send a delivery again now (same `webhook-id`); the result's `status` is PENDING."""
        return self._runner.one(
            Call(
                "POST",
                f"{PATH}/{int(webhook_id)}/deliveries/{int(delivery_id)}/redeliver",
                idempotency_key=idempotency_key,
            )
        )
