"""The CSV export of an issue list: the rows a user sees on the list page, as a file.

The file is for Excel as much as for scripts: UTF-8 with a byte-order mark (without
it Excel reads Thai as mojibake), each date twice on the Bangkok calendar, as ISO
``YYYY-MM-DD`` for scripts and in the Buddhist Era (``1/12/2569``) for readers, and
user-typed text kept from being run as a formula."""

import csv
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import format_be_date
from core.thaidates import be_date_slug

from .models import Issue, IssueUpdate

# Enough rows per round trip to keep the query count low, few enough to keep
# memory flat however long the list is.
CHUNK_SIZE = 500

BOM = "\ufeff"

# Excel and LibreOffice treat a cell starting with one of these as a formula
# (OWASP "CSV injection"); a tab or carriage return can hide one after it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain number such as a negative coordinate is data, not a formula: left as is
# so it stays a number in the spreadsheet.
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _local_date(value: datetime.datetime | datetime.date | None) -> str:
    """Return ``value`` as ``YYYY-MM-DD``; a moment is taken on the Bangkok calendar."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def _thai_date(value: datetime.datetime | datetime.date | None) -> str:
    """Return ``value`` as the date inputs write it, ``1/12/2569``, on the Bangkok calendar."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return format_be_date(value)


def _yes_no(value) -> str:
    return gettext("Yes") if value else gettext("No")


def _name(related) -> str:
    return related.name if related is not None else ""


def _number(value: Decimal | None) -> str:
    return "" if value is None else str(value)


# One entry per column, header beside the value, so the two cannot drift apart.
COLUMNS: tuple[tuple[Promise, Callable[[Issue], str]], ...] = (
    (_("Reference"), lambda issue: issue.reference),
    (_("Fiscal year"), lambda issue: str(issue.fiscal_year)),
    (_("Community no."), lambda issue: str(issue.community.number)),
    (_("Community"), lambda issue: issue.community.name),
    (_("Category"), lambda issue: issue.category.name),
    (_("Title"), lambda issue: issue.title),
    (_("Description"), lambda issue: issue.description),
    (_("Location"), lambda issue: issue.location_text),
    (_("Latitude"), lambda issue: _number(issue.latitude)),
    (_("Longitude"), lambda issue: _number(issue.longitude)),
    (
        _("Raised at meeting"),
        lambda issue: issue.meeting.number_label if issue.meeting else "",
    ),
    (_("Raised by"), lambda issue: issue.raised_by),
    (_("Department"), lambda issue: _name(issue.department)),
    (_("Follow-up team"), lambda issue: _yes_no(issue.follow_up_team)),
    (_("Priority"), lambda issue: str(issue.get_priority_display())),
    (_("Status"), lambda issue: str(issue.get_status_display())),
    (_("Overdue"), lambda issue: _yes_no(issue.overdue)),
    (_("Target date"), lambda issue: _local_date(issue.target_date)),
    (_("Target date (B.E.)"), lambda issue: _thai_date(issue.target_date)),
    (_("Received"), lambda issue: _local_date(issue.received_at)),
    (_("Received (B.E.)"), lambda issue: _thai_date(issue.received_at)),
    (_("Resolved"), lambda issue: _local_date(issue.resolved_at)),
    (_("Resolved (B.E.)"), lambda issue: _thai_date(issue.resolved_at)),
    (_("Closed/ended"), lambda issue: _local_date(issue.ended_at)),
    (_("Closed/ended (B.E.)"), lambda issue: _thai_date(issue.ended_at)),
    (_("Latest public progress"), lambda issue: issue.latest_public_progress or ""),
)


def neutralise(cell: str) -> str:
    """Return ``cell`` with a leading ``'`` if a spreadsheet would run it as a formula."""
    if cell.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def with_export_columns(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    """Add what the export shows beyond a list row: the meeting and the latest public note.

    ``issues`` should come from ``selectors.with_list_columns``. The note is a
    subquery so the whole file is one query, however many issues it holds."""
    latest_public = (
        IssueUpdate.objects.filter(issue=OuterRef("pk"), is_public=True)
        .exclude(note="")
        .order_by("-created_at", "-pk")
    )
    return issues.select_related("meeting").annotate(
        latest_public_progress=Subquery(latest_public.values("note")[:1])
    )


def issues_csv_rows(issues: Iterable[Issue]) -> Iterator[list[str]]:
    """Yield the header, then one row per issue, every cell safe to open in Excel.

    ``issues`` must carry ``with_list_columns`` and ``with_export_columns``. Labels
    are translated into the active language as the rows are made."""
    yield [str(label) for label, _value in COLUMNS]
    for issue in issues:
        yield [neutralise(value(issue)) for _label, value in COLUMNS]


class Echo:
    """A file-like object that hands back what is written, so ``csv.writer`` can
    format one row at a time for a streaming response instead of a whole file."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[list[str]]) -> Iterator[str]:
    """Yield the BOM, then each row as one CSV line."""
    writer = csv.writer(Echo())
    yield BOM
    for row in rows:
        yield writer.writerow(row)


def export_filename(*, today: datetime.date | None = None) -> str:
    """Return the file's name, dated the day of the download in the B.E.: ``issues-2569-12-01.csv``."""
    return f"issues-{be_date_slug(today or timezone.localdate())}.csv"
