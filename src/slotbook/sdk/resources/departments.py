"""client.departments: the departments of your organization."""

from __future__ import annotations

from slotbook.sdk._core import Call
from slotbook.sdk.resources._base import API, Each, Many, One, Resource


class Departments(Resource[One, Many, Each]):
    def list(self) -> Many:
        """Every department, each with its `organization`."""
        return self._runner.many(Call("GET", f"{API}/departments"))
