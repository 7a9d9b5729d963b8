"""The trend, month by month: each month of the fiscal year to date (raised, resolved,
open at its end, median days to resolve) beside the same month of the year before."""

import datetime

import pytest
from django.db import connection
from django.db.models import DateField
from django.db.models.functions import TruncMonth
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Department, IssueCategory
from core.thaidates import fiscal_year
from issues import services
from issues.models import Issue, Outcome, Status
from reports import documents, kpis
from tests.pdf_text import nfkc, pdf_text

pytestmark = pytest.mark.django_db

YEAR = 2569  # 1 October 2025 - 30 September 2026
AS_OF = datetime.date(2026, 3, 15)  # the middle of March: the month in progress


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


@pytest.fixture
def freeze_today(monkeypatch):
    """Stop the clock at noon, Bangkok time, on ``day``: "today" of the pages."""

    def freeze(day: datetime.date) -> None:
        moment = _at(day.year, day.month, day.day, 12)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


@pytest.fixture
def two_years(make_issue, staff_user):
    """Issues over fiscal years 2568 and 2569 and one from 2567 still open, each
    moved on the day given; the expected figures are worked out in the tests."""

    def move(issue, to_status, when, **fields):
        return services.issue_update(
            issue=Issue.objects.get(pk=issue.pk),
            actor=staff_user,
            version=None,
            to_status=to_status,
            at=when,
            **fields,
        )

    def close(issue, when, outcome, **fields):
        return move(issue, Status.CLOSED, when, note="ปิดเรื่องในที่ประชุม", outcome=outcome, **fields)

    issues = {}
    # Fiscal year 2567, never resolved: open at every month's end of both years.
    issues["old"] = make_issue(at=_at(2024, 6, 1), title="ถนนทรุดหน้าตลาด")

    # Fiscal year 2568.
    issues["p1"] = make_issue(at=_at(2024, 10, 10), title="ไฟฟ้าดับซอย ๑")
    move(issues["p1"], Status.RESOLVED, _at(2024, 10, 20))  # 10 days
    # Resolved, then closed as another agency's: never counted as resolved.
    issues["p2"] = make_issue(at=_at(2024, 11, 5), title="สายไฟห้อยต่ำ")
    move(issues["p2"], Status.RESOLVED, _at(2025, 1, 15))
    close(
        issues["p2"],
        _at(2025, 2, 1),
        Outcome.NOT_FIXED_OTHER_AGENCY,
        outcome_agency=Department.objects.get(code="PEA"),
    )
    issues["p3"] = make_issue(at=_at(2024, 11, 20), title="ท่อระบายน้ำอุดตัน")  # still open
    issues["p4"] = make_issue(at=_at(2025, 3, 3), title="หลุมบนถนนเลียบทางรถไฟ")
    move(issues["p4"], Status.RESOLVED, _at(2025, 3, 13))  # 10 days
    close(issues["p4"], _at(2025, 3, 20), Outcome.FIXED)
    issues["p5"] = make_issue(at=_at(2025, 3, 5), title="หลุมบนถนนเลียบทางรถไฟ (ซ้ำ)")
    move(issues["p5"], Status.DUPLICATE, _at(2025, 3, 6), note="ซ้ำ", duplicate_of=issues["p4"])

    # Fiscal year 2569.
    issues["c1"] = make_issue(at=_at(2025, 10, 6), title="ไฟฟ้าดับซอย ๒")
    move(issues["c1"], Status.RESOLVED, _at(2025, 10, 16))  # 10 days
    # Resolved in November, reopened in December, resolved again in January.
    issues["c2"] = make_issue(at=_at(2025, 10, 8), title="น้ำท่วมขังหน้าโรงเรียน")
    move(issues["c2"], Status.RESOLVED, _at(2025, 11, 7))
    move(issues["c2"], Status.IN_PROGRESS, _at(2025, 12, 1), note="ฝนตกแล้วยังท่วม")
    move(issues["c2"], Status.RESOLVED, _at(2026, 1, 10))  # 94 days from 8 October
    # Resolved, then closed as not fixed for want of a budget.
    issues["c3"] = make_issue(at=_at(2025, 11, 10), title="ทางเท้าชำรุด")
    move(issues["c3"], Status.RESOLVED, _at(2025, 11, 12))
    close(issues["c3"], _at(2025, 11, 20), Outcome.NOT_FIXED_NO_BUDGET, outcome_note="รองบปีหน้า")
    issues["c4"] = make_issue(at=_at(2026, 1, 5), title="ไฟฟ้าดับซอย ๒ (ซ้ำ)")
    move(issues["c4"], Status.DUPLICATE, _at(2026, 1, 6), note="ซ้ำ", duplicate_of=issues["c1"])
    issues["c5"] = make_issue(at=_at(2026, 3, 2), title="ต้นไม้ล้มขวางถนน")
    move(issues["c5"], Status.RESOLVED, _at(2026, 3, 12))  # 10 days
    issues["c6"] = make_issue(at=_at(2026, 3, 10), title="ขยะตกค้าง")  # still open
    # After the date of the figures: in no month, not even March's.
    issues["later"] = make_issue(at=_at(2026, 3, 20), title="สุนัขจรจัด")
    issues["april"] = make_issue(at=_at(2026, 4, 2), title="ป้ายชื่อซอยหาย")
    move(issues["april"], Status.RESOLVED, _at(2026, 4, 3))
    return issues


