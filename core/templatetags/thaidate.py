"""Template filters for Thai dates; loaded as builtins, so no ``{% load %}`` is needed.

``{{ d|thai_date }}`` → 3 มีนาคม 2569, ``{{ d|thai_date_short }}`` → 3 มี.ค. 69,
``{{ d|thai_date:"digits" }}`` → ๓ มีนาคม ๒๕๖๙, ``{{ d|fiscal_year }}`` → 2569,
``{{ n|thai_digits }}`` → ๑๒. In English the dates are CE.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core import thaidates

register = template.Library()


def _wants_thai_digits(arg) -> bool:
    return arg == "digits"


@register.filter
def thai_date(value, arg=None):
    if not value:
        return ""
    return thaidates.format_date(value, thai_digits=_wants_thai_digits(arg))


@register.filter
def thai_date_short(value, arg=None):
    if not value:
        return ""
    return thaidates.format_date(value, short=True, thai_digits=_wants_thai_digits(arg))


@register.filter
def thai_date_official(value, arg=None):
    """``วันพุธที่ 4 มีนาคม 2569`` — always Thai: it is for official documents."""
    if not value:
        return ""
    return thaidates.format_official_date(value, thai_digits=_wants_thai_digits(arg))


@register.filter
def thai_month(value, arg=None):
    """``มีนาคม 2569``; ``{{ d|thai_month:"short" }}`` gives ``มี.ค. 69``."""
    if not value:
        return ""
    return thaidates.format_month(value, short=arg == "short")


@register.filter
def fiscal_year(value):
    if not value:
        return ""
    return thaidates.format_fiscal_year(value)


@register.filter
def thai_digits(value):
    return thaidates.to_thai_digits(value)


@register.filter
def thai_time(value, arg=None):
    text = thaidates.format_time(value)
    return thaidates.to_thai_digits(text) if _wants_thai_digits(arg) else text


@register.filter(needs_autoescape=True)
def keep_words(value, autoescape=True):
    """Return ``value`` with each space-separated word kept on one line: a Thai name
    (นายสมชาย บุญประเสริฐ) may break between the names, never inside one."""
    escape = conditional_escape if autoescape else str
    words = str(value).split()
    return mark_safe(" ".join(f'<span class="nowrap">{escape(word)}</span>' for word in words))
