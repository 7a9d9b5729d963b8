"""What every issue row shows, built once per page instead of once per row: a list of
two thousand rows spent a third of its time on status labels and ``reverse()``."""

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from ..models import Status

register = template.Library()

# A number no issue has, to find where the key goes in the detail page's address.
_KEY = 987654321


@functools.cache
def _badges(language: str | None) -> dict[str, SafeString]:
    """The status badges in ``language`` (the active one), by status value."""
    return {
        value: format_html('<span class="badge issue-{}">{}</span>', value, label)
        for value, label in Status.choices
    }


@functools.cache
def _overdue_badge(language: str | None) -> SafeString:
    return format_html(' <span class="badge overdue">{}</span>', gettext("overdue"))


@register.filter
def status_badge(issue) -> SafeString:
    """The issue's status badge, and "overdue" beside it when the row is overdue."""
    language = get_language()
    badge = _badges(language).get(issue.status) or format_html(
        '<span class="badge issue-{}">{}</span>', issue.status, issue.status
    )
    if getattr(issue, "overdue", False):
        return badge + _overdue_badge(language)
    return badge


@functools.cache
def _detail_url(script_prefix: str, urlconf: str | None) -> tuple[str, str]:
    head, _key, tail = reverse("issues:detail", args=[_KEY]).partition(str(_KEY))
    return head, tail


@register.filter
def issue_url(issue) -> str:
    """The issue's page: ``get_absolute_url`` without a ``reverse()`` per row."""
    head, tail = _detail_url(get_script_prefix(), get_urlconf())
    return f"{head}{issue.pk}{tail}"
