"""Open data: the statistics the municipality publishes, per month of a fiscal year,
for the data.go.th catalogue and the integrity and transparency assessment (ITA).

Two tables, each as rows of plain values with a dictionary of its columns:

- ``statistics``: per month and per community, department and category (and the
  whole city), the issues raised, resolved, closed per outcome and still open;
- ``complaints``: per month and per channel, the complaints received and handled,
  and handled in time, as the ITA asks a municipality to publish them.

Counted with the rules of ``kpis`` (``counts_as_resolved``, ``closed_on``,
``open_on``), never with rules of their own. The rows name public bodies only
(communities, departments, categories): no titles, descriptions, people, phone
numbers or notes. Each table takes the same few queries whatever the number of issues.
"""

import calendar
import csv
import datetime
import io
import json
import operator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, IssueCategory
from core.thaidates import fiscal_year_bounds
from issues.models import Channel, Issue, Outcome

from .kpis import (
    EXCLUDED,
    FIGURES,
    LocalMonth,
    closed_on,
    counts_as_resolved,
    day_after,
    day_start,
    local_month,
    medians_by,
    open_on,
)


@dataclass(frozen=True)
class Column:
    """One column of a published table: its name (snake_case English), its type as
    data.go.th's data dictionary names them, and what it holds."""

    name: str
    type: str  # "integer", "number", "string" or "date"
    description: str


def _format(template, **values) -> str:
    return str(template) % {name: str(value) for name, value in values.items()}


# A description put together from translated parts, translated when it is shown.
_format_lazy = lazy(_format, str)

CITY_CODE = "all"
UNROUTED_CODE = "none"
DIMENSIONS = ("city", "community", "department", "category")
NOT_RECORDED = "outcome_not_recorded"


def _outcome_columns() -> list[Column]:
    columns = [
        Column(
            f"closed_{value}",
            "integer",
            _format_lazy(
                _(
                    "Of the issues raised in the month, closed by the date of the figures "
                    "with the outcome: %(outcome)s"
                ),
                outcome=label,
            ),
        )
        for value, label in Outcome.choices
    ]
    columns.append(
        Column(
            f"closed_{NOT_RECORDED}",
            "integer",
            _(
                "Of the issues raised in the month, closed by the date of the figures without "
                "a recorded outcome."
            ),
        )
    )
    return columns


def _period_columns() -> list[Column]:
    return [
        Column(
            "fiscal_year", "integer", _("Fiscal year, Buddhist Era (1 October to 30 September).")
        ),
        Column(
            "month",
            "string",
            _(
                "Month the figures are for, ISO 8601 YYYY-MM in the Christian Era "
                "(2025-10 is October 2568 BE)."
            ),
        ),
    ]


def statistics_columns() -> list[Column]:
    return [
        *_period_columns(),
        Column(
            "dimension",
            "string",
            _(
                "What the row counts by: city (the whole municipality), community, department "
                "or category."
            ),
        ),
        Column(
            "code",
            "string",
            _(
                "The community's number, the department's code or the category's code; "
                '"all" for the whole city, "none" for the issues not yet routed to a '
                "department."
            ),
        ),
        Column("name_th", "string", _("Thai name of the community, department or category.")),
        Column("raised", "integer", FIGURES["raised"].definition),
        Column(
            "duplicate_or_withdrawn",
            "integer",
            _(
                "Of the issues raised in the month, those found to be duplicates or withdrawn: "
                "left out of the resolution rate."
            ),
        ),
        Column("resolved", "integer", FIGURES["resolved"].definition),
        Column(
            "resolved_with_target_date",
            "integer",
            _("Of the resolved issues, those that have a target date."),
        ),
        Column(
            "resolved_by_target_date",
            "integer",
            _("Of the resolved issues that have a target date, those resolved on or before it."),
        ),
        Column(
            "median_days_to_resolve",
            "number",
            _format_lazy(
                _("%(definition)s Empty when none was resolved."),
                definition=FIGURES["median_days"].definition,
            ),
        ),
        *_outcome_columns(),
        Column(
            "not_yet_resolved_at_month_end",
            "integer",
            _(
                "Every issue received by the end of the month, in any year, that was neither "
                "resolved nor ended by then (by the date of the figures for the current "
                "month)."
            ),
        ),
        Column(
            "overdue_at_month_end",
            "integer",
            _(
                "Of those not yet resolved at the end of the month, the ones whose target date "
                "had passed."
            ),
        ),
        Column("figures_as_of", "date", _("Date of the figures, ISO 8601 YYYY-MM-DD.")),
    ]


