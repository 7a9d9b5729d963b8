import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from communities.models import Community
from core.thaidates import to_thai_digits
from issues import services
from issues.models import Issue
from meetings import services as meeting_services
from reports import documents, kpis
from tests.meetings.conftest import image_upload
from tests.pdf_text import nfkc, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def march_data(make_issue, staff_user, officer_user):
    """Issues of a known fiscal year: 4 raised in March 2026, 2 resolved (one on time)."""
    meeting = meeting_services.meeting_create(
        actor=staff_user,
        date=datetime.date(2026, 3, 4),
        venue="ห้องประชุม",
        start_time=datetime.time(9, 30),
    )
    meeting = meeting_services.meeting_transition(
        meeting=meeting, to_status="held", actor=staff_user
    )
    march = datetime.date(2026, 3, 4)
    issues = [
        make_issue(
            meeting=meeting, at=_at(march), title=f"น้ำท่วมขังซอย {n}", category_code="drainage"
        )
        for n in range(4)
    ]
    for issue, fixed_on, target in (
        (issues[0], datetime.date(2026, 3, 14), datetime.date(2026, 3, 20)),
        (issues[1], datetime.date(2026, 4, 3), datetime.date(2026, 3, 25)),
    ):
        services.issue_update(
            issue=issue,
            actor=officer_user,
            version=None,
            to_status="in_progress",
            at=_at(march, 15),
        )
        Issue.objects.filter(pk=issue.pk).update(target_date=target)
        services.issue_update(
            issue=Issue.objects.get(pk=issue.pk),
            actor=officer_user,
            version=None,
            to_status="resolved",
            note="แก้ไขแล้ว",
            at=_at(fixed_on),
        )
    Issue.objects.filter(pk=issues[2].pk).update(target_date=datetime.date(2026, 3, 31))
    # One raised before categories had targets: it has none.
    Issue.objects.filter(pk=issues[3].pk).update(target_date=None, target_source="")
    return meeting, issues


def test_indicators_of_a_fiscal_year(march_data):
    ind = kpis.fiscal_year_indicators(year=2569, as_of=datetime.date(2026, 4, 30))
    assert (ind.raised, ind.resolved, ind.open, ind.overdue) == (4, 2, 2, 1)
    assert ind.resolution_rate == 50.0
    assert ind.within_target_rate == 50.0
    assert ind.median_days_to_resolve == 20.0  # 10 and 30 days


def test_indicators_as_they_stood_at_an_earlier_date(march_data):
    ind = kpis.fiscal_year_indicators(year=2569, as_of=datetime.date(2026, 3, 31))
    assert (ind.resolved, ind.open) == (1, 3)
    assert ind.overdue == 1  # the one due on 25 March, not yet fixed on the 31st


def test_reopened_issue_no_longer_counts_as_resolved(march_data, kpt_user):
    _meeting, issues = march_data
    services.issue_update(
        issue=issues[0], actor=kpt_user, version=None, to_status="in_progress", note="ยังท่วมอยู่"
    )
    ind = kpis.fiscal_year_indicators(year=2569, as_of=timezone.localdate())
    assert ind.resolved == 1


def test_monthly_trend_counts_per_month(march_data):
    trend = {
        row.month: row for row in kpis.monthly_trend(year=2569, as_of=datetime.date(2026, 4, 30))
    }
    assert len(trend) == 7  # October to April
    assert (trend[datetime.date(2026, 3, 1)].raised, trend[datetime.date(2026, 3, 1)].resolved) == (
        4,
        1,
    )
    assert trend[datetime.date(2026, 4, 1)].resolved == 1


def test_monthly_summary_pdf_shows_the_meeting_issues_and_the_same_kpis(march_data):
    content = documents.monthly_summary_pdf(year=2026, month=3, today=datetime.date(2026, 4, 30))
    text = pdf_text(content)
    assert nfkc("ประจำเดือนมีนาคม ๒๕๖๙") in text
    assert nfkc("การประชุมครั้งที่ ๑/๒๕๖๙") in text
    assert nfkc("วันพุธที่ ๔ มีนาคม ๒๕๖๙") in text
    ind = kpis.fiscal_year_indicators(year=2569, as_of=datetime.date(2026, 3, 31))
    assert nfkc(to_thai_digits(f"{ind.resolution_rate}%")) in text
    assert nfkc("สำนักการช่าง") in text
    assert nfkc("ท่อระบายน้ำ") in text
    assert pdf_pages(content) >= 2


