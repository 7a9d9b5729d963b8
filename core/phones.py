"""Thai telephone numbers typed by users, checked and written one way.

A mobile number has ten digits and starts 06, 08 or 09 (``081-234-5678``); a fixed
line has nine and starts 02 to 07 (``02-123-4567`` in Bangkok, ``032-511-047`` in
Hua Hin). Thai digits, spaces, dots, dashes, brackets and the country code (+66)
are accepted as people write them.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .numbers import THAI_TO_ASCII

_SEPARATORS = re.compile(r"[\s.()\-]+")
_MOBILE = re.compile(r"0[689][0-9]{8}")
_FIXED_LINE = re.compile(r"0[2-7][0-9]{7}")


def normalize_thai_phone(value: str) -> str:
    """Return ``value`` written as ``0XX-XXX-XXXX`` (mobile), ``02-XXX-XXXX`` or
    ``0XX-XXX-XXX`` (fixed line); an empty value stays empty.

    Raise ``ValidationError`` for anything that is not a Thai number."""
    text = _SEPARATORS.sub("", (value or "").translate(THAI_TO_ASCII))
    if not text:
        return ""
    if text.startswith("+66"):
        text = "0" + text[3:]
    if _MOBILE.fullmatch(text):
        return f"{text[:3]}-{text[3:6]}-{text[6:]}"
    if _FIXED_LINE.fullmatch(text):
        if text.startswith("02"):
            return f"{text[:2]}-{text[2:5]}-{text[5:]}"
        return f"{text[:3]}-{text[3:6]}-{text[6:]}"
    raise ValidationError(
        _(
            "Enter a Thai telephone number: ten digits for a mobile (081-234-5678) "
            "or nine for a fixed line (032-511-047)."
        ),
        code="invalid_phone",
    )
