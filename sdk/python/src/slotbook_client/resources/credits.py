"""client.credits: the organization's credit balance and ledger."""

from __future__ import annotations

from slotbook_client._core import Call
from slotbook_client.resources._base import API, Each, Many, One, Resource


class Credits(Resource[One, Many, Each]):
    def get(self, *, page: int | None = None, size: int | None = None) -> One:
        """`balance`, `creditsLowThreshold` and one page of the `ledger`, newest first."""
        return self._runner.one(Call("GET", f"{API}/credits", params={"page": page, "size": size}))

    def set_low_threshold(self, threshold: int | None) -> One:
        """Send `credits.low` when a debit takes the balance under `threshold` (None: never;
        scope `admin`)."""
        body = {"creditsLowThreshold": threshold}
        return self._runner.one(Call("PATCH", f"{API}/credits", body=body, keep_nulls=True))
