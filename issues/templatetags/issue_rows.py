"""What every issue row shows, built once per page instead of once per row: a list of
two thousand rows spent a third of its time on status labels and ``reverse()``."""

import datetime
import functools
import html

from django import template
from django.template.defaultfilters import linebreaksbr
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core import thaidates
from core.templatetags.thaidate import thai_date_short

from ..models import Status

register = template.Library()


def _escape(text) -> str:
    """``conditional_escape``, for text written into a page built here."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


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


def _badge(issue, language: str | None) -> SafeString:
    badge = _badges(language).get(issue.status) or format_html(
        '<span class="badge issue-{}">{}</span>', issue.status, issue.status
    )
    if getattr(issue, "overdue", False):
        return badge + _overdue_badge(language)
    return badge


@register.filter
def status_badge(issue) -> SafeString:
    """The issue's status badge, and "overdue" beside it when the row is overdue."""
    return _badge(issue, get_language())


@functools.cache
def _url_parts(name: str, script_prefix: str, urlconf: str | None) -> tuple[str, str]:
    head, _key, tail = reverse(name, args=[_KEY]).partition(str(_KEY))
    return head, tail


def _issue_address(name: str, issue) -> str:
    """``reverse(name, args=[issue.pk])`` of an issue's page, without a ``reverse()``."""
    head, tail = _url_parts(name, get_script_prefix(), get_urlconf())
    return f"{head}{issue.pk}{tail}"


@register.filter
def issue_url(issue) -> str:
    """The issue's page: ``get_absolute_url`` without a ``reverse()`` per row."""
    return _issue_address("issues:detail", issue)


def _number(value) -> str:
    """``{{ value }}`` of a number: as the template language writes it."""
    return formats.localize(value)


class _RowWriter:
    """Writes rows of the issue table, with what every row shares (the language, the
    time zone, the address of an issue's page) read once for all of them."""

    def __init__(self, bulk, target_label):
        self.bulk = bulk
        self.target_label = _escape(target_label)
        self.language = get_language()
        self.english = (self.language or "").startswith("en")
        self.date = _short_date_writer()
        self.head, self.tail = _url_parts("issues:detail", get_script_prefix(), get_urlconf())
        # ``{{ n }}`` of a whole number localises it, which without thousand
        # separators is its digits; otherwise each number is localised.
        self.plain_numbers = formats.localize(1234567) == "1234567"

    def number(self, value) -> str:
        return str(value) if self.plain_numbers and type(value) is int else _number(value)

    def name(self, named) -> str:
        """``named.name`` (``BilingualNameMixin``) in the language read once."""
        return named.name_en if named.name_en and self.english else named.name_th

    def row(self, issue) -> str:
        reference = _escape(issue.reference)
        title = _escape(issue.title)
        overdue = getattr(issue, "overdue", False)
        parts = ['<tr class="row-overdue">' if overdue else "<tr>", "\n      "]
        if self.bulk:
            pk = self.number(issue.pk)
            tick = gettext("Tick %(ref)s") % {"ref": reference}
            parts.append(
                f'<td class="tick"><input type="checkbox" name="issue" value="{pk}:'
                f'{self.number(issue.version)}" form="bulk-form" id="tick-{pk}" '
                f'aria-label="{tick}"></td>'
            )
        parts.append("\n      ")
        if getattr(issue, "readable", None) is False:
            parts.append(f'<td class="nowrap">{reference}</td>\n      <td>{title}<br>')
        else:
            url = f"{self.head}{issue.pk}{self.tail}"
            parts.append(
                f'<td class="nowrap"><a href="{url}">{reference}</a></td>\n'
                f'      <td><a href="{url}">{title}</a><br>'
            )
        community, department = issue.community, issue.department
        department_name = (self.name(department) if department is not None else "") or "—"
        badge = _badges(self.language).get(issue.status) or format_html(
            '<span class="badge issue-{}">{}</span>', issue.status, issue.status
        )
        if overdue:
            badge += _overdue_badge(self.language)
        parts.append(
            f'<span class="muted">{_escape(self.name(issue.category))}</span></td>\n'
            f'      <td class="wide-only">{self.number(community.number)}. '
            f"{_escape(self.name(community))}</td>\n"
            f'      <td class="wide-only">{_escape(department_name)}</td>\n'
            f'      <td class="wide-only nowrap">'
            f"{_escape(self.date(issue.received_at))}</td>\n"
            f'      <td class="nowrap stack-inline" data-label="{self.target_label}">'
            f"{_escape(self.date(issue.target_date) or '—')}</td>\n"
            f'      <td class="stack-inline">{badge}</td>\n'
            "    </tr>"
        )
        return "".join(parts)


@register.simple_tag
def issue_row(issue, bulk, target_label) -> SafeString:
    """The issue list's row of ``issue`` (``issues/_issue_table.html``): what the
    template wrote, without its sixty lookups a row. ``bulk`` adds the tick box;
    ``target_label`` is the target date's column name, for phones."""
    return mark_safe(_RowWriter(bulk, target_label).row(issue))


@register.simple_tag
def issue_rows(issues, bulk, target_label) -> SafeString:
    """Every row of ``issues`` (``issue_row``), as the template's loop wrote them."""
    writer = _RowWriter(bulk, target_label)
    return mark_safe("".join(f"\n    {writer.row(issue)}\n  " for issue in issues))


