"""Records returned by the SDK: JSON objects with item access and snake_case attributes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


def camel_case(name: str) -> str:
    """`total_elements` -> `totalElements` (the API's field names)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def wrap(value: Any, model: type[Record] | None = None) -> Any:
    """JSON as the SDK returns it: every object a Record (of `model` when the schema names
    one), lists and scalars as they are."""
    if isinstance(value, dict):
        return (model or Record)(value)
    if isinstance(value, list):
        return [wrap(item, model) for item in value]
    return value


class Record(dict[str, Any]):
    """One JSON object of the API.

    It is a dict keyed by the API's camelCase names (`record["qrCode"]`, `json.dumps(record)`),
    and its fields are also attributes in snake_case (`record.qr_code`), so the snippets of the
    moncreneau documents work as written. The typed models of `slotbook_client.models`
    (`Appointment`, `Department`, ...) are Records that declare their fields and types. A field
    whose name is also a dict method (`items`, `keys`, ...) is reached by item access.
    """

    # The model of each nested object (or list of objects), by its camelCase key.
    nested: ClassVar[Mapping[str, type[Record]]] = {}

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        nested = type(self).nested
        super().__init__({key: wrap(value, nested.get(key)) for key, value in (data or {}).items()})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        for key in (camel_case(name), name):
            if key in self:
                return self[key]
        raise AttributeError(
            f"this {type(self).__name__} has no field {name!r}; fields: {', '.join(self)}"
        )

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self.keys()]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({super().__repr__()})"