def complaints_columns() -> list[Column]:
    return [
        *_period_columns(),
        Column(
            "channel",
            "string",
            _(
                "How the complaint reached the municipality: meeting (raised at a community "
                "leaders' meeting), online (submitted online by a community leader) or staff "
                "(logged by municipal staff)."
            ),
        ),
        Column("channel_name_th", "string", _("Thai name of the channel.")),
        Column("received", "integer", _("Complaints received in the month.")),
        Column("handled", "integer", FIGURES["handled"].definition),
        Column(
            "not_yet_handled",
            "integer",
            _(
                "Of the complaints received in the month, those "
                "still being handled on the date of the figures."
            ),
        ),
        Column(
            "handled_with_target_date",
            "integer",
            _("Of the handled complaints, those that have a target date."),
        ),
        Column("handled_in_time", "integer", FIGURES["handled_in_time"].definition),
        Column("figures_as_of", "date", _("Date of the figures, ISO 8601 YYYY-MM-DD.")),
    ]


def today() -> datetime.date:
    """Today, in Thailand."""
    return timezone.localdate()


def figures_date(year: int) -> datetime.date:
    """The date of the figures published for fiscal year ``year``: today while the
    year runs, its last day once it is over, as on the dashboard, so a past year's
    statistics stay what they were when it ended."""
    return min(today(), fiscal_year_bounds(year)[1])


def months_of(year: int, as_of: datetime.date) -> list[datetime.date]:
    """Return the first day of each month of fiscal year ``year`` up to ``as_of``."""
    start, end = fiscal_year_bounds(year)
    end = min(end, as_of)
    months, day = [], start
    while day <= end:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _last_day(month: datetime.date, as_of: datetime.date) -> datetime.date:
    """The month's last day, or ``as_of`` in the month of the figures."""
    return min(month.replace(day=calendar.monthrange(month.year, month.month)[1]), as_of)


def _window(months: list[datetime.date], as_of: datetime.date) -> Q:
    return Q(
        received_at__gte=day_start(months[0]),
        received_at__lt=day_after(_last_day(months[-1], as_of)),
    )


def _thai(text) -> str:
    with translation.override("th"):
        return str(text)


@dataclass
class Table:
    """A published table: its columns and its rows (dicts keyed by column name)."""

    columns: list[Column]
    rows: list[dict]
    fiscal_year: int
    as_of: datetime.date


# The statistics table -------------------------------------------------------------

# The field each dimension counts by; the city's rows count every issue.
_FIELDS = {
    "city": None,
    "community": "community",
    "department": "department",
    "category": "category",
}


def _bodies(dimensions=DIMENSIONS) -> dict[str, list[tuple[object, str, str]]]:
    """Per dimension, (primary key, code, Thai name) of every public body, in order."""
    bodies = {}
    if "city" in dimensions:
        bodies["city"] = [(None, CITY_CODE, settings.MUNICIPALITY_NAME)]
    if "community" in dimensions:
        bodies["community"] = [
            (pk, str(number), name)
            for pk, number, name in Community.objects.order_by("number").values_list(
                "pk", "number", "name_th"
            )
        ]
    if "department" in dimensions:
        bodies["department"] = [
            (pk, code, name)
            for pk, code, name in Department.objects.exclude(kind=Department.Kind.EXTERNAL)
            .order_by("kind", "name_th")
            .values_list("pk", "code", "name_th")
        ]
        # A leader's submission is routed once it is on a meeting's agenda.
        bodies["department"].append(
            (None, UNROUTED_CODE, _thai(_("Not yet routed to a department")))
        )
    if "category" in dimensions:
        bodies["category"] = list(
            IssueCategory.objects.order_by("sort_order", "code").values_list(
                "pk", "code", "name_th"
            )
        )
    return bodies


def _local_month(field: str, months: list[datetime.date]) -> LocalMonth:
    """The first day of ``field``'s month in the current time zone, as a date, for a
    moment in ``months`` (None outside them)."""
    return local_month(field, months[0], months[-1])


