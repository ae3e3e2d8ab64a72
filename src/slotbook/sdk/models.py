"""Records returned by the SDK: JSON objects with item access and snake_case attributes."""

from __future__ import annotations

from typing import Any


def camel_case(name: str) -> str:
    """`total_elements` -> `totalElements` (the API's field names)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def wrap(value: Any) -> Any:
    """JSON as the SDK returns it: every object a Record, lists and scalars as they are."""
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list):
        return [wrap(item) for item in value]
    return value


class Record(dict[str, Any]):
    """One JSON object of the API.

    It is a dict keyed by the API's camelCase names (`record["qrCode"]`, `json.dumps(record)`),
    and its fields are also attributes in snake_case (`record.qr_code`), so the snippets of the
    seed documents work as written. Nested objects are Records too. A field whose name is also
    a dict method (`items`, `keys`, ...) is reached by item access.
    """

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        super().__init__({key: wrap(value) for key, value in (data or {}).items()})

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
        return f"Record({super().__repr__()})"
