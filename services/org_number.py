"""Norwegian organisation numbers (Enhetsregisteret): nine digits, the last a modulus-11 check
digit over the first eight with weights 3, 2, 7, 6, 5, 4, 3, 2 (Brønnøysundregistrene)."""

from __future__ import annotations

import re

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_DIGITS = re.compile(r"[0-9]{9}", re.ASCII)


def normalize_org_number(text: str) -> str:
    """What a person typed → nine digits (spaces and the common "NO … MVA" wrapping forgiven)."""
    cleaned = text.strip().upper().removeprefix("NO").removesuffix("MVA")
    return "".join(ch for ch in cleaned if ch not in " .-\u00a0")


def check_digit(first_eight: str) -> int | None:
    """The check digit for eight digits, or None where no number can have them (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    digit = 11 - remainder
    return None if digit == 10 else digit


def is_valid_org_number(text: str) -> bool:
    """Whether `text` (normalized) is nine ASCII digits whose last is the right check digit."""
    number = normalize_org_number(text)
    if not _DIGITS.fullmatch(number):
        return False
    return check_digit(number[:8]) == int(number[8])
