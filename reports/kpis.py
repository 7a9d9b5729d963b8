"""The city development indicators: how many problems the city solved, how fast,
and where it is stuck. The dashboard and the monthly summary PDF both read their
figures from here, so the two always agree."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    Q,
    Value,
    Window,
)
from django.db.models.functions import Abs, Coalesce, Least, RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, IssueCategory
from core.thaidates import fiscal_year_bounds
from issues.models import Issue, Outcome, Status

EXCLUDED = (Status.DUPLICATE, Status.WITHDRAWN)


@dataclass(frozen=True)
class Figure:
    """A figure the reports show: its name and, in one sentence, what it counts.
    The dashboard shows the sentence beside the figure and the PDFs print it as a
    footnote, so a reader can check any number against the rows under it."""

    name: str
    definition: str


# Every figure of the dashboard, the monthly summary and the reports, by key. Two
# scopes: "raised in the period" (a fiscal year or a month, by the day an issue was
# received) and "on the date of the figures" (every issue, whenever raised). The
# Thai names follow the glossary in the README.
FIGURES = {
    "raised": Figure(
        _("Issues raised"),
        _("Problems received from the communities in the period, whatever has become of them."),
    ),
    "resolved": Figure(
        _("Resolved"),
        _(
            "Of the issues raised in the period, those resolved by the date of the figures, "
            "less duplicates, withdrawn requests and issues closed with an outcome other "
            "than fixed."
        ),
    ),
    "resolution_rate": Figure(
        _("Resolution rate"),
        _(
            "Resolved issues out of the issues raised in the period, less duplicates and "
            "withdrawn requests."
        ),
    ),
    "partly_fixed": Figure(
        _("Partly fixed"),
        _(
            "Of the issues raised in the period, those closed as partly fixed: counted "
            "apart, not in the resolution rate."
        ),
    ),
    "median_days": Figure(
        _("Median days to resolve"),
        _(
            "Half of the resolved issues raised in the period took fewer days than this "
            "from being received to being resolved."
        ),
    ),
    "within_target": Figure(
        _("Resolved by the target date"),
        _(
            "Of the resolved issues raised in the period that have a target date, the "
            "share resolved on or before it."
        ),
    ),
    "closed": Figure(
        _("Outcome of closed issues"),
        _(
            "Of the issues raised in the period, those closed by the date of the figures, "
            "by the outcome recorded on closing."
        ),
    ),
    "open": Figure(
        _("Not yet resolved"),
        _(
            "Every issue received by the date of the figures, in any year, that was "
            "neither resolved nor ended by then."
        ),
    ),
    "overdue": Figure(
        _("Overdue"),
        _("Issues not yet resolved on the date of the figures whose target date had passed."),
    ),
    "awaiting_closing": Figure(
        _("Resolved, awaiting closing"),
        _(
            "Issues the department reports resolved that the community has not yet "
            "confirmed; they are closed once it does, or reopened."
        ),
    ),
    "handled": Figure(
        _("Complaints handled"),
        _(
            "Of the complaints received in the period, those the municipality had finished "
            "with by the date of the figures: resolved, or closed, found to be a duplicate "
            "or withdrawn."
        ),
    ),
    "handled_in_time": Figure(
        _("Handled in time"),
        _(
            "Of the handled complaints that have a target date, those finished on or before "
            "it: on the day they were resolved, or else the day they were closed, found to "
            "be a duplicate or withdrawn."
        ),
    ),
    # The trend, month by month: the months of a fiscal year add up to its "raised".
    "raised_in_month": Figure(
        _("Raised in the month"),
        _(
            "Problems received from the communities in that month, whatever has become of "
            "them; the months of a fiscal year add up to the issues raised in it."
        ),
    ),
    "resolved_in_month": Figure(
        _("Resolved in the month"),
        _(
            "Issues resolved in that month, whenever they were raised, as they stood on the "
            "date of the figures: less duplicates, withdrawn requests and issues since closed "
            "with an outcome other than fixed; an issue reopened since counts only once "
            "resolved again, in the month of its last resolution."
        ),
    ),
    "open_at_month_end": Figure(
        _("Open at the end of the month"),
        _(
            "Every issue received by the end of that month, in any year, that was neither "
            "resolved nor ended then (for the month in progress: on the date of the "
            "figures); not added up over months."
        ),
    ),
    "median_days_in_month": Figure(
        _("Median days to resolve, by month"),
        _(
            "Half of the issues resolved in that month took fewer days than this from "
            "being received to being resolved; not added up over months."
        ),
    ),
}


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_after(day: datetime.date) -> datetime.datetime:
    return day_start(day + datetime.timedelta(days=1))


@dataclass
class Indicators:
    """The KPIs of a period as they stood on ``as_of``. Every figure but two is of
    the issues raised in the period; ``open`` and ``overdue`` are of every issue on
    ``as_of``, whenever raised, so they equal the totals of the tables beside them
    and the overdue list (``FIGURES`` says so in Thai)."""

    raised: int
    counted: int  # raised, less duplicates and withdrawn requests
    resolved: int
    resolved_within_target: int
    resolved_with_target: int
    open: int
    overdue: int
    median_days_to_resolve: float | None
    partly_fixed: int = 0  # closed as partly fixed: shown apart, not in ``resolved``
    # Closed by ``as_of``, per outcome value ("" for a closing that recorded none).
    closed_by_outcome: dict = field(default_factory=dict)

    @property
    def resolution_rate(self) -> float | None:
        """Per cent of the counted issues that are resolved (``counts_as_resolved``):
        fixed, or resolved and not yet closed. Partly fixed is ``partly_fixed_rate``."""
        return round(100 * self.resolved / self.counted, 1) if self.counted else None

    @property
    def partly_fixed_rate(self) -> float | None:
        """Per cent of the counted issues closed as partly fixed."""
        return round(100 * self.partly_fixed / self.counted, 1) if self.counted else None

    @property
    def closed(self) -> int:
        return sum(self.closed_by_outcome.values())

    @property
    def outcome_rows(self) -> list[tuple[str, str, int]]:
        """(value, label, count) of every outcome, in the order of ``Outcome``; every
        outcome is listed, none hidden, and closings without one only if there are any."""
        rows = [
            (value, label, self.closed_by_outcome.get(value, 0)) for value, label in Outcome.choices
        ]
        if self.closed_by_outcome.get(""):
            rows.append(("", _("Outcome not recorded"), self.closed_by_outcome[""]))
        return rows

    @property
    def within_target_rate(self) -> float | None:
        """Per cent of resolved issues with a target date that met it: resolved
        (``resolved_at``, local date) on or before the issue's ``target_date``. That
        date is the category's target counted from the day the issue was forwarded,
        or the date its department set with a reason; every issue forwarded since
        categories got targets has one. Issues without a target date (logged before
        then) are left out of both counts."""
        if not self.resolved_with_target:
            return None
        return round(100 * self.resolved_within_target / self.resolved_with_target, 1)


def open_on(as_of_end: datetime.datetime) -> Q:
    """Issues received by then and neither resolved nor ended by then."""
    return (
        Q(received_at__lt=as_of_end)
        & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=as_of_end))
        & (Q(ended_at__isnull=True) | Q(ended_at__gte=as_of_end))
    )


def closed_on(as_of_end: datetime.datetime) -> Q:
    """Issues closed by then."""
    return Q(status=Status.CLOSED, ended_at__lt=as_of_end)


def counts_as_resolved(as_of_end: datetime.datetime) -> Q:
    """Issues resolved by then, less duplicates and withdrawn requests, that had not
    been closed with an outcome other than fixed by then.

    An issue resolved and not yet closed counts, as it always has: the department
    reports it done and the community has not yet said otherwise. Once closed, only
    the outcome "fixed" counts; "partly fixed" is counted apart, and "not fixed" with
    its reason (another agency's, no budget, withdrawn …) is shown in the breakdown
    of closed issues by outcome, never as resolved."""
    return (
        Q(resolved_at__lt=as_of_end)
        & ~Q(status__in=EXCLUDED)
        & ~(closed_on(as_of_end) & ~Q(outcome=Outcome.FIXED))
    )


def median_days(pairs) -> float | None:
    """Return the median number of days from the first to the second moment of each
    pair, skipping pairs whose second moment has not happened; None if none has."""
    days = [(later - earlier).total_seconds() / 86400 for earlier, later in pairs if later]
    return round(statistics.median(days), 1) if days else None


def median_days_between(
    issues, earlier: str, later: str, *, count: int | None = None
) -> float | None:
    """Return ``median_days`` of the (``earlier``, ``later``) moments of ``issues``,
    the same figure, from the one or two durations in the middle: the database works
    out and sorts the durations, so a year of resolved issues is not read row by row.
    ``count``: how many of ``issues`` have ``later``, if already counted."""
    durations = (
        issues.filter(**{f"{later}__isnull": False})
        .annotate(took=ExpressionWrapper(F(later) - F(earlier), output_field=DurationField()))
        .order_by("took")
        .values_list("took", flat=True)
    )
    if count is None:
        count = durations.count()
    if not count:
        return None
    middle = durations[(count - 1) // 2 : count // 2 + 1]
    return round(statistics.median(took.total_seconds() / 86400 for took in middle), 1)


def medians_by(issues, groupings: dict, *, earlier: str, later: str) -> dict:
    """Return, for each grouping of ``groupings`` (a name: the fields or annotations
    of ``issues`` that make a group, none for all of them), per group of it (the
    values of those fields, as a tuple), how many of its issues have ``later`` and
    ``median_days`` of their (``earlier``, ``later``) moments:
    ``{name: {key: (count, median)}}``.

    The same figures as reading every issue's two moments, in one query that returns
    one or two rows a group: the database works out the durations, numbers them
    within each group of each grouping and keeps only the middle ones."""
    took = ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())
    names = list(groupings)
    windows, distances = {}, []
    for index, name in enumerate(names):
        partition = [F(field) for field in groupings[name]] or None
        windows[f"group_count_{index}"] = Window(Count("pk"), partition_by=partition)
        # Twice the position in the group less its size: 1 for the middle one of an
        # odd count, 0 and 2 for the middle two of an even one; its distance to 1 is
        # at most 1 for the middle rows only.
        position = Window(RowNumber(), partition_by=partition, order_by=F("took").asc())
        windows[f"middle_{index}"] = position * 2 - Window(Count("pk"), partition_by=partition)
        distances.append(Abs(F(f"middle_{index}") - 1))
    fields = sorted({field for fields in groupings.values() for field in fields})
    rows = (
        issues.filter(**{f"{later}__isnull": False})
        .order_by()
        .annotate(took=took)
        .annotate(**windows)
        .annotate(distance=Least(*distances) if len(distances) > 1 else distances[0])
        .filter(distance__lte=1)
        .values(*fields, "took", *windows)
    )
    middles: dict = {name: {} for name in names}
    for row in rows:
        days = row["took"].total_seconds() / 86400
        for index, name in enumerate(names):
            if abs(row[f"middle_{index}"] - 1) <= 1:
                key = tuple(row[field] for field in groupings[name])
                count = row[f"group_count_{index}"]
                middles[name].setdefault(key, (count, []))[1].append(days)
    return {
        name: {
            key: (count, round(statistics.median(days), 1)) for key, (count, days) in groups.items()
        }
        for name, groups in middles.items()
    }


# The counts of ``Indicators`` and ``GroupRow`` of the issues raised in a period, and
# those of every issue open on the date of the figures.
RAISED_COUNTS = (
    *(f"closed_{value or 'none'}" for value in ["", *Outcome.values]),
    "raised",
    "counted",
    "resolved",
    "with_target",
    "within_target",
)
OPEN_COUNTS = ("open", "overdue")


def _count_rows(scope, fields: tuple[str, ...], aggregates: dict, names) -> list[dict]:
    """``aggregates`` of ``scope`` per combination of ``fields``, as rows that also
    hold a zero for each of ``names`` they do not count."""
    found = (
        list(scope.values(*fields).annotate(**aggregates).order_by())
        if fields
        else [scope.aggregate(**aggregates)]
    )
    return [dict.fromkeys(names, 0) | row for row in found]


def raised_rows(
    fields: tuple[str, ...],
    *,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
    issues=None,
    names=RAISED_COUNTS,
) -> list[dict]:
    """Return the counts ``names`` of ``RAISED_COUNTS`` of the issues of ``issues``
    received from ``start`` to ``end`` as they stood on ``as_of``, per combination of
    ``fields``: one row per combination that has issues (``_sum_by`` adds them up).

    One query whatever the number of issues: the issues raised in the period, read
    by the day they were received, what became of each counted in one pass."""
    as_of_end = day_after(as_of)
    period = Q(received_at__gte=day_start(start), received_at__lt=day_after(end))
    resolved_q = counts_as_resolved(as_of_end)
    closed_q = closed_on(as_of_end)
    counts = {
        **{
            f"closed_{value or 'none'}": Count("pk", filter=closed_q & Q(outcome=value))
            for value in ["", *Outcome.values]
        },
        "raised": Count("pk"),
        "counted": Count("pk", filter=~Q(status__in=EXCLUDED)),
        "resolved": Count("pk", filter=resolved_q),
        "with_target": Count("pk", filter=resolved_q & Q(target_date__isnull=False)),
        # Resolved on or before the target date, the day of resolving in local time.
        "within_target": Count(
            "pk",
            filter=resolved_q
            & Q(target_date__isnull=False, resolved_at__date__lte=F("target_date")),
        ),
    }
    scope = (issues if issues is not None else Issue.objects.all()).filter(period)
    aggregates = {name: counts[name] for name in names}
    return _count_rows(scope, fields, aggregates, (*names, *OPEN_COUNTS))


def open_rows(fields: tuple[str, ...], *, as_of: datetime.date, issues=None) -> list[dict]:
    """Return ``OPEN_COUNTS`` of the issues of ``issues`` open on ``as_of``, whenever
    they were raised, per combination of ``fields``; one query."""
    open_q = open_on(day_after(as_of))
    scope = (issues if issues is not None else Issue.objects.all()).filter(open_q)
    aggregates = {"open": Count("pk"), "overdue": Count("pk", filter=Q(target_date__lt=as_of))}
    return _count_rows(scope, fields, aggregates, (*RAISED_COUNTS, *OPEN_COUNTS))


def _indicators(
    totals: dict, *, start: datetime.date, end: datetime.date, as_of: datetime.date, every
) -> Indicators:
    """Return the ``Indicators`` of ``totals`` (the counts of ``raised_rows`` and
    ``open_rows`` added up), with the median days to resolve of the resolved issues
    of ``every`` raised in the period."""
    period = Q(received_at__gte=day_start(start), received_at__lt=day_after(end))
    return Indicators(
        raised=totals["raised"],
        counted=totals["counted"],
        resolved=totals["resolved"],
        resolved_within_target=totals["within_target"],
        resolved_with_target=totals["with_target"],
        open=totals["open"],
        overdue=totals["overdue"],
        median_days_to_resolve=median_days_between(
            every.filter(period & counts_as_resolved(day_after(as_of))),
            "received_at",
            "resolved_at",
            count=totals["resolved"],
        ),
        partly_fixed=totals[f"closed_{Outcome.PARTLY_FIXED}"],
        closed_by_outcome={
            value: totals[f"closed_{value or 'none'}"]
            for value in ["", *Outcome.values]
            if totals[f"closed_{value or 'none'}"]
        },
    )


def indicators(
    *, start: datetime.date, end: datetime.date, as_of: datetime.date, issues=None
) -> Indicators:
    """Return the KPIs of the issues received from ``start`` to ``end`` (inclusive),
    counting what had happened to them by the end of ``as_of``; ``open`` and
    ``overdue`` count every issue of ``issues`` still open on ``as_of``."""
    every = issues if issues is not None else Issue.objects.all()
    rows = [
        *raised_rows((), start=start, end=end, as_of=as_of, issues=every),
        *open_rows((), as_of=as_of, issues=every),
    ]
    totals = _sum_by(rows, None, names=(*RAISED_COUNTS, *OPEN_COUNTS))[None]
    return _indicators(totals, start=start, end=end, as_of=as_of, every=every)


def fiscal_year_indicators(*, year: int, as_of: datetime.date, issues=None) -> Indicators:
    start, end = fiscal_year_bounds(year)
    return indicators(start=start, end=min(end, as_of), as_of=as_of, issues=issues)


@dataclass
class MonthRow:
    """One month of the trend (``FIGURES``: raised_in_month, resolved_in_month,
    open_at_month_end, median_days_in_month)."""

    month: datetime.date  # the first day of the month
    raised: int = 0
    resolved: int = 0
    # Open when the month ended, or at the end of ``as_of`` for the month in progress.
    open_at_end: int = 0
    median_days: float | None = None
    # The same month of the fiscal year before (None on that month's own row).
    previous: "MonthRow | None" = None


# The figures of the tiles and the tables under them, in the order the pages show
# them (the open data's own, "handled" and "handled_in_time", are described there).
REPORT_FIGURES = (
    "raised",
    "resolved",
    "resolution_rate",
    "partly_fixed",
    "median_days",
    "within_target",
    "closed",
    "open",
    "overdue",
)

# The trend's figures, in the order of its columns.
TREND_FIGURES = (
    "raised_in_month",
    "resolved_in_month",
    "open_at_month_end",
    "median_days_in_month",
)


@dataclass(frozen=True)
class TrendTotal:
    """The months of a trend added up where they add up: raised and resolved, this
    fiscal year and the same months of the one before. Issues open at a month's end
    and a month's median days do not add up over months: they have no total."""

    raised: int
    resolved: int
    previous_raised: int
    previous_resolved: int


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _year_before(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year - 1)


def monthly_trend(*, year: int, as_of: datetime.date) -> list[MonthRow]:
    """Return, for each month of the fiscal year up to ``as_of``, the issues raised
    and resolved in that month, the issues open at its end and the median days to
    resolve of those resolved in it; each month carries the same month of the
    fiscal year before as ``previous``. What was resolved counts as it stood on
    ``as_of``, in both years.

    Two queries, whatever the number of issues and months: the issues resolved in the
    two years per month with the middle durations of each (``medians_by``), and the
    issues per month of receiving and of leaving, which give both the issues raised
    per month and those open at each month's end."""
    start, end = fiscal_year_bounds(year)
    end = min(end, as_of)
    months: list[MonthRow] = []
    day = start
    while day <= end:
        months.append(MonthRow(day, previous=MonthRow(_year_before(day))))
        day = _next_month(day)
    if not months:
        return months
    rows = {row.month: row for row in months}
    rows.update({row.previous.month: row.previous for row in months})
    as_of_end = day_after(as_of)
    # The two years' window: from the start of the year before to the figures' date,
    # of which only the months shown are read (but for the issues still open then):
    # the year's months to ``as_of`` and the same months of the year before, one
    # stretch once the year is twelve months old.
    window_first = fiscal_year_bounds(year - 1)[0]
    window_start = day_start(window_first)
    year_start = day_start(start)
    shown_before_end = day_start(_next_month(months[-1].previous.month))
    if shown_before_end >= year_start:
        stretches = [(window_start, as_of_end)]
    else:
        stretches = [(window_start, shown_before_end), (year_start, as_of_end)]

    # Per month (local time) of resolving, how many were resolved and their median
    # days, worked out by the database from the one or two durations in the middle
    # of each month: not two years of resolved issues read one by one.
    # The two years, and within them the stretches: the index finds the first.
    resolved_in_months = Q(resolved_at__gte=window_start, resolved_at__lt=as_of_end)
    if len(stretches) > 1:
        in_stretches = Q()
        for since, until in stretches:
            in_stretches |= Q(resolved_at__gte=since, resolved_at__lt=until)
        resolved_in_months &= in_stretches
    resolutions = medians_by(
        Issue.objects.filter(counts_as_resolved(as_of_end), resolved_in_months).annotate(
            month=local_month("resolved_at", window_first, as_of)
        ),
        {"month": ("month",)},
        earlier="received_at",
        later="resolved_at",
    )["month"]
    for (month,), (count, median) in resolutions.items():
        row = rows.get(month)
        if row is not None:
            row.resolved = count
            row.median_days = median

    # Raised per month, and open at each month's end, from one count per month of
    # receiving and month of leaving: an issue is open at a month's end if it was
    # received before it and left after it, leaving being the first of its resolving
    # and its ending (at the end of ``as_of`` at the latest), so no aggregate per month
    # over every open issue. Read: the issues raised in the months shown, and those
    # raised before or between them that had not left by the first month's end that
    # could count them (every other had).
    month_ends = {month: _next_month(month) for month in rows}
    first_end = day_start(min(month_ends.values()))

    def not_left_by(moment) -> Q:
        return (Q(resolved_at__isnull=True) | Q(resolved_at__gte=moment)) & (
            Q(ended_at__isnull=True) | Q(ended_at__gte=moment)
        )

    scopes = [Q(received_at__gte=since, received_at__lt=until) for since, until in stretches]
    scopes.append(Q(received_at__lt=window_start) & not_left_by(first_end))
    if len(stretches) > 1:
        # Between the two stretches: counted open at the ends of this year's months.
        year_first_end = min(day_start(_next_month(start)), as_of_end)
        scopes.append(
            Q(received_at__gte=shown_before_end, received_at__lt=year_start)
            & not_left_by(year_first_end)
        )
    left = Least(Coalesce("resolved_at", Value(as_of_end)), Coalesce("ended_at", Value(as_of_end)))
    read = Q()
    for scope in scopes:
        read |= scope
    flows = (
        Issue.objects.filter(read)
        .annotate(left=left)
        .annotate(
            # None: received before the two years (before every month's end).
            came=local_month("received_at", window_first, as_of),
            # None: not yet left on ``as_of``.
            went=local_month("left", window_first, as_of, until=as_of_end, before=window_first),
        )
        .values("came", "went")
        .annotate(n=Count("pk"))
        .order_by()
    )
    flows = list(flows)
    for entry in flows:
        row = rows.get(entry["came"]) if entry["came"] is not None else None
        if row is not None:
            row.raised += entry["n"]
    for month, row in rows.items():
        # At the end of the month, or at the end of ``as_of`` for the month in progress.
        if day_start(month_ends[month]) >= as_of_end:
            row.open_at_end = sum(entry["n"] for entry in flows if entry["went"] is None)
            continue
        following = month_ends[month]
        row.open_at_end = sum(
            entry["n"]
            for entry in flows
            if (entry["came"] is None or entry["came"] < following)
            and (entry["went"] is None or entry["went"] >= following)
        )
    return months


class LocalMonth(Expression):
    """The first day of the month (local time) of a moment, from the start of the
    first of ``months`` (consecutive, in order) to before ``until``: ``before`` for
    a moment before them, None for one after them or none.

    The same month as ``TruncMonth`` gives, from comparisons with the months' first
    moments (a handful a row, halving the months each time) rather than the moment
    converted to local time, which the database does slowly row by row; written as
    one CASE, not as Django's ``Case``, which takes longer to put together than the
    database takes to run it."""

    output_field = DateField()

    def __init__(self, expression, months, until, before=None):
        super().__init__()
        self.expression = F(expression) if isinstance(expression, str) else expression
        self.months, self.until, self.before = tuple(months), until, before
        # Shared by the copies Django makes of it, one for each place a query names it.
        self._compiled: dict = {}

    def get_source_expressions(self):
        return [self.expression]

    def set_source_expressions(self, exprs):
        (self.expression,) = exprs

    def as_sql(self, compiler, connection):
        moment, moment_params = compiler.compile(self.expression)
        key = (connection.alias, moment, tuple(moment_params))
        if key not in self._compiled:
            self._compiled[key] = self._case(moment, moment_params, connection.ops)
        sql, params = self._compiled[key]
        return sql, list(params)

    def _case(self, moment: str, moment_params, ops) -> tuple[str, list]:

        def value(day) -> tuple[str, list]:
            if day is None:
                return "NULL", []
            return "%s", [ops.adapt_datefield_value(day)]

        def below(boundary) -> tuple[str, list]:
            return f"{moment} < %s", [*moment_params, ops.adapt_datetimefield_value(boundary)]

        def within(low: int, high: int) -> tuple[str, list]:
            if high - low == 1:
                return value(self.months[low])
            middle = (low + high) // 2
            condition, condition_params = below(day_start(self.months[middle]))
            earlier, earlier_params = within(low, middle)
            later, later_params = within(middle, high)
            return (
                f"CASE WHEN {condition} THEN {earlier} ELSE {later} END",
                [*condition_params, *earlier_params, *later_params],
            )

        first, first_params = below(day_start(self.months[0]))
        before, before_params = value(self.before)
        last, last_params = below(self.until)
        months, months_params = within(0, len(self.months))
        sql = f"CASE WHEN {first} THEN {before} WHEN {last} THEN {months} ELSE NULL END"
        return sql, [*first_params, *before_params, *last_params, *months_params]


def local_month(
    field: str,
    first: datetime.date,
    last: datetime.date,
    *,
    until: datetime.datetime | None = None,
    before=None,
) -> LocalMonth:
    """The first day of the month (local time) of ``field``, a moment from the start
    of ``first``'s month to before the end of ``last``'s (or ``until``); ``before``
    for a moment before them, None for one after them or none (``LocalMonth``)."""
    months = [first.replace(day=1)]
    while months[-1] < last.replace(day=1):
        months.append(_next_month(months[-1]))
    return LocalMonth(field, months, until or day_start(_next_month(months[-1])), before)


def trend_total(months: list[MonthRow]) -> TrendTotal:
    """Return the raised and resolved of ``months`` added up, in both years."""
    return TrendTotal(
        raised=sum(row.raised for row in months),
        resolved=sum(row.resolved for row in months),
        previous_raised=sum(row.previous.raised for row in months),
        previous_resolved=sum(row.previous.resolved for row in months),
    )


# A community or department with fewer issues than this in the period is shown
# but not ranked: one issue fixed out of one is not a record to compare.
RANKING_MIN_ISSUES = 5


@dataclass
class GroupRow:
    """Issues of one department, category or community: raised and resolved in the
    period (the scope of the tiles), not yet resolved and overdue on ``as_of``."""

    label: str
    key: object
    raised: int = 0
    counted: int = 0
    resolved: int = 0
    open: int = 0
    overdue: int = 0
    rank: int | None = None  # by resolution rate, among the rows with enough issues

    @property
    def resolution_rate(self) -> float | None:
        return round(100 * self.resolved / self.counted, 1) if self.counted else None

    @property
    def ranked(self) -> bool:
        return self.counted >= RANKING_MIN_ISSUES


@dataclass
class GroupTable:
    """The rows of one breakdown and their totals, which equal the page's tiles."""

    rows: list[GroupRow]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __bool__(self):
        return bool(self.rows)

    @property
    def total(self) -> GroupRow:
        total = GroupRow(label=str(_("Total")), key=None)
        for row in self.rows:
            total.raised += row.raised
            total.counted += row.counted
            total.resolved += row.resolved
            total.open += row.open
            total.overdue += row.overdue
        return total

    @property
    def unranked(self) -> int:
        return sum(1 for row in self.rows if not row.ranked)


GROUP_COUNTS = ("raised", "counted", "resolved", "open", "overdue")


def _sum_by(rows: list[dict], group_field: str | None, names=GROUP_COUNTS) -> dict:
    """``rows`` added up per value of ``group_field`` (all of them if None)."""
    sums: dict = {}
    for row in rows:
        key = row[group_field] if group_field else None
        entry = sums.get(key)
        if entry is None:
            sums[key] = {name: row[name] for name in names}
        else:
            for name in names:
                entry[name] += row[name]
    return sums


def _grouped(
    group_field: str, *, start: datetime.date, end: datetime.date, as_of: datetime.date
) -> dict:
    names = tuple(name for name in GROUP_COUNTS if name in RAISED_COUNTS)
    rows = [
        *raised_rows((group_field,), start=start, end=end, as_of=as_of, names=names),
        *open_rows((group_field,), as_of=as_of),
    ]
    return _sum_by(rows, group_field)


def _department_table(counts: dict) -> "GroupTable":
    departments = Department.objects.filter(
        ~Q(kind=Department.Kind.EXTERNAL) | Q(pk__in=[pk for pk in counts if pk is not None])
    )
    rows = _rows(departments, counts, label=lambda d: d.name)
    if None in counts:
        rows.append(_row(str(_("Not yet routed to a department")), None, counts[None]))
    return _ranked(rows)


def _category_table(counts: dict) -> "GroupTable":
    return _ranked(_rows(IssueCategory.objects.all(), counts, label=lambda c: c.name))


def _community_table(counts: dict) -> "GroupTable":
    return _ranked(_rows(Community.objects.all(), counts, label=lambda c: str(c), keep_empty=True))


def by_department(*, start, end, as_of) -> GroupTable:
    """Per department: issues raised and resolved in the period, and not yet resolved
    on ``as_of``. Issues not yet routed to a department have a row of their own, so
    the rows add up to the city's figures."""
    return _department_table(_grouped("department", start=start, end=end, as_of=as_of))


def by_category(*, start, end, as_of) -> GroupTable:
    return _category_table(_grouped("category", start=start, end=end, as_of=as_of))


def by_community(*, start, end, as_of) -> GroupTable:
    return _community_table(_grouped("community", start=start, end=end, as_of=as_of))


_TABLES = {
    "department": _department_table,
    "category": _category_table,
    "community": _community_table,
}


def indicators_and_tables(
    *,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
    by: tuple[str, ...],
    still_open: list[dict] | None = None,
) -> tuple[Indicators, dict[str, GroupTable]]:
    """Return ``indicators`` of the period and, for each of ``by`` ("department",
    "category", "community"), the table ``by_department``, ``by_category`` or
    ``by_community`` gives: the same figures, from one count of the issues raised in
    the period and one of those open on ``as_of``, per combination of the ``by``
    fields, added up here, rather than a count for the tiles and one per table.
    ``still_open``: ``open_rows`` of (at least) the ``by`` fields on ``as_of``, if
    already counted (it does not depend on the period)."""
    names = (*RAISED_COUNTS, *OPEN_COUNTS)
    if still_open is None:
        still_open = open_rows(tuple(by), as_of=as_of)
    rows = [*raised_rows(tuple(by), start=start, end=end, as_of=as_of), *still_open]
    totals = _sum_by(rows, None, names=names).get(None) or dict.fromkeys(names, 0)
    figures = _indicators(totals, start=start, end=end, as_of=as_of, every=Issue.objects.all())
    return figures, {field: _TABLES[field](_sum_by(rows, field)) for field in by}


def _row(label: str, key, count: dict) -> GroupRow:
    return GroupRow(
        label=label,
        key=key,
        raised=count.get("raised", 0),
        counted=count.get("counted", 0),
        resolved=count.get("resolved", 0),
        open=count.get("open", 0),
        overdue=count.get("overdue", 0),
    )


def _rows(objects, counts: dict, *, label, keep_empty: bool = False) -> list[GroupRow]:
    return [
        _row(label(obj), obj, counts.get(obj.pk) or {})
        for obj in objects
        if keep_empty or obj.pk in counts
    ]


def _ranked(rows: list[GroupRow]) -> GroupTable:
    """Rank the rows with enough issues by resolution rate, highest first; rows with
    the same rate share a rank (1, 2, 2, 4)."""
    ranked = sorted((row for row in rows if row.ranked), key=lambda r: -r.resolution_rate)
    for position, row in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        if previous is not None and previous.resolution_rate == row.resolution_rate:
            row.rank = previous.rank
        else:
            row.rank = position
    return GroupTable(rows)


def overdue_issues(*, as_of: datetime.date, issues=None, limit: int | None = None) -> list[Issue]:
    """Return the issues open on ``as_of`` past their target date, most overdue first,
    each with ``days_overdue``; only the first ``limit`` of them if given."""
    scope = issues if issues is not None else Issue.objects.all()
    overdue = (
        scope.filter(open_on(day_after(as_of)), target_date__lt=as_of)
        .select_related("community", "department", "category")
        .order_by("target_date", "number")
    )
    overdue = list(overdue if limit is None else overdue[:limit])
    for issue in overdue:
        issue.days_overdue = (as_of - issue.target_date).days
    return overdue