def statistics(*, year: int, as_of: datetime.date, dimensions=DIMENSIONS) -> Table:
    """Return the statistics of fiscal year ``year`` per month up to ``as_of``: one row
    per month and per city, community, department and category, zeros included.

    Counted by the database, whatever the number of issues: the issues raised per
    month and body and what has become of them, a query per dimension (the city's
    are those of another dimension added up), the middle durations of the resolved
    ones (for the medians, of every dimension in one query), and the issues open at
    each month's end per community, department and category in one query. Python
    only lays the rows out."""
    months = months_of(year, as_of)
    columns = statistics_columns()
    if not months:
        return Table(columns, [], year, as_of)
    as_of_end = day_after(as_of)
    outcome_keys = [*Outcome.values, NOT_RECORDED]
    closed_q = closed_on(as_of_end)
    resolved_q = counts_as_resolved(as_of_end)
    raised_counts = {
        "raised": Count("pk"),
        "duplicate_or_withdrawn": Count("pk", filter=Q(status__in=EXCLUDED)),
        "resolved": Count("pk", filter=resolved_q),
        "resolved_with_target_date": Count("pk", filter=resolved_q & Q(target_date__isnull=False)),
        # Resolved on or before the target date, the day of resolving in local time.
        "resolved_by_target_date": Count(
            "pk",
            filter=resolved_q
            & Q(target_date__isnull=False, resolved_at__date__lte=F("target_date")),
        ),
        **{
            f"closed_{key}": Count(
                "pk", filter=closed_q & Q(outcome="" if key == NOT_RECORDED else key)
            )
            for key in outcome_keys
        },
    }
    raised_in_window = Issue.objects.filter(_window(months, as_of)).annotate(
        month=_local_month("received_at", months)
    )

    # What was still open at the end of each month, whenever it was raised: only the
    # issues not resolved nor ended before the first month's end are read.
    ends = [_last_day(month, as_of) for month in months]
    stock = {}
    for index, end in enumerate(ends):
        open_q = open_on(day_after(end))
        stock[f"open_{index}"] = Count("pk", filter=open_q)
        stock[f"overdue_{index}"] = Count("pk", filter=open_q & Q(target_date__lt=end))
    first_end = day_after(ends[0])
    backlog = Issue.objects.filter(
        Q(received_at__lt=day_after(ends[-1]))
        & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=first_end))
        & (Q(ended_at__isnull=True) | Q(ended_at__gte=first_end))
    )

    counts: dict = {}
    # The city's counts are those of any other dimension added up (every issue is of
    # one community and one category, and of one department or none): counted with
    # them, not in a pass of their own.
    counted = [dimension for dimension in dimensions if _FIELDS[dimension]] or ["city"]
    for dimension in counted:
        field = _FIELDS[dimension]
        by = ("month", field) if field else ("month",)
        for entry in raised_in_window.values(*by).annotate(**raised_counts).order_by():
            counts[(entry["month"], dimension, entry.get(field))] = entry
            if "city" in dimensions and dimension == counted[0] != "city":
                city = counts.setdefault((entry["month"], "city", None), {})
                for name in raised_counts:
                    city[name] = city.get(name, 0) + entry[name]
    medians = {
        (month, dimension, pk[0] if pk else None): median
        for dimension, groups in medians_by(
            raised_in_window.filter(resolved_q),
            {
                dimension: ("month", _FIELDS[dimension]) if _FIELDS[dimension] else ("month",)
                for dimension in dimensions
            },
            earlier="received_at",
            later="resolved_at",
        ).items()
        for (month, *pk), (_count, median) in groups.items()
    }
    # Per community, department and category at once (a few hundred rows), each
    # added to its three bodies and the city.
    fields = [_FIELDS[dimension] for dimension in dimensions if _FIELDS[dimension]]
    stocks = (
        backlog.values_list(*fields).annotate(**stock).order_by()
        if fields
        else [tuple(backlog.aggregate(**stock).values())]
    )
    # Per dimension and body, the open and overdue of each month, in ``stock``'s order.
    sums: dict = {dimension: {} for dimension in dimensions}
    positions = [
        (dimension, fields.index(_FIELDS[dimension]) if _FIELDS[dimension] else None)
        for dimension in dimensions
    ]
    for entry in stocks:
        values = entry[len(fields) :]
        for dimension, position in positions:
            pk = entry[position] if position is not None else None
            found = sums[dimension].get(pk)
            if found is None:
                sums[dimension][pk] = list(values)
            else:
                found[:] = map(operator.add, found, values)
    for dimension, bodies_found in sums.items():
        for pk, values in bodies_found.items():
            for index, month in enumerate(months):
                row = counts.setdefault((month, dimension, pk), {})
                row["not_yet_resolved_at_month_end"] = values[2 * index]
                row["overdue_at_month_end"] = values[2 * index + 1]

    bodies = _bodies(dimensions)
    counted_names = [column.name for column in columns[5:-1]]
    rows = []
    for month in months:
        for dimension in dimensions:
            for pk, code, name in bodies[dimension]:
                found = counts.get((month, dimension, pk), {})
                row = {
                    "fiscal_year": year,
                    "month": month.strftime("%Y-%m"),
                    "dimension": dimension,
                    "code": code,
                    "name_th": name,
                }
                for name in counted_names:
                    row[name] = found.get(name, 0)
                row["median_days_to_resolve"] = medians.get((month, dimension, pk))
                row["figures_as_of"] = as_of.isoformat()
                rows.append(row)
    return Table(columns, rows, year, as_of)


