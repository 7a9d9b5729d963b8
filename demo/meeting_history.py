"""A realistic fiscal year of meetings for the demo: held, approved and published
meetings with attendance and minutes, a held one and the next month's draft."""

import datetime
import itertools
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communities.models import Participant, ParticipantRole
from core.thaidates import fiscal_year, fiscal_year_bounds
from meetings import services
from meetings.models import AgendaKind, Attendance, Meeting

VENUE = "ห้องประชุมเทศบาลนครหัวหิน ชั้น 3"
ABSENCE_REASONS = ("ติดภารกิจ", "ป่วย", "ติดราชการ", "เดินทางต่างจังหวัด", "")
SUBSTITUTES = ("นางสาวมณีรัตน์ ใจงาม", "นายสมพงษ์ ทองดี", "นางจันทร์ฉาย ศรีสุข")
ANNOUNCEMENT = (
    "ประธานแจ้งกำหนดการจัดงานประจำปีของเทศบาล และขอความร่วมมือชุมชน"
    "ประชาสัมพันธ์การชำระภาษีที่ดินและสิ่งปลูกสร้างภายในกำหนด"
)
CONSIDERATION = (
    "ผู้แทนชุมชนเสนอปัญหาไฟฟ้าส่องสว่างชำรุดและท่อระบายน้ำอุดตันในซอย "
    "ที่ประชุมมอบสำนักการช่างและคณะทำงาน คปต. ลงพื้นที่สำรวจ"
)
# Share of each kind of member who comes to a given meeting.
TURNOUT = {
    ParticipantRole.CHAIR: 0.9,
    ParticipantRole.COMMITTEE: 0.6,
    ParticipantRole.EXECUTIVE: 0.85,
    ParticipantRole.COUNCIL: 0.7,
    ParticipantRole.DEPARTMENT: 0.9,
}


def _first_wednesday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(2 - day.weekday()) % 7)


def _meeting_dates(today: datetime.date) -> list[datetime.date]:
    """Every month from the start of last fiscal year up to next month."""
    start, _end = fiscal_year_bounds(fiscal_year(today) - 1)
    dates, year, month = [], start.year, start.month
    while True:
        day = _first_wednesday(year, month)
        dates.append(day)
        if day > today:
            return dates
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _roll(participants: list[Participant], rng: random.Random) -> list[services.RollEntry]:
    entries = []
    for person in participants:
        if rng.random() < TURNOUT.get(person.role, 0.8):
            status = Attendance.Status.LATE if rng.random() < 0.05 else Attendance.Status.PRESENT
            entries.append(services.RollEntry(person.pk, status))
        elif person.role == ParticipantRole.CHAIR and rng.random() < 0.5:
            entries.append(
                services.RollEntry(
                    person.pk, Attendance.Status.REPRESENTED, rng.choice(SUBSTITUTES)
                )
            )
        else:
            entries.append(
                services.RollEntry(person.pk, Attendance.Status.ABSENT, rng.choice(ABSENCE_REASONS))
            )
    return entries


@transaction.atomic
def demo_meetings_create() -> int:
    """Create the demo meetings unless there are meetings already; return how many."""
    if Meeting.objects.exists():
        return 0
    staff = get_user_model().objects.get(username="staff")
    chair = Participant.objects.filter(
        role=ParticipantRole.EXECUTIVE, position__startswith="นายกเทศมนตรี"
    ).first()
    participants = list(Participant.objects.filter(active=True).order_by("pk"))
    rng = random.Random(2569)
    today = timezone.localdate()
    meetings = []
    for day in _meeting_dates(today):
        meeting = services.meeting_create(
            actor=staff,
            date=day,
            start_time=datetime.time(9, 30),
            end_time=datetime.time(12, 0) if day <= today else None,
            venue=VENUE,
            chair=chair,
            minute_taker="นางสาวสุดารัตน์ ธุรการดี",
            minute_taker_position="นักจัดการงานทั่วไปชำนาญการ",
            minute_checker="นายวีระ ตรวจการ",
            minute_checker_position="หัวหน้าฝ่ายบริหารงานทั่วไป",
        )
        meetings.append(meeting)
        if day > today:
            continue
        services.attendance_record(meeting=meeting, actor=staff, entries=_roll(participants, rng))
        items = {item.kind: item for item in meeting.agenda_items.all()}
        texts = {
            items[AgendaKind.ANNOUNCEMENTS].pk: (ANNOUNCEMENT, "ที่ประชุมรับทราบ"),
            items[AgendaKind.CONSIDERATION].pk: (CONSIDERATION, "มอบส่วนราชการที่เกี่ยวข้องดำเนินการ"),
        }
        if items[AgendaKind.PREVIOUS_MINUTES].refers_to_meeting_id:
            texts[items[AgendaKind.PREVIOUS_MINUTES].pk] = ("", "ที่ประชุมรับรองรายงานการประชุม")
        services.minutes_update(meeting=meeting, actor=staff, texts=texts)
        services.meeting_transition(meeting=meeting, to_status=Meeting.Status.HELD, actor=staff)

    # Each meeting's minutes are approved at the next one and then published,
    # except the newest held meeting, which waits for next month.
    held = [m for m in meetings if m.date <= today]
    for meeting, following in itertools.pairwise(held):
        services.meeting_transition(
            meeting=meeting, to_status=Meeting.Status.APPROVED, actor=staff, approved_at=following
        )
        if following is not held[-1]:
            services.meeting_transition(
                meeting=meeting, to_status=Meeting.Status.PUBLISHED, actor=staff
            )
    return len(meetings)
