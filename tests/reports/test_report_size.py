"""Report pages stay the same size however long the backlog: a long list shows its
most urgent rows, says how many there are in all and links to the issue list of
them all; the pages ask the same number of queries at two sizes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html

from communities.models import Community, Department
from issues.models import Issue, Status
from reports import kpis
from reports.documents import DEPARTMENT_LIST_LIMIT, MONTHLY_OVERDUE_LIMIT
from tests.issues.conftest import bulk_issues

pytestmark = pytest.mark.django_db


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _rows(tree, table: str) -> list:
    return tree.xpath(f'//table[@data-table="{table}"]/tbody/tr')


def _link(tree, text: str):
    """The one link whose paragraph says ``text``."""
    (paragraph,) = [p for p in tree.xpath('//p[@class="list-more"]') if text in p.text_content()]
    (link,) = paragraph.xpath(".//a")
    return paragraph.text_content(), link.get("href")


def test_the_monthly_page_shows_the_most_overdue_and_links_to_every_one(client, staff_user):
    total = MONTHLY_OVERDUE_LIMIT + 7
    issues = bulk_issues(total, staff_user=staff_user)
    for days, issue in enumerate(issues, start=1):  # the last made is the most overdue
        Issue.objects.filter(pk=issue.pk).update(
            status=Status.IN_PROGRESS, outcome="", target_date=_days_ago(days)
        )
    today = timezone.localdate()
    client.force_login(staff_user)
    tree = html.fromstring(
        client.get(reverse("reports:monthly", args=[today.year, today.month])).content
    )

    # The heading counts them all; the table lists the most overdue.
    (heading,) = [h for h in tree.xpath("//h2") if "เรื่องที่เกินกำหนด" in h.text_content()]
    assert f"({total})" in heading.text_content()
    rows = _rows(tree, "overdue")
    assert len(rows) == MONTHLY_OVERDUE_LIMIT
    assert rows[0].xpath(".//a")[0].text_content() == Issue.objects.get(pk=issues[-1].pk).reference
    text, href = _link(tree, str(total))
    assert f"{MONTHLY_OVERDUE_LIMIT}" in text
    assert href == "/issues/?overdue=on"
    # The link lists every one of them.
    assert client.get(href).context["page"].paginator.count == total


def test_the_department_report_shows_the_first_of_long_lists_and_links_to_them_all(
    client, officer_user, staff_user
):
    department = Department.objects.get(code="ENG")
    waiting, overdue, due_later = DEPARTMENT_LIST_LIMIT + 2, 5, DEPARTMENT_LIST_LIMIT
    issues = bulk_issues(waiting + overdue + due_later, staff_user=staff_user)
    Issue.objects.update(department=department, outcome="")
    for n, issue in enumerate(issues):
        if n < waiting:
            fields = {"status": Status.RESOLVED, "target_date": None}
        elif n < waiting + overdue:
            fields = {"status": Status.IN_PROGRESS, "target_date": _days_ago(3)}
        else:
            fields = {"status": Status.FORWARDED, "target_date": _days_ago(-30)}
        Issue.objects.filter(pk=issue.pk).update(**fields)
    client.force_login(officer_user)
    tree = html.fromstring(client.get(reverse("reports:department", args=["ENG"])).content)

    # The tiles and the headings count them all.
    figures = {
        key: tree.xpath(f'//div[@data-figure="{key}"]')[0].text_content().strip()
        for key in ("open", "overdue", "awaiting_closing")
    }
    assert figures == {
        "open": str(overdue + due_later),
        "overdue": str(overdue),
        "awaiting_closing": str(waiting),
    }
    assert f"({overdue + due_later})" in tree.xpath("//h2")[0].text_content()
    # The lists show the first of them, the overdue first.
    rows = _rows(tree, "open")
    assert len(rows) == DEPARTMENT_LIST_LIMIT
    assert [row.get("class") for row in rows[: overdue + 1]] == ["row-overdue"] * overdue + [None]
    assert len(_rows(tree, "awaiting_closing")) == DEPARTMENT_LIST_LIMIT

    # Each says how many there are and links to the issue list of them all.
    for total in (overdue + due_later, waiting):
        _text, href = _link(tree, f"{DEPARTMENT_LIST_LIMIT} จาก {total}")
        assert f"department={department.pk}" in href
        listed = client.get(href).context["page"].paginator.count
        assert listed == total, href


def test_the_overdue_list_cut_short_is_the_start_of_the_whole_list(staff_user):
    """Cutting the list in the database gives the same issues, in the same order, as
    cutting the whole list."""
    issues = bulk_issues(40, staff_user=staff_user)
    for n, issue in enumerate(issues):  # some share a target date
        Issue.objects.filter(pk=issue.pk).update(target_date=_days_ago(1 + n % 7))
    today = timezone.localdate()
    whole = kpis.overdue_issues(as_of=today)
    assert len(whole) > 12
    cut = kpis.overdue_issues(as_of=today, limit=12)
    assert [(issue.pk, issue.days_overdue) for issue in cut] == [
        (issue.pk, issue.days_overdue) for issue in whole[:12]
    ]


def _grow(count: int, *, start: int, staff_user) -> None:
    """Issues of every status in the engineering division, a few of them in
    community 1 (whose report lists every one with its timeline), the rest in 2 and 3."""
    communities = list(Community.objects.filter(number__in=(1, 2, 3)).order_by("number"))
    issues = bulk_issues(count, staff_user=staff_user, start=start, communities=communities[1:])
    Issue.objects.filter(pk__in=[issue.pk for issue in issues]).update(
        department=Department.objects.get(code="ENG")
    )
    Issue.objects.filter(pk__in=[issue.pk for issue in issues[::20]]).update(
        community=communities[0]
    )


def _pages() -> list[tuple[str, str, str]]:
    today = timezone.localdate()
    return [
        ("dashboard", "admin_user", reverse("reports:dashboard")),
        (
            "monthly summary",
            "staff_user",
            reverse("reports:monthly", args=[today.year, today.month]),
        ),
        (
            "monthly summary PDF",
            "staff_user",
            reverse("reports:monthly_pdf", args=[today.year, today.month]),
        ),
        ("community report", "leader_user", reverse("reports:community", args=[1])),
        ("community report PDF", "leader_user", reverse("reports:community_pdf", args=[1])),
        ("department report", "officer_user", reverse("reports:department", args=["ENG"])),
    ]


def _warm(client, request, fixture: str, url: str) -> None:
    client.force_login(request.getfixturevalue(fixture))
    client.get(url)  # the first request of a user fills the caches the next ones reuse


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_report_pages_ask_as_many_queries_and_list_as_many_rows_at_either_size(
    client, request, staff_user, django_assert_max_num_queries
):
    _grow(20, start=0, staff_user=staff_user)
    small = {}
    for what, fixture, url in _pages():
        _warm(client, request, fixture, url)
        small[what] = _count(client, url)

    # Ten times the data and far more than a list shows: overdue, not yet resolved,
    # awaiting closing.
    _grow(180, start=20, staff_user=staff_user)
    assert Issue.objects.count() == 200
    for what, fixture, url in _pages():
        _warm(client, request, fixture, url)
        with django_assert_max_num_queries(small[what], info=what):
            response = client.get(url)
        if "PDF" in what:
            continue
        tree = html.fromstring(response.content)
        for table in ("overdue", "open", "awaiting_closing"):
            assert len(_rows(tree, table)) <= max(MONTHLY_OVERDUE_LIMIT, DEPARTMENT_LIST_LIMIT), (
                what,
                table,
            )


def _bangkok(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_the_figures_worked_out_by_the_database_are_those_worked_out_row_by_row(staff_user):
    """Median days and "resolved by the target date" come from the database (only the
    middle durations are read): the same figures as reading every resolved issue, on
    the day boundaries of Bangkok time, with and without target dates, odd and even."""
    received = datetime.date(2026, 3, 2)
    target = datetime.date(2026, 3, 20)
    # Resolved at (day, hour, minute) local time: 23:30 on the target date is on time,
    # 00:30 the day after (17:30 UTC on the target date) is not.
    resolved_at = [
        (target, 23, 30),
        (target + datetime.timedelta(days=1), 0, 30),
        (datetime.date(2026, 3, 5), 9, 15),
        (datetime.date(2026, 4, 30), 16, 0),
        (datetime.date(2026, 3, 10), 7, 45),
        (datetime.date(2026, 3, 11), 22, 5),
    ]
    issues = bulk_issues(len(resolved_at) + 2, staff_user=staff_user)
    for n, issue in enumerate(issues):
        fields = {
            "received_at": _bangkok(received, 8 + n),
            "status": Status.RESOLVED,
            "outcome": "",
            "target_date": None if n % 3 == 2 else target,
            "first_response_at": None if n % 2 else _bangkok(received, 12, n),
        }
        if n < len(resolved_at):
            fields["resolved_at"] = _bangkok(*resolved_at[n])
        else:  # not yet resolved
            fields["status"] = Status.IN_PROGRESS
        Issue.objects.filter(pk=issue.pk).update(**fields)

    def row_by_row(rows) -> tuple:
        rows = list(rows)
        within = sum(1 for _r, res, t in rows if t and timezone.localtime(res).date() <= t)
        return within, kpis.median_days((r, res) for r, res, _t in rows)

    as_of = datetime.date(2026, 9, 30)
    # Six resolved (an even count), then five: the last resolved one is reopened.
    for count in (len(resolved_at), len(resolved_at) - 1):
        Issue.objects.filter(pk=issues[count].pk).update(
            status=Status.IN_PROGRESS, resolved_at=None
        )
        figures = kpis.indicators(start=received, end=received, as_of=as_of)
        expected = row_by_row(
            Issue.objects.filter(resolved_at__isnull=False).values_list(
                "received_at", "resolved_at", "target_date"
            )
        )
        assert (figures.resolved_within_target, figures.median_days_to_resolve) == expected
        assert figures.resolved == count
        pairs = Issue.objects.values_list("received_at", "first_response_at")
        assert kpis.median_days_between(
            Issue.objects.all(), "received_at", "first_response_at"
        ) == kpis.median_days(pairs)
    assert expected[0] == 2  # on time: 23:30 on the target date and 10 March


def test_the_trend_worked_out_by_the_database_is_the_trend_counted_row_by_row(staff_user):
    """Each month's issues resolved, median days and issues open at its end, from the
    database's months and durations and from the issues not resolved or ended before
    the first month's end, are the counts of every issue, row by row; a resolution
    at 00:30 on the first of a month, Bangkok time, is of that month."""
    as_of = datetime.date(2026, 3, 15)
    received = [datetime.date(2024, 11, 4), datetime.date(2025, 2, 3), datetime.date(2025, 10, 6)]
    resolved = [
        None,
        (datetime.date(2025, 3, 1), 0, 30),  # 28 February, 17:30 UTC
        (datetime.date(2025, 10, 31), 23, 50),
        (datetime.date(2025, 11, 1), 0, 10),
        (datetime.date(2026, 1, 20), 9, 0),
        (datetime.date(2026, 3, 1), 0, 30),
        (datetime.date(2026, 3, 20), 9, 0),  # after the date of the figures
    ]
    issues = bulk_issues(len(received) * len(resolved), staff_user=staff_user)
    for n, issue in enumerate(issues):
        when = resolved[n % len(resolved)]
        fields = {
            "received_at": _bangkok(received[n % len(received)], 9, n % 60),
            "status": Status.IN_PROGRESS,
            "outcome": "",
            "resolved_at": None,
            "ended_at": None,
        }
        if when is not None:
            fields.update(status=Status.RESOLVED, resolved_at=_bangkok(*when))
            if n % 4 == 0:  # closed a month later, as fixed or as not fixed
                fields.update(
                    status=Status.CLOSED,
                    outcome="fixed" if n % 8 == 0 else "not_fixed_no_budget",
                    ended_at=fields["resolved_at"] + datetime.timedelta(days=30),
                )
        elif n % 5 == 0:  # withdrawn, never resolved
            fields.update(status=Status.WITHDRAWN, ended_at=_bangkok(datetime.date(2025, 6, 2), 9))
        Issue.objects.filter(pk=issue.pk).update(**fields)

    as_of_end = kpis.day_after(as_of)
    months = kpis.monthly_trend(year=2569, as_of=as_of)
    assert len(months) == 6
    for row in [*months, *(month.previous for month in months)]:
        end = kpis.day_start((row.month + datetime.timedelta(days=32)).replace(day=1))
        pairs = [
            (issue.received_at, issue.resolved_at)
            for issue in Issue.objects.filter(kpis.counts_as_resolved(as_of_end))
            if timezone.localtime(issue.resolved_at).date().replace(day=1) == row.month
            and issue.resolved_at < as_of_end
        ]
        open_at_end = [
            issue
            for issue in Issue.objects.all()
            if issue.received_at < min(end, as_of_end)
            and (issue.resolved_at is None or issue.resolved_at >= min(end, as_of_end))
            and (issue.ended_at is None or issue.ended_at >= min(end, as_of_end))
        ]
        assert (row.resolved, row.median_days, row.open_at_end) == (
            len(pairs),
            kpis.median_days(pairs),
            len(open_at_end),
        ), row.month
    assert {month.month: month.resolved for month in months}[datetime.date(2026, 3, 1)] > 0
