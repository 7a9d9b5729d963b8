"""The open data and the trend, counted by the database a dimension or a month at a
time, are the figures read one issue at a time.

For issue data of several shapes (``reconcile_data``), every cell of the published
statistics and complaint tables, and every month of the trend, equals what a plain
loop over the issues gives by the definitions of ``kpis.FIGURES`` and the open data's
columns, as on the dataset's day: this fiscal year, and the year before as it stood
on its last day.
"""

import datetime
import statistics
from collections import defaultdict

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from communities.models import Community, Department, IssueCategory
from core.thaidates import fiscal_year, fiscal_year_bounds
from issues.models import Channel, Issue, Status
from reports import kpis, open_data

from .reconcile_data import (
    CLOSED_FATES,
    TODAYS,
    Dataset,
    clear_issues,
    datasets,
    day_end,
    issue_specs,
    issues_from,
    open_on,
    received_at,
    resolved_on,
    runs,
)

pytestmark = pytest.mark.django_db

# The shapes of ``reconcile_data``, and one of its own: many issues resolved in the
# last two months in three communities, so that a month's median is of several
# durations, an even number of them as often as an odd one.
SHAPES = ["empty", "single", "one_community", "backlog", "month_turns", "mixed", "crowded"]


def _datasets(shape: str):
    if shape != "crowded":
        return datasets(shape)
    return st.sampled_from(TODAYS).flatmap(
        lambda today: st.lists(
            issue_specs(
                today,
                received=received_at(today, days_back=(0, 60)),
                community=st.integers(0, 2),
                fates=("resolved", *CLOSED_FATES),
            ),
            min_size=6,
            max_size=40,
        ).map(lambda specs: Dataset(shape, today, tuple(specs)))
    )


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _month(moment: datetime.datetime) -> str:
    return _local_day(moment).strftime("%Y-%m")


def _median(issues) -> float | None:
    days = [(i.resolved_at - i.received_at).total_seconds() / 86400 for i in issues]
    return round(statistics.median(days), 1) if days else None


def _month_ends(year: int, as_of: datetime.date) -> dict[str, datetime.date]:
    """Each month of the year to ``as_of``, and its last day (``as_of`` in its own)."""
    ends, day = {}, fiscal_year_bounds(year)[0]
    while day <= as_of and day <= fiscal_year_bounds(year)[1]:
        following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        ends[day.strftime("%Y-%m")] = min(following - datetime.timedelta(days=1), as_of)
        day = following
    return ends


def _bodies_of(issue: Issue) -> list[tuple[str, str]]:
    """The (dimension, code) of the four rows an issue is counted in."""
    community = Community.objects.get(pk=issue.community_id)
    department = (
        Department.objects.get(pk=issue.department_id).code
        if issue.department_id
        else open_data.UNROUTED_CODE
    )
    category = IssueCategory.objects.get(pk=issue.category_id).code
    return [
        ("city", open_data.CITY_CODE),
        ("community", str(community.number)),
        ("department", department),
        ("category", category),
    ]


def expected_statistics(issues: list[Issue], *, year: int, as_of: datetime.date) -> dict:
    """The statistics rows with a figure other than zero, keyed by (month, dimension,
    code), worked out one issue at a time."""
    end = day_end(as_of)
    ends = _month_ends(year, as_of)
    rows: dict = defaultdict(lambda: defaultdict(int))
    resolved: dict = defaultdict(list)
    for issue in issues:
        bodies = _bodies_of(issue)
        month = _month(issue.received_at)
        for month_name, month_end in ends.items():
            if open_on(issue, month_end):
                for body in bodies:
                    rows[(month_name, *body)]["not_yet_resolved_at_month_end"] += 1
                    if issue.target_date is not None and issue.target_date < month_end:
                        rows[(month_name, *body)]["overdue_at_month_end"] += 1
        if month not in ends or issue.received_at >= end:
            continue
        counted = []
        counted.append("raised")
        if issue.status in (Status.DUPLICATE, Status.WITHDRAWN):
            counted.append("duplicate_or_withdrawn")
        if resolved_on(issue, as_of):
            counted.append("resolved")
            if issue.target_date is not None:
                counted.append("resolved_with_target_date")
                if _local_day(issue.resolved_at) <= issue.target_date:
                    counted.append("resolved_by_target_date")
        if issue.status == Status.CLOSED and issue.ended_at < end:
            counted.append(f"closed_{issue.outcome or open_data.NOT_RECORDED}")
        for body in bodies:
            for name in counted:
                rows[(month, *body)][name] += 1
            if "resolved" in counted:
                resolved[(month, *body)].append(issue)
    for key, group in resolved.items():
        rows[key]["median_days_to_resolve"] = _median(group)
    return {key: dict(row) for key, row in rows.items()}


