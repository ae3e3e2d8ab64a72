"""client.changes: the change feed, every event of the organization in commit order."""

from __future__ import annotations

from slotbook_client._core import Call
from slotbook_client.resources._base import API, Each, Many, One, Resource


class Changes(Resource[One, Many, Each]):
    def list(self, *, after: int | str | None = None, limit: int | None = None) -> One:
        """The events after the cursor `after` (from the start without it): `page["changes"]`,
        `page.cursor` (pass it as `after` next time) and `page.has_more`."""
        return self._runner.one(
            Call("GET", f"{API}/changes", params={"after": after, "limit": limit})
        )
