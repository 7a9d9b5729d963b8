"""The pages people open every month ask the database the same number of questions
whatever the number of issues, meetings' attendance and photos behind them.

Each page is counted at one size and at ten times that size; a page that asked one
more query per issue, per person on the roll or per photo would count differently.
The data is spread the way a real year is: several communities, every category (so
several departments), four statuses, public and internal notes, progress photos,
issues carried forward from the meeting before and submissions awaiting a meeting."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from communities.models import Community, Participant, ParticipantRole
from core.thaidates import fiscal_year
from issues.models import Issue, IssuePhoto, IssueUpdate, Status
from meetings import services as meeting_services
from meetings.models import AgendaItem, Attendance, Meeting, MeetingPhoto
from tests.factories import ParticipantFactory
from tests.issues.conftest import bulk_issues

pytestmark = pytest.mark.django_db

# One unit of data: an issue of every category (15) over three communities, three
# people on each meeting's roll, two photos of each meeting, one more held meeting.
ISSUES_PER_UNIT = 15
PEOPLE_PER_UNIT = 3
PHOTOS_PER_UNIT = 2
SMALL, LARGE = 1, 10


def _shared_image() -> str:
    """One small JPEG on disk that every bulk-made photo points at (PDFs read it)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, format="JPEG")
    return default_storage.save("bulk/photo.jpg", ContentFile(buffer.getvalue()))


@pytest.fixture
def year(staff_user, leader_user):
    """Two meetings a month apart: the earlier one published, today's held."""
    today = timezone.localdate()
    earlier = meeting_services.meeting_create(
        actor=staff_user,
        date=today - datetime.timedelta(days=35),
        venue="ห้องประชุม",
        start_time=datetime.time(9, 30),
    )
    current = meeting_services.meeting_create(
        actor=staff_user, date=today, venue="ห้องประชุม", start_time=datetime.time(9, 30)
    )
    for status in ("held", "approved", "published"):
        earlier = meeting_services.meeting_transition(
            meeting=earlier,
            to_status=status,
            actor=staff_user,
            approved_at=current if status == "approved" else None,
        )
    current = meeting_services.meeting_transition(
        meeting=current, to_status="held", actor=staff_user
    )
    ParticipantFactory(user=leader_user, role=ParticipantRole.CHAIR)
    return {
        "earlier": earlier,
        "current": current,
        "communities": list(Community.objects.filter(number__in=(1, 2, 3))),
        "image": _shared_image(),
        "grown": 0,
    }


def grow(year, units: int, *, staff_user, admin_user) -> None:
    """Add ``units`` units of data to ``year`` (the admin adds sub-items to the
    published meeting)."""
    start = year["grown"]
    year["grown"] += units
    issues = bulk_issues(
        units * ISSUES_PER_UNIT,
        staff_user=staff_user,
        start=start * ISSUES_PER_UNIT,
        communities=year["communities"],
        meeting=year["current"],
    )
    # Every other issue was raised at the earlier meeting: open ones are carried forward.
    Issue.objects.filter(pk__in=[issue.pk for issue in issues[::2]]).update(meeting=year["earlier"])
    # One in five is a leader's submission still awaiting a meeting.
    Issue.objects.filter(pk__in=[issue.pk for issue in issues[::5]]).update(
        meeting=None, awaiting_meeting=True, status=Status.RECEIVED, channel="online"
    )
    IssueUpdate.objects.bulk_create(
        IssueUpdate(issue=issue, kind="progress", note="บันทึกภายใน", is_public=False)
        for issue in issues
    )
    IssuePhoto.objects.bulk_create(
        IssuePhoto(update=update, image=year["image"], thumbnail=year["image"])
        for update in IssueUpdate.objects.filter(issue__in=issues, is_public=True).order_by(
            "issue", "pk"
        )[::2]
    )
    people = Participant.objects.bulk_create(
        Participant(
            name=f"กรรมการ {start}-{n}",
            role=ParticipantRole.COMMITTEE,
            community=year["communities"][n % 3],
        )
        for n in range(units * PEOPLE_PER_UNIT)
    )
    held = [
        meeting_services.meeting_transition(
            meeting=meeting_services.meeting_create(
                actor=staff_user,
                date=timezone.localdate() - datetime.timedelta(days=2 + start + n),
                venue="ห้องประชุม",
                start_time=datetime.time(9, 30),
            ),
            to_status="held",
            actor=staff_user,
        )
        for n in range(units)
    ]
    for meeting in (year["earlier"], year["current"], *held):
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                participant=person,
                status=["present", "late", "absent"][n % 3],
                absence_reason="ติดภารกิจ" if n % 3 == 2 else "",
            )
            for n, person in enumerate(people)
        )
        MeetingPhoto.objects.bulk_create(
            MeetingPhoto(meeting=meeting, image=year["image"], thumbnail=year["image"])
            for _n in range(units * PHOTOS_PER_UNIT)
        )
        parent = AgendaItem.objects.filter(meeting=meeting, parent=None).order_by("order").last()
        for n in range(units):
            meeting_services.agenda_sub_item_add(
                meeting=meeting, actor=admin_user, parent=parent, title=f"เรื่องอื่น {start + n}"
            )


