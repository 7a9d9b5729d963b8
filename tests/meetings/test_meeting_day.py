"""A new meeting starts from the previous one's details, and a meeting may be marked
held from the start of its day by the municipality's clock (Asia/Bangkok)."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
MEETING_DAY = datetime.date(2026, 3, 4)


@pytest.fixture
def mayor(reference_data):
    return ParticipantFactory(name="นายนพพร วุฒิกุล", role="executive", community=None)


@pytest.fixture
def last_month(staff_user, mayor):
    services.meeting_create(actor=staff_user, date=datetime.date(2026, 1, 7), venue="ห้องเก่า")
    return services.meeting_create(
        actor=staff_user,
        date=datetime.date(2026, 2, 4),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(12, 0),
        venue="ห้องประชุมเทศบาลนครหัวหิน ชั้น 3",
        chair=mayor,
        minute_taker="นางสาวจิราพร ใจงาม",
        minute_taker_position="นักจัดการงานทั่วไป",
        minute_checker="นายสมศักดิ์ ตรวจดี",
        minute_checker_position="หัวหน้าฝ่ายบริหารงานทั่วไป",
    )


def test_a_new_meeting_starts_from_the_latest_meetings_details(
    client, staff_user, last_month, mayor
):
    client.force_login(staff_user)
    response = client.get(reverse("meetings:create"))
    form = response.context["form"]
    assert {name: form[name].value() for name in ("venue", "start_time", "end_time")} == {
        "venue": "ห้องประชุมเทศบาลนครหัวหิน ชั้น 3",
        "start_time": datetime.time(9, 30),
        "end_time": datetime.time(12, 0),
    }
    html = response.content.decode()
    assert f'<option value="{mayor.pk}" selected>' in html
    assert 'value="นางสาวจิราพร ใจงาม"' in html
    assert 'value="หัวหน้าฝ่ายบริหารงานทั่วไป"' in html
    assert 'value="09:30"' in html
    assert "ตั้งไว้ตามการประชุมครั้งล่าสุด" in html
    # The date is the one thing to choose afresh.
    assert form["date"].value() is None


def test_what_staff_change_is_what_is_saved(client, staff_user, last_month, mayor):
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:create"),
        {
            "date": "2026-03-04",
            "start_time": "13:30",
            "end_time": "16:00",
            "venue": "ห้องประชุมชั้น 2",
            "chair": mayor.pk,
            "minute_taker": "นางสาวจิราพร ใจงาม",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(date=MEETING_DAY)
    assert (meeting.venue, meeting.start_time, meeting.chair) == (
        "ห้องประชุมชั้น 2",
        datetime.time(13, 30),
        mayor,
    )


def test_the_first_meeting_starts_empty(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("meetings:create"))
    assert response.context["form"]["venue"].value() is None
    assert "ตั้งไว้ตามการประชุมครั้งล่าสุด" not in response.content.decode()


@pytest.mark.parametrize("fixture", ["officer_user", "kpt_user", "leader_user"])
def test_only_the_secretariat_opens_the_new_meeting_form(client, request, fixture, last_month):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("meetings:create")).status_code == 403


def _clock(monkeypatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))


def test_held_from_midnight_of_its_day_in_bangkok(
    client, staff_user, make_meeting, monkeypatch, settings
):
    meeting = make_meeting(MEETING_DAY)
    # 00:30 in Bangkok on the meeting's day: still the day before in UTC.
    _clock(monkeypatch, datetime.datetime(2026, 3, 4, 0, 30, tzinfo=BANGKOK))
    assert timezone.now().date() == datetime.date(2026, 3, 3)
    client.force_login(staff_user)
    client.post(reverse("meetings:status", args=[meeting.pk]), {"status": "held"})
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_before_its_day_the_refusal_gives_the_date_and_the_clock(
    client, staff_user, make_meeting, monkeypatch
):
    meeting = make_meeting(MEETING_DAY)
    _clock(monkeypatch, datetime.datetime(2026, 3, 3, 23, 50, tzinfo=BANGKOK))
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:status", args=[meeting.pk]), {"status": "held"}, follow=True
    )
    html = response.content.decode()
    assert f"การประชุมครั้งที่ {meeting.number_label} กำหนดประชุมวันที่ 4 มีนาคม 2569" in html
    assert "Asia/Bangkok" in html
    assert "3 มีนาคม 2569 23.50 น." in html
    meeting.refresh_from_db()
    assert meeting.status == "draft"


@pytest.mark.parametrize("fixture", ["officer_user", "kpt_user", "leader_user"])
def test_other_roles_cannot_mark_a_meeting_held(client, request, fixture, make_meeting):
    meeting = make_meeting(MEETING_DAY)
    client.force_login(request.getfixturevalue(fixture))
    response = client.post(reverse("meetings:status", args=[meeting.pk]), {"status": "held"})
    assert response.status_code in (403, 404)
    meeting.refresh_from_db()
    assert meeting.status == "draft"
