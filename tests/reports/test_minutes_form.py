"""The minutes PDF in the form of แบบที่ ๑๑ (ระเบียบงานสารบรรณ ข้อ ๒๕), read back."""

import io

import pdfplumber
import pytest

from meetings import services
from meetings.models import AgendaItem
from reports.minutes import minutes_pdf
from tests.factories import ParticipantFactory
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(make_meeting, staff_user):
    meeting = make_meeting()
    chair = ParticipantFactory(name="นายปรีชา ชื่นบาน", position="ประธานชุมชนบ่อฝ้าย", role="chair")
    member = ParticipantFactory(name="นางมาลี ใจดี", position="กรรมการชุมชนบ่อฝ้าย")
    away = ParticipantFactory(name="นายสมชาย ศรีสุข", position="ประธานชุมชนสวนสน", role="chair")
    late = ParticipantFactory(name="นางอรุณี ทองคำ", position="กรรมการชุมชนสวนสน")
    services.attendance_record(
        meeting=meeting,
        actor=staff_user,
        entries=[
            services.RollEntry(chair.pk, "represented", "นายสมพงษ์ ทองดี"),
            services.RollEntry(member.pk, "present"),
            services.RollEntry(away.pk, "absent", "ติดราชการ"),
            services.RollEntry(late.pk, "late"),
        ],
    )
    return meeting


def test_a_substitute_is_written_with_their_name_then_whom_they_stand_for(meeting):
    text = pdf_text(minutes_pdf(meeting=meeting))
    # Compared without spaces and line ends: the position may wrap in its column.
    written = "".join(text.split())
    assert "นายสมพงษ์ทองดีแทนนายปรีชาชื่นบานประธานชุมชนบ่อฝ้าย" in written
    assert "มาประชุมแทน" not in text
    assert "(นาย" not in text


def test_positions_stand_in_one_column(meeting):
    with pdfplumber.open(io.BytesIO(minutes_pdf(meeting=meeting))) as pdf:
        words = pdf.pages[0].extract_words()
    # Each position (and "แทน …" for the substitute) starts at the same distance.
    starts = {round(word["x0"]) for word in words if word["text"].startswith(("กรรมการ", "แทน"))}
    assert len(starts) == 1, starts


def test_no_empty_resolution_and_no_list_of_nobody(meeting):
    AgendaItem.objects.filter(meeting=meeting).update(resolution="")
    text = pdf_text(minutes_pdf(meeting=meeting))
    assert "มติที่ประชุม —" not in text and "มติที่ประชุม" not in text
    # Nobody else attended: the heading says so instead of a numbered list of one dash.
    after = text.split("ผู้เข้าร่วมประชุม", 1)[1].split()
    assert after[0] == "ไม่มี"
    assert "๑. —" not in text and "1. —" not in text


def test_the_meeting_date_is_never_split_across_lines(make_meeting, staff_user):
    meeting = make_meeting(
        venue="ห้องประชุมสำนักงานเทศบาลนครหัวหิน อาคารเฉลิมพระเกียรติ ชั้น ๓ ถนนดำรงราชานุสรณ์"
    )
    text = pdf_text(minutes_pdf(meeting=meeting))
    date_line = next(line for line in text.splitlines() if line.startswith("เมื่อ"))
    assert "๒๕๖๙" in date_line