def _figures(row: kpis.MonthRow) -> tuple:
    return (row.month, row.raised, row.resolved, row.open_at_end, row.median_days)


def test_each_month_of_the_fiscal_year_to_date(two_years):
    trend = kpis.monthly_trend(year=YEAR, as_of=AS_OF)

    # (month, raised, resolved, open at its end, median days to resolve)
    assert [_figures(row) for row in trend] == [
        (_month(2025, 10), 2, 1, 3, 10.0),
        # The reopened issue counts as open at the end of November: its first
        # resolution is not kept once it is reopened.
        (_month(2025, 11), 1, 0, 3, None),  # resolved, then closed as not fixed
        (_month(2025, 12), 0, 0, 3, None),
        (_month(2026, 1), 1, 1, 2, 94.0),  # a duplicate; the reopened issue resolved again
        (_month(2026, 2), 0, 0, 2, None),
        (_month(2026, 3), 2, 1, 3, 10.0),  # open on the 15th, not at the month's end
    ]


def test_the_same_months_of_the_year_before(two_years):
    trend = kpis.monthly_trend(year=YEAR, as_of=AS_OF)

    assert [_figures(row.previous) for row in trend] == [
        (_month(2024, 10), 1, 1, 1, 10.0),
        (_month(2024, 11), 2, 0, 3, None),
        (_month(2024, 12), 0, 0, 3, None),
        # Resolved in January, then closed as another agency's: not resolved.
        (_month(2025, 1), 0, 0, 2, None),
        (_month(2025, 2), 0, 0, 2, None),
        (_month(2025, 3), 2, 1, 2, 10.0),  # one fixed and closed, its duplicate ended
    ]
    assert kpis.trend_total(trend) == kpis.TrendTotal(
        raised=6, resolved=3, previous_raised=5, previous_resolved=2
    )


def test_months_after_the_date_of_the_figures_are_not_shown(two_years):
    trend = kpis.monthly_trend(year=YEAR, as_of=AS_OF)
    assert [row.month for row in trend][-1] == _month(2026, 3)

    # A month later April is there, and what happened after the 15th of March with it.
    later = {
        row.month: row for row in kpis.monthly_trend(year=YEAR, as_of=datetime.date(2026, 4, 30))
    }
    assert _figures(later[_month(2026, 3)]) == (_month(2026, 3), 3, 1, 4, 10.0)
    assert _figures(later[_month(2026, 4)]) == (_month(2026, 4), 1, 1, 4, 1.0)
    assert later[_month(2026, 4)].previous.month == _month(2025, 4)


def test_the_months_add_up_to_the_years_issues_raised(two_years):
    for as_of in (AS_OF, datetime.date(2026, 4, 30), datetime.date(2026, 10, 5)):
        trend = kpis.monthly_trend(year=YEAR, as_of=as_of)
        total = kpis.trend_total(trend)
        year = kpis.fiscal_year_indicators(year=YEAR, as_of=as_of)
        assert total.raised == sum(row.raised for row in trend) == year.raised
        before = kpis.fiscal_year_indicators(year=YEAR - 1, as_of=as_of)
        if len(trend) == 12:
            assert total.previous_raised == before.raised


def test_the_dashboard_shows_the_months_and_the_year_before_in_thai(
    client, admin_user, two_years, freeze_today
):
    freeze_today(AS_OF)
    client.force_login(admin_user)
    response = client.get(reverse("reports:dashboard"))
    page = response.content.decode()

    assert response.context["fiscal_year"] == YEAR
    total = response.context["trend_total"]
    assert total.raised == response.context["indicators"].raised == 6
    for label in (
        "รายเดือน",
        "แจ้งในเดือน",
        "แก้ไขแล้วในเดือน",
        "ยังไม่แล้วเสร็จ ณ สิ้นเดือน",
        "จำนวนวันแก้ไข (มัธยฐาน)",
        "รวม 2569",
        "รวม 2568 เดือนเดียวกัน",
        "ไม่นำแต่ละเดือนมารวมกัน",
        "วิธีนับ",
        # Each figure's definition, beside the table, readable without hovering.
        "เรื่องที่ถูกเปิดใหม่นับเมื่อแก้ไขแล้วอีกครั้ง ในเดือนที่แก้ไขครั้งล่าสุด",
        "ไม่ว่าแจ้งในปีใด ซึ่งยังไม่ได้แก้ไขและยังไม่สิ้นสุด ณ สิ้นเดือน",
        # The chart's legend and the months of the table.
        "ปีงบประมาณ</text>",
        "มี.ค. 69",
        "มี.ค. 68",
    ):
        assert label in page, label
    for month in ((2025, 10), (2026, 3), (2024, 10), (2025, 3)):
        assert reverse("reports:monthly", args=month) in page
    # April is still to come this year, and so last April is not beside it.
    for month in ((2026, 4), (2025, 4)):
        assert f'href="{reverse("reports:monthly", args=month)}"' not in page
    assert '<th scope="row"' in page and '<th scope="col"' in page


