"""Check-in codes: the alphabet, the grouped form, and reading what a person typed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slotbook.domain.check_in_codes import ALPHABET, BITS, format_code, read_code

numbers = st.integers(min_value=0, max_value=(1 << BITS) - 1)
SHAPE = re.compile(r"^QR(-[0-9A-HJKMNP-TV-Z]{5}){4}$")


@given(numbers)
def test_codes_are_grouped_and_avoid_ambiguous_characters(number: int) -> None:
    code = format_code(number)
    assert SHAPE.match(code), code
    assert not set(code[3:]) & set("ILOU")


@given(numbers)
def test_a_code_reads_back_as_itself(number: int) -> None:
    code = format_code(number)
    assert read_code(code) == code


@given(numbers, st.data())
def test_case_separators_and_look_alikes_do_not_matter(number: int, data: st.DataObject) -> None:
    code = format_code(number)
    typed = []
    for ch in code.replace("-", ""):
        if ch == "1":
            ch = data.draw(st.sampled_from("1IiLl"))
        elif ch == "0":
            ch = data.draw(st.sampled_from("0Oo"))
        elif data.draw(st.booleans()):
            ch = ch.lower()
        typed.append(ch + data.draw(st.sampled_from(["", "", " ", "-"])))
    assert read_code("".join(typed)) == code


@given(numbers, numbers)
def test_different_numbers_give_different_codes(a: int, b: int) -> None:
    assert (format_code(a) == format_code(b)) == (a == b)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "QR-",
        "QR-2Lq0v3W1cJ8cK1m3yqJbNw",  # an old code: matched as issued, not read
        "QR-7KD2M-Q9XRT-0B4HN-W3ZP",  # one character short
        "QR-7KD2M-Q9XRT-0B4HN-W3ZPAA",  # one too many
        "QR-7KD2M-Q9XRT-0B4HN-W3ZPU",  # U is not in the alphabet
        "QR-7KD2M-Q9XRT-0B4HN-W3ZP!",
    ],
)
def test_text_that_cannot_be_a_code(typed: str) -> None:
    assert read_code(typed) is None


def test_the_alphabet_is_crockfords() -> None:
    assert len(ALPHABET) == 32 == len(set(ALPHABET))
    assert not set(ALPHABET) & set("ILOU")
    assert read_code("qr 00000 00000 00000 0001l") == "QR-00000-00000-00000-00011"


@pytest.mark.parametrize("number", [-1, 1 << BITS])
def test_numbers_out_of_range_are_refused(number: int) -> None:
    with pytest.raises(ValueError, match="bits"):
        format_code(number)