def _date_writer(*, short: bool):
    """``thai_date`` (``short``: ``thai_date_short``) for many values, the language
    and time zone read once."""
    zone, language = timezone.get_current_timezone(), get_language() or "th"

    def write(value) -> str:
        if not value:
            return ""
        if isinstance(value, datetime.datetime):
            value = (value.astimezone(zone) if timezone.is_aware(value) else value).date()
        return thaidates.format_date(value, short=short, language=language)

    return write


def _short_date_writer():
    return _date_writer(short=True)


class _ReportWriter:
    """Writes the issues of a community's progress report, with what they share (the
    language, the time zone, the words every issue repeats) read once."""

    def __init__(self):
        self.language = get_language()
        self.english = (self.language or "").startswith("en")
        self.short_date = _date_writer(short=True)
        self.date = _date_writer(short=False)
        self.target_label = _escape(gettext("Target date"))
        self.head, self.tail = _url_parts("issues:detail", get_script_prefix(), get_urlconf())

    def name(self, named) -> str:
        """``named.name`` (``BilingualNameMixin``) in the language read once."""
        return named.name_en if named.name_en and self.english else named.name_th

    def timeline(self, updates) -> str:
        entries = []
        for update in updates:
            department = update.to_department
            moved = f" → {_escape(self.name(department))}" if department else ""
            note = f"<br>{linebreaksbr(update.note, autoescape=True)}" if update.note else ""
            entries.append(
                f'<li class="timeline-entry{"" if update.is_public else " internal"}">\n'
                f'      <div class="when">{_escape(self.short_date(update.created_at))}</div>\n'
                f'      <div class="what"><strong>{_escape(getattr(update, "action", ""))}'
                f"</strong>{moved}{note}</div>\n"
                "    </li>"
            )
        return "".join(entries)

    def issue(self, issue) -> str:
        department = issue.department
        department_name = (self.name(department) if department is not None else "") or "—"
        target = ""
        if issue.target_date:
            target = f" · {self.target_label} {_escape(self.date(issue.target_date))}"
        photos = ""
        if issue.latest_photos:
            alt = _escape(gettext("Photo of the problem"))
            photos = (
                '<ul class="gallery small">'
                + "".join(
                    f'<li><figure><img src="'
                    f"{_escape(reverse('issues:photo_file', args=[issue.pk, photo.pk, 'thumb']))}"
                    f'" alt="{alt}" loading="lazy"></figure></li>'
                    for photo in issue.latest_photos
                )
                + "</ul>"
            )
        return (
            '<article class="card report-issue">\n'
            f'  <h2><a href="{self.head}{issue.pk}{self.tail}">{_escape(issue.reference)} '
            f"{_escape(issue.title)}</a></h2>\n"
            f"  <p>{_badge(issue, self.language)}\n"
            f" · {_escape(department_name)}{target}</p>\n"
            '  <ol class="timeline">\n'
            f"    {self.timeline(issue.timeline)}\n"
            "  </ol>\n"
            f"  {photos}\n"
            "</article>"
        )


@register.simple_tag
def report_timeline(updates) -> SafeString:
    """The entries of an issue's timeline on a community's progress report: what the
    template wrote for each, without a template's lookups for each of hundreds."""
    return mark_safe(_ReportWriter().timeline(updates))


@register.simple_tag(takes_context=True)
def work_row(context, issue, section) -> SafeString:
    """The worklist's row of ``issue`` in ``section`` (its key), with the form that
    accepts it in the section of issues to accept: what ``issues/worklist.html``
    wrote, without the template's lookups for each of a hundred rows."""
    reference = _escape(issue.reference)
    community = issue.community
    parts = [
        '<li class="work-row row-overdue">'
        if getattr(issue, "overdue", False)
        else '<li class="work-row">',
        '\n        <div class="work-what">\n'
        f'          <a href="{issue_url(issue)}"><span class="nowrap">{reference}</span> '
        f"{_escape(issue.title)}</a>\n"
        f'          <div class="muted">{_number(community.number)}. '
        f"{_escape(community.name)} · {_escape(issue.category.name)} · "
        f'{_escape(gettext("received"))} <span class="nowrap">'
        f"{_escape(thai_date_short(issue.received_at))}</span> · "
        f'{_escape(gettext("target"))} <span class="nowrap">'
        f"{_escape(thai_date_short(issue.target_date) or '—')}</span></div>\n"
        f'          <div class="work-status">{status_badge(issue)}</div>\n'
        "        </div>\n        ",
    ]
    if section == "to_accept":
        accept = gettext("Accept %(reference)s") % {"reference": reference}
        parts.append(
            f'\n        <form method="post" action="{_issue_address("issues:accept", issue)}">'
            f"{CsrfTokenNode().render(context)}\n"
            f'          <input type="hidden" name="version" value="{_number(issue.version)}">\n'
            '          <input type="hidden" name="back" value="worklist">\n'
            f'          <button type="submit" class="button accept-button" aria-label="{accept}">'
            f"{_escape(gettext('Accept'))}</button>\n"
            "        </form>\n        "
        )
    parts.append("\n      </li>")
    return mark_safe("".join(parts))


@register.simple_tag
def report_issue(issue) -> SafeString:
    """An issue of a community's progress report, with its timeline
    (``report_timeline``) and latest photos: what the template wrote for each of
    the report's issues."""
    return mark_safe(_ReportWriter().issue(issue))


@register.simple_tag
def report_issues(issues) -> SafeString:
    """Every issue of the report (``report_issue``), as the template's loop wrote them."""
    writer = _ReportWriter()
    return mark_safe("".join(f"\n{writer.issue(issue)}\n" for issue in issues))