# The complaint-handling statistics (ITA) --------------------------------------------


def complaints(*, year: int, as_of: datetime.date) -> Table:
    """Return the complaint-handling statistics of fiscal year ``year``: per month up
    to ``as_of`` and per channel, the complaints received, handled and handled in time."""
    months = months_of(year, as_of)
    columns = complaints_columns()
    if not months:
        return Table(columns, [], year, as_of)
    as_of_end = day_after(as_of)
    handled_q = ~open_on(as_of_end)
    # Handled in time: finished (resolved, or else ended) on or before the target date,
    # the day of finishing in local time.
    resolved_by_then = Q(resolved_at__lt=as_of_end)
    in_time_q = (
        handled_q
        & Q(target_date__isnull=False)
        & (
            (resolved_by_then & Q(resolved_at__date__lte=F("target_date")))
            | (~resolved_by_then & Q(ended_at__date__lte=F("target_date")))
        )
    )
    received = (
        Issue.objects.filter(_window(months, as_of))
        .annotate(month=_local_month("received_at", months))
        .values("month", "channel")
        .annotate(
            received=Count("pk"),
            handled=Count("pk", filter=handled_q),
            handled_with_target_date=Count("pk", filter=handled_q & Q(target_date__isnull=False)),
            handled_in_time=Count("pk", filter=in_time_q),
        )
        .order_by()
    )
    counts = {(entry["month"], entry["channel"]): entry for entry in received}
    rows = []
    for month in months:
        for channel, label in Channel.choices:
            found = counts.get((month, channel), {})
            rows.append(
                {
                    "fiscal_year": year,
                    "month": month.strftime("%Y-%m"),
                    "channel": channel,
                    "channel_name_th": _thai(label),
                    "received": found.get("received", 0),
                    "handled": found.get("handled", 0),
                    "not_yet_handled": found.get("received", 0) - found.get("handled", 0),
                    "handled_with_target_date": found.get("handled_with_target_date", 0),
                    "handled_in_time": found.get("handled_in_time", 0),
                    "figures_as_of": as_of.isoformat(),
                }
            )
    return Table(columns, rows, year, as_of)


COMPLAINT_COUNTS = (
    "received",
    "handled",
    "not_yet_handled",
    "handled_with_target_date",
    "handled_in_time",
)


def complaints_by_channel(table: Table) -> tuple[list[dict], dict]:
    """Return the complaint counts of the whole period per channel (channel,
    channel_name_th and the counts), and their total."""
    channels: dict[str, dict] = {}
    for row in table.rows:
        entry = channels.setdefault(
            row["channel"],
            {"channel": row["channel"], "channel_name_th": row["channel_name_th"]}
            | dict.fromkeys(COMPLAINT_COUNTS, 0),
        )
        for name in COMPLAINT_COUNTS:
            entry[name] += row[name]
    total = {name: sum(entry[name] for entry in channels.values()) for name in COMPLAINT_COUNTS}
    return list(channels.values()), total


# The files ------------------------------------------------------------------------


def as_csv(table: Table) -> bytes:
    """Return the table as CSV: UTF-8 with a byte-order mark (so Excel reads the Thai),
    one header row of the column names, comma-separated, CRLF line ends (RFC 4180);
    an empty cell for a value there is none of (a median with nothing resolved)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    names = [column.name for column in table.columns]
    writer.writerow(names)
    for row in table.rows:
        writer.writerow(["" if row[name] is None else row[name] for name in names])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_json(table: Table, *, title: str) -> bytes:
    """Return the table as UTF-8 JSON: what it is, its period, a dictionary of its
    columns (name, type, Thai description) and the same rows as the CSV."""
    start, end = fiscal_year_bounds(table.fiscal_year)
    document = {
        "title_th": _thai(title),
        "publisher_th": settings.MUNICIPALITY_NAME,
        "fiscal_year": table.fiscal_year,
        "period_start": start.isoformat(),
        "period_end": min(end, table.as_of).isoformat(),
        "figures_as_of": table.as_of.isoformat(),
        "columns": [
            {"name": column.name, "type": column.type, "description_th": _thai(column.description)}
            for column in table.columns
        ],
        "rows": table.rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
