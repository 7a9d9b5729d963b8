"""Every glyph of the official PDFs inside the page's text area and inside its own
table cell, read back from the PDF (pdfplumber): at demo size and with a large
meeting (118 people, 60 issues raised, long follow-up), in Thai and Arabic digits."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from communities.models import Community, IssueCategory, Participant
from issues import services as issue_services
from meetings import services as meeting_services
from meetings.models import Meeting
from reports import documents
from reports.minutes import minutes_pdf
from tests.factories import make_user
from tests.pdf_layout import misplaced_glyphs

pytestmark = pytest.mark.django_db

# Official documents: 3 cm left, 2 cm right.
LEFT_CM, RIGHT_CM = 3.0, 2.0


def _documents(meeting: Meeting, admin) -> dict[str, bytes]:
    return {
        "minutes": minutes_pdf(meeting=meeting),
        "monthly summary": documents.monthly_summary_pdf(
            year=meeting.date.year, month=meeting.date.month
        ),
        "community report": documents.community_report_pdf(
            community=Community.objects.get(number=1), user=admin
        ),
    }


def _assert_everything_in_place(meeting: Meeting, admin):
    for thai_digits in (True, False):
        with override_settings(PDF_THAI_DIGITS=thai_digits):
            for name, content in _documents(meeting, admin).items():
                misplaced = misplaced_glyphs(content, left_cm=LEFT_CM, right_cm=RIGHT_CM)
                assert not misplaced, f"{name} (Thai digits {thai_digits}):\n" + "\n".join(
                    map(str, misplaced[:20])
                )


@pytest.fixture
def demo(reference_data):
    """The demo data ``make run`` loads, and an admin to read the reports."""
    call_command("seed_demo", password="demo-password-2569", stdout=io.StringIO())
    return make_user(username="layout-admin", role="admin")


def test_demo_documents_keep_every_glyph_in_place(demo):
    meeting = Meeting.objects.exclude(status=Meeting.Status.DRAFT).order_by("-date").first()
    _assert_everything_in_place(meeting, demo)


def test_a_large_meeting_keeps_every_glyph_in_place(demo):
    staff = make_user(username="layout-staff", role="secretariat", department_code="PALAD")
    # Today: the demo's approved meetings before it keep their numbers.
    day = timezone.localdate()
    meeting = meeting_services.meeting_create(
        actor=staff, date=day, venue="ห้องประชุมเทศบาลนครหัวหิน ชั้น ๓", start_time=datetime.time(9, 30)
    )
    people = list(Participant.objects.filter(active=True).order_by("pk")[:118])
    entries = []
    for index, person in enumerate(people):
        if index % 17 == 5:
            entries.append(
                meeting_services.RollEntry(person.pk, "represented", "นางสาวมณีรัตน์ ใจงามยิ่ง")
            )
        elif index % 13 == 7:
            entries.append(meeting_services.RollEntry(person.pk, "absent", "ติดราชการต่างจังหวัด"))
        else:
            entries.append(meeting_services.RollEntry(person.pk, "present"))
    meeting_services.attendance_record(meeting=meeting, actor=staff, entries=entries)
    meeting_services.meeting_transition(meeting=meeting, to_status="held", actor=staff)
    communities = list(Community.objects.order_by("number"))
    categories = list(IssueCategory.objects.order_by("pk"))
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))
    for n in range(60):
        issue_services.issue_create(
            actor=staff,
            community=communities[-1 - n % len(communities)],
            category=categories[n % len(categories)],
            title=f"น้ำท่วมขังและท่อระบายน้ำอุดตันบริเวณซอยสุขาภิบาล ๒ ซอย {n + 1}",
            location_text="หน้าศาลาประชาคมชุมชน ถนนเพชรเกษม",
            meeting=meeting,
            at=at,
        )
    _assert_everything_in_place(meeting, demo)