def test_dashboard_and_monthly_pdf_agree_on_the_figures(client, admin_user, march_data, settings):
    settings.PDF_THAI_DIGITS = False
    today = timezone.localdate()
    client.force_login(admin_user)
    response = client.get(reverse("reports:dashboard"), {"year": 2569})
    dashboard = response.context["indicators"]
    fy_end = datetime.date(2026, 9, 30)
    as_of = min(today, fy_end)
    monthly = documents.monthly_summary_context(year=as_of.year, month=as_of.month, today=as_of)
    assert dashboard == monthly["year_indicators"]
    text = pdf_text(documents.monthly_summary_pdf(year=as_of.year, month=as_of.month, today=as_of))
    html = response.content.decode()
    for figure in (f"{dashboard.resolution_rate}%", f"{dashboard.within_target_rate}%"):
        assert figure in html
        assert figure in text


def test_minutes_pdf_has_the_official_content(march_data, staff_user, hundred_participants):
    from reports.minutes import minutes_pdf

    meeting, issues = march_data
    meeting_services.attendance_record(
        meeting=meeting,
        actor=staff_user,
        entries=[meeting_services.RollEntry(p.pk, "present") for p in hundred_participants[:80]]
        + [meeting_services.RollEntry(hundred_participants[80].pk, "absent", "ติดภารกิจ")],
    )
    meeting_services.photos_add(
        meeting=meeting, actor=staff_user, files=[image_upload()], caption="บรรยากาศการประชุม"
    )
    content = minutes_pdf(meeting=meeting)
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages) >= 1
    text = pdf_text(content)
    for expected in (
        "รายงานการประชุมผู้นำชุมชนในเขตเทศบาลนครหัวหิน",
        "ครั้งที่ ๑/๒๕๖๙",
        "เมื่อวันพุธที่ ๔ มีนาคม ๒๕๖๙ เวลา ๐๙.๓๐ น.",
        "ผู้มาประชุม",
        "ผู้ไม่มาประชุม",
        "ผู้เข้าร่วมประชุม",
        "เริ่มประชุมเวลา",
        "เลิกประชุมเวลา",
        "ผู้จดรายงานการประชุม",
        "ผู้ตรวจรายงานการประชุม",
        "ระเบียบวาระที่ ๓",
        "ติดภารกิจ",
        "บรรยากาศการประชุม",
        hundred_participants[0].name,
        hundred_participants[79].name,
    ):
        assert nfkc(to_thai_digits(expected)) in text, expected
    for issue in issues:
        assert nfkc(to_thai_digits(issue.reference)) in text


def test_monthly_summary_command_writes_a_pdf(march_data, tmp_path):
    output = tmp_path / "summary.pdf"
    call_command("monthly_summary", "2026-03", output=str(output), verbosity=0)
    assert output.read_bytes().startswith(b"%PDF")


def test_monthly_summary_command_refuses_a_bad_month(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_summary", "2026-13", output=str(tmp_path / "x.pdf"))


# Who may read what ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "dashboard", "monthly"),
    [
        ("admin_user", 200, 200),
        ("staff_user", 200, 200),
        ("kpt_user", 200, 200),
        ("officer_user", 403, 403),
        ("leader_user", 403, 403),
        ("no_role_user", 403, 403),
    ],
)
def test_report_pages_by_role(client, request, fixture, dashboard, monthly):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("reports:dashboard")).status_code == dashboard
    assert client.get(reverse("reports:monthly", args=[2026, 3])).status_code == monthly
    assert client.get(reverse("reports:monthly_pdf", args=[2026, 3])).status_code == monthly


def test_a_leader_reads_only_their_communitys_report(client, leader_user, make_issue):
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    own = client.get(reverse("reports:community", args=[1]))
    assert own.status_code == 200
    assert "ถนนชำรุดหน้าวัด" in own.content.decode()
    pdf = client.get(reverse("reports:community_pdf", args=[1]))
    assert pdf["Content-Type"] == "application/pdf"
    assert nfkc("ถนนชำรุดหน้าวัด") in pdf_text(pdf.content)
    assert client.get(reverse("reports:community", args=[2])).status_code == 403
    assert client.get(reverse("reports:community_pdf", args=[2])).status_code == 403


def test_department_report_for_its_officers_only(client, officer_user, make_issue):
    make_issue(title="ถนนยุบ")
    client.force_login(officer_user)
    response = client.get(reverse("reports:department", args=["ENG"]))
    assert response.status_code == 200
    assert "ถนนยุบ" in response.content.decode()
    assert client.get(reverse("reports:department", args=["HEALTH"])).status_code == 403


def test_report_pages_keep_a_fixed_number_of_queries(
    client, admin_user, make_issue, django_assert_max_num_queries
):
    for n in range(12):
        make_issue(title=f"ปัญหา {n}", community_number=1 + n % 3)
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        client.get(reverse("reports:dashboard"))
    with django_assert_max_num_queries(20):
        client.get(
            reverse("reports:monthly", args=[timezone.localdate().year, timezone.localdate().month])
        )
    with django_assert_max_num_queries(15):
        client.get(reverse("reports:community", args=[1]))
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:department", args=["ENG"]))
    assert Community.objects.count() == 42
