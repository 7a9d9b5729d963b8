"""Dates as Thai official documents write them.

Django's Thai locale prints the CE year (``3 มีนาคม 2026``); Thai documents use the
Buddhist Era (CE + 543) and often Thai digits. English keeps CE dates.
"""

import datetime

from django.utils import timezone
from django.utils.translation import get_language

BE_OFFSET = 543
FISCAL_YEAR_FIRST_MONTH = 10  # The Thai government's fiscal year starts on 1 October.

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

THAI_WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def to_thai_digits(value) -> str:
    """Return ``value`` as text with the digits 0-9 written as ๐-๙."""
    return str(value).translate(_THAI_DIGITS)


def _is_english(language: str | None) -> bool:
    return (language or get_language() or "th").startswith("en")


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def format_date(
    value: datetime.date | datetime.datetime,
    *,
    short: bool = False,
    thai_digits: bool = False,
    language: str | None = None,
) -> str:
    """Return ``value`` as ``3 มีนาคม 2569`` (short: ``3 มี.ค. 69``) in Thai, or
    ``3 March 2026`` (short: ``3 Mar 2026``) in English."""
    day = _as_date(value)
    if _is_english(language):
        month = ENGLISH_MONTHS[day.month - 1]
        return f"{day.day} {month[:3] if short else month} {day.year}"
    year = day.year + BE_OFFSET
    if short:
        text = f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {year % 100:02d}"
    else:
        text = f"{day.day} {THAI_MONTHS[day.month - 1]} {year}"
    return to_thai_digits(text) if thai_digits else text


def format_month(value, *, short: bool = False, language: str | None = None) -> str:
    """Return the month of ``value``: ``มีนาคม 2569`` (short: ``มี.ค. 69``), or ``March 2026``."""
    text = format_date(_as_date(value).replace(day=1), short=short, language=language)
    return text.split(" ", 1)[1]


def format_official_date(value, *, thai_digits: bool = False) -> str:
    """Return the date as Thai official documents open it: ``วันพุธที่ 4 มีนาคม 2569``."""
    day = _as_date(value)
    text = f"วัน{THAI_WEEKDAYS[day.weekday()]}ที่ {format_date(day, language='th')}"
    return to_thai_digits(text) if thai_digits else text


def fiscal_year(value: datetime.date | datetime.datetime) -> int:
    """Return the Buddhist-Era fiscal year of ``value``: 1 Oct 2025 - 30 Sep 2026 is 2569."""
    day = _as_date(value)
    ce_year = day.year + 1 if day.month >= FISCAL_YEAR_FIRST_MONTH else day.year
    return ce_year + BE_OFFSET


def fiscal_year_bounds(be_year: int) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of the Buddhist-Era fiscal year ``be_year``."""
    ce_year = be_year - BE_OFFSET
    return (
        datetime.date(ce_year - 1, FISCAL_YEAR_FIRST_MONTH, 1),
        datetime.date(ce_year, FISCAL_YEAR_FIRST_MONTH - 1, 30),
    )


def format_fiscal_year(value, *, language: str | None = None) -> str:
    """Return the fiscal year of ``value`` in the user's era: ``2569`` or ``FY2026``."""
    be_year = fiscal_year(value)
    if _is_english(language):
        return f"FY{be_year - BE_OFFSET}"
    return str(be_year)


def format_time(value: datetime.time | None, *, language: str | None = None) -> str:
    """Return ``value`` as Thai documents write it, ``09.30 น.``, or ``09:30`` in English."""
    if value is None:
        return ""
    if _is_english(language):
        return value.strftime("%H:%M")
    return f"{value:%H.%M} น."


def be_date_slug(value: datetime.date, *, day: bool = True) -> str:
    """Return the date part of a downloaded file's name: ``2569-12-01``, or the month
    ``2569-12``. Every download is named in the Buddhist Era, largest unit first, so
    that the names sort by date (README, "Language and dates")."""
    day_ = _as_date(value)
    text = f"{day_.year + BE_OFFSET}-{day_.month:02d}"
    return f"{text}-{day_.day:02d}" if day else text
