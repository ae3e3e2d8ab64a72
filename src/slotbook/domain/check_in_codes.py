"""Check-in (QR) codes people can read aloud and type: Crockford base32 in dashed groups.

A new code is `QR-` and four groups of five characters from Crockford's alphabet (digits and
upper-case letters without I, L, O and U), e.g. `QR-7KD2M-Q9XRT-0B4HN-W3ZPA`: 100 random
bits, nothing two characters could be mistaken for. What a person types is read the way
Crockford decoding reads it (any case; I and L are 1, O is 0; dashes and spaces ignored), so
`qr 7kd2m q9xrt ob4hn w3zpa` finds the same appointment. Codes made before this format
(`QR-` and URL-safe base64) are matched exactly as they were issued.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
PREFIX = "QR"
GROUPS = 4
GROUP_LENGTH = 5
LENGTH = GROUPS * GROUP_LENGTH  # characters after the prefix
BITS = 5 * LENGTH
# What Crockford decoding accepts for characters a person may type instead.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = str.maketrans("", "", " -_\t")


def format_code(number: int) -> str:
    """The code of a number in [0, 2**BITS): most significant character first."""
    if not 0 <= number < 1 << BITS:
        raise ValueError(f"a check-in code holds {BITS} bits")
    chars = []
    for _ in range(LENGTH):
        chars.append(ALPHABET[number & 31])
        number >>= 5
    body = "".join(reversed(chars))
    groups = [body[i : i + GROUP_LENGTH] for i in range(0, LENGTH, GROUP_LENGTH)]
    return "-".join([PREFIX, *groups])


def read_code(typed: str) -> str | None:
    """The code a person meant, in its issued form; None when the text cannot be one."""
    text = typed.upper().translate(_SEPARATORS)
    if text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    text = text.translate(_READ_AS)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    number = 0
    for ch in text:
        number = number * 32 + ALPHABET.index(ch)
    return format_code(number)