def pages(year) -> list[tuple[str, str, str]]:
    """(what, user fixture, url) for every page counted."""
    today = timezone.localdate()
    current, earlier = year["current"].pk, year["earlier"].pk
    return [
        ("meeting list", "staff_user", reverse("meetings:list")),
        ("meeting list, leader", "leader_user", reverse("meetings:list")),
        ("meeting detail", "staff_user", reverse("meetings:detail", args=[current])),
        ("published meeting, leader", "leader_user", reverse("meetings:detail", args=[earlier])),
        ("published meeting, officer", "officer_user", reverse("meetings:detail", args=[earlier])),
        ("minutes page", "staff_user", reverse("meetings:minutes", args=[current])),
        ("roll page", "staff_user", reverse("meetings:attendance", args=[current])),
        ("minutes PDF", "staff_user", reverse("reports:minutes_pdf", args=[earlier])),
        (
            "monthly summary",
            "admin_user",
            reverse("reports:monthly", args=[today.year, today.month]),
        ),
        (
            "monthly summary PDF",
            "admin_user",
            reverse("reports:monthly_pdf", args=[today.year, today.month]),
        ),
        ("dashboard", "admin_user", reverse("reports:dashboard")),
        ("open data", "admin_user", reverse("reports:open_data")),
        (
            "open data statistics",
            "admin_user",
            reverse("reports:open_data_download", args=[fiscal_year(today), "statistics", "csv"]),
        ),
        (
            "open data complaints",
            "admin_user",
            reverse("reports:open_data_download", args=[fiscal_year(today), "complaints", "json"]),
        ),
        ("community report", "staff_user", reverse("reports:community", args=[1])),
        ("community report, leader", "leader_user", reverse("reports:community", args=[1])),
        ("community report PDF", "leader_user", reverse("reports:community_pdf", args=[1])),
        ("community report, officer", "officer_user", reverse("reports:community", args=[1])),
        (
            "community report PDF, officer",
            "officer_user",
            reverse("reports:community_pdf", args=[1]),
        ),
        ("department report", "officer_user", reverse("reports:department", args=["ENG"])),
        ("worklist", "officer_user", reverse("issues:worklist")),
        ("board", "kpt_user", reverse("issues:board")),
        ("issue list", "staff_user", reverse("issues:list")),
        ("issue list, officer", "officer_user", reverse("issues:list")),
        ("issue list, leader", "leader_user", reverse("issues:list")),
        ("home, admin", "admin_user", reverse("home")),
        ("home, secretariat", "staff_user", reverse("home")),
        ("home, officer", "officer_user", reverse("home")),
        ("home, follow-up team", "kpt_user", reverse("home")),
        ("home, leader", "leader_user", reverse("home")),
    ]


def count_queries(client, request, year) -> dict[str, int]:
    counts = {}
    for what, fixture, url in pages(year):
        client.force_login(request.getfixturevalue(fixture))
        client.get(url)  # the first request of a user fills caches the next ones reuse
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200, what
            body = response.content
        assert body, what
        counts[what] = len(queries)
    return counts


def test_every_page_asks_as_many_queries_at_ten_times_the_data(
    client, request, year, staff_user, admin_user, officer_user, kpt_user, leader_user
):
    grow(year, SMALL, staff_user=staff_user, admin_user=admin_user)
    small = count_queries(client, request, year)
    grow(year, LARGE - SMALL, staff_user=staff_user, admin_user=admin_user)
    large = count_queries(client, request, year)
    assert Issue.objects.count() == LARGE * ISSUES_PER_UNIT
    assert Meeting.objects.count() == 2 + LARGE
    grew = {what: (small[what], large[what]) for what in small if small[what] != large[what]}
    assert grew == {}, "page -> (queries at the small size, at ten times the data)"
