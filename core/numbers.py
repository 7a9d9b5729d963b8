"""Whole numbers typed or sent by users: ASCII digits, or Thai digits.

``str.isdigit()`` is true for ``²`` and ``๑`` while ``int("²")`` raises, and
``int()`` itself accepts spaces, underscores and every script's digits. Input is
read here instead, by a pattern on ``[0-9]`` after Thai digits are converted.
"""

import re

from django.core.exceptions import ValidationError

THAI_TO_ASCII = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Eighteen digits fit a 64-bit database integer (a primary key, a year, a number).
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def parse_int(
    value,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
    error: str | None = None,
) -> int | None:
    """Return the whole number written in ``value``, or ``None`` when it is empty,
    not a whole number or outside ``min_value``..``max_value``.

    With ``error``, raise ``ValidationError(error)`` instead of returning ``None``."""
    text = value.strip().translate(THAI_TO_ASCII) if isinstance(value, str) else ""
    number = int(text) if WHOLE_NUMBER.fullmatch(text) else None
    if number is not None and (
        (min_value is not None and number < min_value)
        or (max_value is not None and number > max_value)
    ):
        number = None
    if number is None and error is not None:
        raise ValidationError(error)
    return number
