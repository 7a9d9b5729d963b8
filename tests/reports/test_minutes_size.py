"""The minutes stay a document a secretary can sign whatever the backlog: issues
carried forward are summarised by department, with those that progressed since the
previous meeting, and the full follow-up table is cut at a limit with a pointer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.thaidates import to_thai_digits
from issues.models import IssueUpdate
from meetings import services as meeting_services
from reports.minutes import FOLLOW_UP_ANNEX_LIMIT, follow_up, minutes_pdf
from tests.issues.conftest import bulk_issues
from tests.pdf_text import nfkc, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(staff_user):
    today = timezone.localdate()
    previous = meeting_services.meeting_create(
        actor=staff_user, date=today - datetime.timedelta(days=30), venue="ห้องประชุม"
    )
    this = meeting_services.meeting_create(actor=staff_user, date=today, venue="ห้องประชุม")
    previous.status = "held"
    previous.save(update_fields=["status"])
    return previous, this


def _flat(text: str) -> str:
    return nfkc("".join(to_thai_digits(text).split()))


def _backlog(count, *, staff_user, previous, start=0):
    """``count`` issues raised at ``previous``, their notes written before it."""
    issues = bulk_issues(count, staff_user=staff_user, meeting=previous, start=start)
    before = timezone.make_aware(datetime.datetime.combine(previous.date, datetime.time(9)))
    IssueUpdate.objects.filter(issue__in=issues).update(
        created_at=before - datetime.timedelta(days=5)
    )
    return issues


def test_a_large_backlog_is_summarised_and_cut_with_a_pointer(staff_user, meetings):
    previous, this = meetings
    issues = _backlog(150, staff_user=staff_user, previous=previous)
    for issue in issues[5:8]:
        IssueUpdate.objects.create(
            issue=issue, kind="progress", note="ซ่อมแซมท่อเสร็จแล้วบางส่วน", actor=staff_user
        )
    summary = follow_up(meeting=this)
    assert summary.total > FOLLOW_UP_ANNEX_LIMIT
    assert summary.progressed_total == 3
    assert sum(count for _name, count in summary.by_department) == summary.total

    content = minutes_pdf(meeting=this, live_url="https://example.org/m/1")
    # Compared without spaces and line ends, which depend on where lines break.
    text = _flat(pdf_text(content))
    assert _flat(f"จำนวน {summary.total} เรื่อง แยกตามส่วนราชการ") in text
    assert _flat(f"ตั้งแต่การประชุมครั้งที่ {previous.number_label} จำนวน 3 เรื่อง") in text
    assert text.count(_flat("ซ่อมแซมท่อเสร็จแล้วบางส่วน")) == 6  # in item ๓ and in the annex
    assert _flat(f"แสดง {FOLLOW_UP_ANNEX_LIMIT} เรื่องแรกจาก {summary.total} เรื่อง") in text
    assert "https://example.org/m/1" in pdf_text(content)  # the address keeps its digits


def test_the_minutes_do_not_grow_with_the_backlog(staff_user, meetings):
    previous, this = meetings
    _backlog(120, staff_user=staff_user, previous=previous)
    pages_before = pdf_pages(minutes_pdf(meeting=this))
    _backlog(240, staff_user=staff_user, previous=previous, start=120)
    assert follow_up(meeting=this).total > 300
    assert pdf_pages(minutes_pdf(meeting=this)) == pages_before


def test_a_small_backlog_is_listed_whole(staff_user, meetings):
    previous, this = meetings
    _backlog(8, staff_user=staff_user, previous=previous)
    summary = follow_up(meeting=this)
    assert not summary.annex_cut
    text = pdf_text(minutes_pdf(meeting=this))
    assert "เรื่องแรกจาก" not in text
    for row in summary.annex:
        assert to_thai_digits(row.issue.reference) in text


def test_the_monthly_summary_cuts_a_long_overdue_list_with_a_pointer(client, admin_user):
    from issues.models import Issue
    from reports.documents import MONTHLY_OVERDUE_LIMIT

    today = timezone.localdate()
    bulk_issues(MONTHLY_OVERDUE_LIMIT * 3, staff_user=admin_user)
    Issue.objects.update(status="in_progress", target_date=today - datetime.timedelta(days=3))
    client.force_login(admin_user)
    response = client.get(reverse("reports:monthly_pdf", args=[today.year, today.month]))
    text = _flat(pdf_text(response.content))
    overdue = Issue.objects.count()
    assert _flat(f"แสดง {MONTHLY_OVERDUE_LIMIT} เรื่องที่เกินกำหนดนานที่สุดจาก {overdue} เรื่อง") in text
    # The page on the web is cut too: the pointer is to the issue list of them all.
    assert "/issues/?overdue=on" in pdf_text(response.content)


def _reference_follow_up(meeting, previous, limit):
    """Agenda item ๓ worked out from the whole carried-forward list, row by row."""
    from collections import Counter

    from issues.selectors import carried_forward

    carried = carried_forward(meeting=meeting)
    since = timezone.make_aware(datetime.datetime.combine(previous.date, datetime.time.min))
    progressed = [row for row in carried if row.latest_at and row.latest_at >= since]
    departments = Counter(
        row.issue.department.name_th if row.issue.department else "—" for row in carried
    )
    return {
        "total": len(carried),
        "by_department": sorted(departments.items(), key=lambda item: (-item[1], item[0])),
        "progressed": [(row.issue.pk, row.latest_note) for row in progressed[:limit]],
        "progressed_total": len(progressed),
        "annex": [(row.issue.pk, row.status_then, row.latest_note) for row in carried[:limit]],
    }


def test_the_summary_read_by_the_database_is_the_whole_list_summarised(
    staff_user, officer_user, meetings
):
    previous, this = meetings
    issues = _backlog(40, staff_user=staff_user, previous=previous)
    since_previous = timezone.make_aware(datetime.datetime.combine(this.date, datetime.time(8)))
    for index, issue in enumerate(issues[:24]):
        # Public notes since the previous meeting, internal ones (not in the minutes)
        # and notes after this meeting's day (not yet written when it met).
        update = IssueUpdate.objects.create(
            issue=issue,
            kind="progress",
            note=f"ความคืบหน้า {index}",
            actor=officer_user,
            is_public=index % 3 != 0,
        )
        when = since_previous + datetime.timedelta(days=2 if index % 4 == 0 else 0)
        IssueUpdate.objects.filter(pk=update.pk).update(created_at=when)
    limit = 7
    summary = follow_up(meeting=this, limit=limit)
    expected = _reference_follow_up(this, previous, limit)
    assert summary.total == expected["total"] > 30
    assert summary.by_department == expected["by_department"]
    assert [(row.issue.pk, row.latest_note) for row in summary.progressed] == expected["progressed"]
    assert summary.progressed_total == expected["progressed_total"] > limit
    assert [(row.issue.pk, row.status_then, row.latest_note) for row in summary.annex] == expected[
        "annex"
    ]


def test_the_minutes_and_the_line_summary_read_only_the_rows_they_list(staff_user, meetings):
    from django.db.models.signals import post_init

    from issues.models import Issue
    from reports.line import line_summary

    previous, this = meetings
    _backlog(60, staff_user=staff_user, previous=previous)
    loaded = []

    def count(sender, **kwargs):
        loaded.append(1)

    post_init.connect(count, sender=Issue)
    try:
        follow_up(meeting=this, limit=10)
        assert len(loaded) <= 2 * 10  # the annex and the progressed, not the 60
        loaded.clear()
        line_summary(meeting=this)
        assert len(loaded) <= 5
    finally:
        post_init.disconnect(count, sender=Issue)
