"""Date and time inputs as the municipality writes them.

A browser's ``<input type="date">`` shows the Christian Era and the device's own
format (``01/06/2027``, with AM/PM times on some phones), while every page and
document here speaks the Buddhist Era. These fields are plain text inputs instead:
a date is typed ``1/12/2569`` (day/month/B.E. year, ASCII or Thai digits) or picked
from the Thai calendar ``static/js/thai-date.js`` adds, and is shown back the same
way; a time is typed ``09:30`` on the 24-hour clock. Without the script the text
input works alone.

Scripts may still post ISO ``2026-12-01`` (a Christian-Era year, as machines write
it): a date written year first is read as ISO.
"""

import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .numbers import THAI_TO_ASCII
from .thaidates import BE_OFFSET, format_month

# Day, month and year, separated by a slash, a dot or a dash: 1/12/2569, 01.12.2569.
THAI_DATE = re.compile(r"([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})\s*[/.-]\s*([0-9]{1,4})")
# What scripts send: ISO 8601, year first, in the Christian Era.
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Below this a four-digit year is a Christian-Era one typed by habit (2026, not 2569).
FIRST_BE_YEAR = 2400
# The dates a form accepts unless it says otherwise: B.E. 2500 to 2643 (CE 1957-2100).
DEFAULT_MIN_DATE = datetime.date(1957, 1, 1)
DEFAULT_MAX_DATE = datetime.date(2100, 12, 31)
# 09:30, 9.30, 09.30 น., and 09:30:00 from scripts.
TIME_24H = re.compile(r"([0-9]{1,2})\s*[:.]\s*([0-9]{2})(?::[0-9]{2})?(?:\s*น\.?)?")


def format_be_date(value: datetime.date) -> str:
    """Return ``value`` as the date input shows it: ``1/12/2569``."""
    return f"{value.day}/{value.month}/{value.year + BE_OFFSET}"


class ThaiDateInput(forms.TextInput):
    """A text input for a Buddhist-Era date; ``thai-date.js`` adds the calendar."""

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": _("dd/mm/yyyy"),
            "size": 12,
            "data-thai-date": "",
            "data-label-open": _("Open the calendar"),
            "data-label-previous": _("Previous month"),
            "data-label-next": _("Next month"),
            "data-label-close": _("Close the calendar"),
            "data-label-calendar": _("Calendar"),
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        # A date is shown in B.E.; text the user typed (a form sent back with an
        # error) is shown as they typed it.
        if isinstance(value, datetime.date):
            return format_be_date(value)
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A date typed ``1/12/2569`` (B.E., ASCII or Thai digits) or ISO ``2026-12-01``."""

    widget = ThaiDateInput
    default_error_messages = {
        "invalid": _("Write the date as day/month/Buddhist-Era year, for example %(example)s."),
        "christian_era": _(
            "%(year)s is not a Buddhist-Era year. Write the year in B.E., for example "
            "2569 (C.E. %(year)s is B.E. %(be_year)s)."
        ),
        "short_year": _("Write the year in full, four digits in B.E., for example 2569."),
        "no_such_day": _("%(month)s has no day %(day)s: it has %(days)s days."),
        "no_such_month": _("There is no month %(month)s: months are 1 to 12."),
        "out_of_range": _("The date must be between %(min)s and %(max)s."),
    }

    def __init__(self, *, min_date=DEFAULT_MIN_DATE, max_date=DEFAULT_MAX_DATE, **kwargs):
        self.min_date, self.max_date = min_date, max_date
        kwargs.setdefault("help_text", _("Day/month/year B.E., for example 1/12/2569."))
        super().__init__(**kwargs)

    def _error(self, code: str, **params):
        return ValidationError(self.error_messages[code], code=code, params=params)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip().translate(THAI_TO_ASCII)
        if not text:
            return None
        if iso := ISO_DATE.fullmatch(text):
            year, month, day = (int(part) for part in iso.groups())
        elif thai := THAI_DATE.fullmatch(text):
            day, month, be_year = (int(part) for part in thai.groups())
            if len(thai.group(3)) < 4:
                raise self._error("short_year")
            if be_year < FIRST_BE_YEAR:
                raise self._error("christian_era", year=be_year, be_year=be_year + BE_OFFSET)
            year = be_year - BE_OFFSET
        else:
            raise self._error("invalid", example=format_be_date(datetime.date(2026, 12, 1)))
        if not 1 <= month <= 12:
            raise self._error("no_such_month", month=month)
        if not self.min_date.year <= year <= self.max_date.year:
            raise self._out_of_range()
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            month_name = format_month(datetime.date(year, month, 1))
            raise self._error("no_such_day", day=day, month=month_name, days=days)
        result = datetime.date(year, month, day)
        if not self.min_date <= result <= self.max_date:
            raise self._out_of_range()
        return result

    def _out_of_range(self):
        return self._error(
            "out_of_range", min=format_be_date(self.min_date), max=format_be_date(self.max_date)
        )


class TimeInput24(forms.TextInput):
    """A text input for a time on the 24-hour clock, ``09:30``: never AM/PM."""

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": "09:30",
            "size": 6,
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return super().format_value(value)


class Time24Field(forms.TimeField):
    """A time typed ``09:30``, ``9.30`` or ``๐๙.๓๐ น.`` on the 24-hour clock."""

    widget = TimeInput24
    default_error_messages = {
        "invalid": _("Write the time on the 24-hour clock, for example 09:30 or 13:00."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("24-hour clock, for example 13:30."))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        text = str(value).strip().translate(THAI_TO_ASCII)
        if not text:
            return None
        match = TIME_24H.fullmatch(text)
        hour, minute = (int(part) for part in match.groups()) if match else (99, 99)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.time(hour, minute)
