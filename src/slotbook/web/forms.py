"""Reading posted form fields as text, whatever a forged or broken form sends."""

from __future__ import annotations

from starlette.datastructures import FormData


def text_field(form: FormData, name: str, max_length: int = 1024) -> str:
    """The field as text ('' when missing, a file, or longer than `max_length`)."""
    value = form.get(name)
    if not isinstance(value, str) or len(value) > max_length:
        return ""
    return value


def text_fields(form: FormData, name: str, max_length: int = 1024) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str) and len(v) <= max_length]
