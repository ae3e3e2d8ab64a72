"""client.credits: the organization's credit balance and ledger."""

from __future__ import annotations

from slotbook.sdk._core import Call
from slotbook.sdk.resources._base import API, Each, Many, One, Resource


class Credits(Resource[One, Many, Each]):
    def get(self, *, page: int | None = None, size: int | None = None) -> One:
        """`balance` and one page of the `ledger`, newest first."""
        return self._runner.one(Call("GET", f"{API}/credits", params={"page": page, "size": size}))
