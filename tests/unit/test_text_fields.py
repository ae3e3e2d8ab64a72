"""Text fields accept exactly what their documented pattern accepts (schemas/common.py).

The OpenAPI pattern is an ECMAScript regular expression; clients and schemathesis check text
against it, so text it accepts must not be refused as blank or as a control character."""

from __future__ import annotations

import re

import pytest

from slotbook.api.schemas.common import TEXT_PATTERN, _clean_text

# ECMAScript's \s: WhiteSpace and LineTerminator (ECMA-262, 22.2.2.9).
_ECMA_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DOCUMENTED = re.compile(TEXT_PATTERN.replace(r"\s", _ECMA_SPACE))


def _accepted(text: str) -> bool:
    try:
        _clean_text(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("start", range(0, 0x10000, 0x1000))
def test_every_character_is_taken_as_the_pattern_says(start: int) -> None:
    for code in range(start, start + 0x1000):
        if 0xD800 <= code < 0xE000:  # surrogates are not text
            continue
        c = chr(code)
        for text in (c, f"a{c}", f"{c}{c}"):
            assert _accepted(text) == bool(_DOCUMENTED.match(text)), (hex(code), text)


def test_surrounding_blanks_are_stripped() -> None:
    assert _clean_text("\ufeff Ada\u2003") == "Ada"
    assert _clean_text("\u0085Ada") == "\u0085Ada"  # not blank in the pattern's sense