def expected_complaints(issues: list[Issue], *, year: int, as_of: datetime.date) -> dict:
    end = day_end(as_of)
    ends = _month_ends(year, as_of)
    rows: dict = defaultdict(lambda: defaultdict(int))
    for issue in issues:
        month = _month(issue.received_at)
        if month not in ends or issue.received_at >= end:
            continue
        row = rows[(month, issue.channel)]
        row["received"] += 1
        if open_on(issue, as_of):
            row["not_yet_handled"] += 1
            continue
        row["handled"] += 1
        if issue.target_date is not None:
            row["handled_with_target_date"] += 1
            # Finished the day it was resolved, or else the day it was ended.
            done = (
                issue.resolved_at
                if issue.resolved_at and issue.resolved_at < end
                else issue.ended_at
            )
            if _local_day(done) <= issue.target_date:
                row["handled_in_time"] += 1
    return {key: dict(row) for key, row in rows.items()}


def _published(rows, key_of) -> dict:
    """The published rows with a figure other than zero (a median of 0.0 days is one),
    as ``expected_*`` has them."""
    published = {}
    for row in rows:
        figures = {
            name: value
            for name, value in row.items()
            if name not in ("fiscal_year", "figures_as_of")
            and (value is not None if name == "median_days_to_resolve" else value)
            and isinstance(value, int | float)
        }
        if figures:
            published[key_of(row)] = figures
    return published


def _year_and_day(data, today: datetime.date) -> tuple[int, datetime.date]:
    """This fiscal year as on ``today``, or the one before as on its last day."""
    year = fiscal_year(today) - data.draw(st.sampled_from((0, 1)), label="years_back")
    return year, min(today, fiscal_year_bounds(year)[1])


@pytest.mark.parametrize("shape", SHAPES)
@runs(4)
@given(data=st.data())
def test_every_cell_of_the_statistics_is_the_count_of_its_issues(shape, data):
    dataset = data.draw(_datasets(shape), label="dataset")
    clear_issues()
    issues = issues_from(dataset)
    year, as_of = _year_and_day(data, dataset.today)
    table = open_data.statistics(year=year, as_of=as_of)
    published = _published(table.rows, lambda row: (row["month"], row["dimension"], row["code"]))
    expected = expected_statistics(issues, year=year, as_of=as_of)
    for key in sorted(set(published) | set(expected)):
        assert published.get(key) == expected.get(key), (
            f"{key}: published {published.get(key)}, one issue at a time {expected.get(key)}"
        )
    months = len(_month_ends(year, as_of))
    bodies = 1 + Community.objects.count() + IssueCategory.objects.count()
    bodies += Department.objects.exclude(kind=Department.Kind.EXTERNAL).count() + 1
    assert len(table.rows) == months * bodies


@pytest.mark.parametrize("shape", SHAPES)
@runs(4)
@given(data=st.data())
def test_every_cell_of_the_complaint_statistics_is_the_count_of_its_issues(shape, data):
    dataset = data.draw(_datasets(shape), label="dataset")
    clear_issues()
    issues = issues_from(dataset)
    year, as_of = _year_and_day(data, dataset.today)
    table = open_data.complaints(year=year, as_of=as_of)
    published = _published(table.rows, lambda row: (row["month"], row["channel"]))
    expected = expected_complaints(issues, year=year, as_of=as_of)
    assert published == expected
    assert len(table.rows) == len(_month_ends(year, as_of)) * len(Channel.choices)


@pytest.mark.parametrize("shape", SHAPES)
@runs(4)
@given(data=st.data())
def test_every_month_of_the_trend_is_the_count_of_its_issues(shape, data):
    """Raised, resolved and the median days of each month and of the same month of
    the year before, as the dashboard's chart and table show them."""
    dataset = data.draw(_datasets(shape), label="dataset")
    clear_issues()
    issues = issues_from(dataset)
    year, as_of = _year_and_day(data, dataset.today)
    end = day_end(as_of)
    shown, expected = {}, {}
    for row in kpis.monthly_trend(year=year, as_of=as_of):
        for month in (row, row.previous):
            key = month.month.strftime("%Y-%m")
            shown[key] = (month.raised, month.resolved, month.median_days)
            # Resolved in the month as it stood on the date of the figures.
            resolved = [
                issue
                for issue in issues
                if resolved_on(issue, as_of) and _month(issue.resolved_at) == key
            ]
            raised = sum(
                1
                for issue in issues
                if issue.received_at < end and _month(issue.received_at) == key
            )
            expected[key] = (raised, len(resolved), _median(resolved))
    assert shown == expected