def test_the_monthly_summary_pdf_draws_both_years(two_years, settings):
    settings.PDF_THAI_DIGITS = False
    context = documents.monthly_summary_context(year=2026, month=3, today=AS_OF)
    assert context["trend"] == kpis.monthly_trend(year=YEAR, as_of=AS_OF)
    assert "2568" in context["trend_chart"]

    text = pdf_text(documents.monthly_summary_pdf(year=2026, month=3, today=AS_OF))
    text = text.replace("\n", "")
    # The legend, the years and the definitions of the figures drawn, as footnotes.
    for expected in ("ปีงบประมาณ", "แก้ไขแล้ว", "2568", "แท่งสีอ่อนด้านหลัง", "แจ้งในเดือน"):
        assert nfkc(expected) in text, expected
    assert nfkc("เรื่องที่ถูกเปิดใหม่นับเมื่อแก้ไขแล้วอีกครั้ง") in text


def _bulk(count: int) -> None:
    """``count`` issues spread over the 24 months of fiscal years 2568 and 2569, a
    third of them resolved ten days later and every fifth of those closed."""
    community = Community.objects.get(number=1)
    category = IssueCategory.objects.select_related("default_department").get(code="road")
    first = datetime.date(2024, 10, 1)
    issues = []
    for n in range(count):
        received = timezone.make_aware(
            datetime.datetime.combine(
                first + datetime.timedelta(days=n * 727 // count), datetime.time(9)
            )
        )
        resolved = received + datetime.timedelta(days=10) if n % 3 == 0 else None
        status = Status.FORWARDED if resolved is None else Status.RESOLVED
        ended = None
        if resolved and n % 5 == 0:
            status, ended = Status.CLOSED, resolved + datetime.timedelta(days=3)
        issues.append(
            Issue(
                fiscal_year=fiscal_year(received),
                number=10_000 + n,
                community=community,
                category=category,
                department=category.default_department,
                title=f"ปัญหาที่ {n}",
                status=status,
                outcome=Outcome.FIXED if ended else "",
                received_at=received,
                resolved_at=resolved,
                ended_at=ended,
            )
        )
    Issue.objects.bulk_create(issues)


def test_the_trend_asks_two_queries_whatever_the_number_of_issues(
    client, admin_user, freeze_today, django_assert_num_queries, django_assert_max_num_queries
):
    freeze_today(datetime.date(2026, 9, 30))  # the last day of 2569: 24 months to count
    client.force_login(admin_user)
    counts = []
    for size in (12, 480):
        Issue.objects.all().delete()
        _bulk(size)
        with django_assert_num_queries(2):
            trend = kpis.monthly_trend(year=YEAR, as_of=datetime.date(2026, 9, 30))
        assert len(trend) == 12
        assert sum(row.raised + row.previous.raised for row in trend) == size
        assert sum(row.open_at_end for row in trend) > 0
        with django_assert_max_num_queries(16), CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:dashboard")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_moments_month_found_by_comparisons_is_its_month_in_bangkok_time():
    """``kpis.local_month`` (the trend's and the open data's months) gives the month
    ``TruncMonth`` gives in local time, at the last microsecond of a month and the
    first of the next in Bangkok (the evening of the last day in UTC), over a fiscal
    year's turn and a leap February; ``before`` before the months, None after them."""
    community = Community.objects.get(number=1)
    category = IssueCategory.objects.get(code="road")
    microsecond = datetime.timedelta(microseconds=1)
    moments = [_at(2025, 9, 30, 9)]
    for year, month in ((2025, 10), (2025, 11), (2026, 1), (2026, 3), (2028, 3)):
        first = timezone.make_aware(datetime.datetime(year, month, 1))
        moments += [first - microsecond, first, first + datetime.timedelta(hours=7)]
    Issue.objects.bulk_create(
        Issue(
            fiscal_year=fiscal_year(moment),
            number=20_000 + n,
            community=community,
            category=category,
            title=f"ปัญหาที่ {n}",
            status=Status.RECEIVED,
            received_at=moment,
        )
        for n, moment in enumerate(moments)
    )
    months = (
        Issue.objects.annotate(
            found=kpis.local_month(
                "received_at",
                datetime.date(2025, 10, 1),
                datetime.date(2026, 2, 28),
                before=datetime.date(1, 1, 1),
            ),
            local=TruncMonth("received_at", output_field=DateField()),
        )
        .order_by("received_at")
        .values_list("received_at", "found", "local")
    )
    for moment, found, local in months:
        if moment < timezone.make_aware(datetime.datetime(2025, 10, 1)):
            assert found == datetime.date(1, 1, 1), moment
        elif moment >= timezone.make_aware(datetime.datetime(2026, 3, 1)):
            assert found is None, moment
        else:
            assert found == local, moment
    assert {found for _moment, found, _local in months} == {
        datetime.date(1, 1, 1),
        datetime.date(2025, 10, 1),
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
        None,
    }
