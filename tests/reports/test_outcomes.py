"""The resolution rate counts what was fixed; every other outcome of a closing is
shown beside it, never counted as resolved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Department
from issues import services
from issues.models import Issue, Outcome, Status
from reports import documents, kpis
from tests.pdf_text import nfkc, pdf_text

pytestmark = pytest.mark.django_db


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


MARCH = datetime.date(2026, 3, 4)
AS_OF = datetime.date(2026, 4, 30)


@pytest.fixture
def closings(make_issue, staff_user):
    """Four issues raised in March 2026, all resolved on 10 March; closed on the 20th:
    one fixed, one partly fixed, one another agency's; one left resolved, not closed."""
    issues = [make_issue(at=_at(MARCH), title=f"ไฟฟ้าส่องสว่างดับ {n}") for n in range(4)]
    for issue in issues:
        services.issue_update(
            issue=issue,
            actor=staff_user,
            version=None,
            to_status=Status.RESOLVED,
            at=_at(datetime.date(2026, 3, 10)),
        )
    for issue, fields in (
        (issues[0], {"outcome": Outcome.FIXED}),
        (issues[1], {"outcome": Outcome.PARTLY_FIXED, "outcome_note": "เปลี่ยนได้ ๒ จาก ๕ ดวง"}),
        (
            issues[2],
            {
                "outcome": Outcome.NOT_FIXED_OTHER_AGENCY,
                "outcome_agency": Department.objects.get(code="PEA"),
            },
        ),
    ):
        services.issue_update(
            issue=Issue.objects.get(pk=issue.pk),
            actor=staff_user,
            version=None,
            to_status=Status.CLOSED,
            note="ปิดเรื่องในที่ประชุม",
            at=_at(datetime.date(2026, 3, 20)),
            **fields,
        )
    return issues


def test_the_resolution_rate_counts_fixed_and_not_other_closings(closings):
    ind = kpis.fiscal_year_indicators(year=2569, as_of=AS_OF)

    # Fixed, and resolved but not yet closed; not the other agency's, not partly fixed.
    assert (ind.counted, ind.resolved) == (4, 2)
    assert ind.resolution_rate == 50.0
    assert ind.partly_fixed == 1
    assert ind.partly_fixed_rate == 25.0


def test_before_the_closing_a_resolved_issue_still_counted(closings):
    ind = kpis.fiscal_year_indicators(year=2569, as_of=datetime.date(2026, 3, 15))
    assert ind.resolved == 4


def test_every_outcome_is_shown_in_the_breakdown(closings):
    ind = kpis.fiscal_year_indicators(year=2569, as_of=AS_OF)

    rows = {value: count for value, _label, count in ind.outcome_rows}
    assert set(rows) == set(Outcome.values)
    assert rows == {
        Outcome.FIXED: 1,
        Outcome.PARTLY_FIXED: 1,
        Outcome.NOT_FIXED_OTHER_AGENCY: 1,
        Outcome.NOT_FIXED_NO_BUDGET: 0,
        Outcome.NOT_FIXED_WITHDRAWN: 0,
        Outcome.NOT_FIXED_OTHER: 0,
    }
    assert ind.closed == 3


def test_tables_and_trend_do_not_count_another_agencys_closing(closings):
    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    departments = kpis.by_department(start=start, end=end, as_of=AS_OF)
    assert sum(row.resolved for row in departments) == 2
    trend = {row.month: row for row in kpis.monthly_trend(year=2569, as_of=AS_OF)}
    assert trend[datetime.date(2026, 3, 1)].resolved == 2


def test_dashboard_shows_the_outcomes_of_closed_issues(client, admin_user, closings):
    client.force_login(admin_user)
    page = client.get(reverse("reports:dashboard"), {"year": 2569}).content.decode()

    assert "ผลการปิดเรื่อง" in page
    assert "ไม่ได้แก้ไข: อยู่ในอำนาจหน้าที่ของหน่วยงานอื่น" in page
    assert "แก้ไขได้บางส่วน" in page
    assert "นับแยก ไม่รวมในอัตราการแก้ไขปัญหา" in page  # its definition, beside it


def test_monthly_page_and_pdf_show_the_outcomes(client, admin_user, closings, settings):
    settings.PDF_THAI_DIGITS = False
    client.force_login(admin_user)
    page = client.get(reverse("reports:monthly", args=[2026, 3])).content.decode()
    assert "ผลการปิดเรื่อง" in page
    assert "ไม่ได้แก้ไข: ชุมชนขอถอนเรื่อง" in page

    # Long labels wrap inside their cell.
    text = pdf_text(documents.monthly_summary_pdf(year=2026, month=3, today=AS_OF))
    text = text.replace("\n", "")
    assert nfkc("ผลการปิดเรื่อง") in text
    assert nfkc("อยู่ในอำนาจหน้าที่ของหน่วยงานอื่น") in text
    assert nfkc("แก้ไขได้บางส่วน1") in text.replace(" ", "")
