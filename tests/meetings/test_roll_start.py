"""The roll in a minute: everyone present or the previous meeting's roll in one
action, folded by community, and a walk-in guest added without losing the choices
made on the page. Saving keeps the per-person merge: nobody else's save since the
page opened, nor a self check-in, is overwritten."""

import datetime

import pytest
from django.urls import reverse

from communities.models import Participant
from meetings import services
from meetings.models import Attendance
from tests.factories import ParticipantFactory

from .conftest import PAST_DAY
from .test_stale_copies import roll_form, roll_post, row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(PAST_DAY)


def _checked(html: str, person, status: str) -> bool:
    return f'name="status-{person.pk}" value="{status}" checked' in html


def _roll_url(meeting, start=""):
    url = reverse("meetings:attendance", args=[meeting.pk])
    return f"{url}?start={start}" if start else url


def test_everyone_present_fills_in_the_unrecorded_and_saves_nothing(
    client, staff_user, meeting, hundred_participants
):
    absent, *others = hundred_participants[:3]
    services.attendance_record(
        meeting=meeting, actor=staff_user, entries=[services.RollEntry(absent.pk, "absent")]
    )
    client.force_login(staff_user)
    html = client.get(_roll_url(meeting, "present")).content.decode()
    assert all(_checked(html, person, "present") for person in others)
    assert _checked(html, absent, "absent")  # recorded: kept as recorded
    assert '<strong data-count="present">99</strong>' in html
    assert '<strong data-count="absent">1</strong>' in html
    assert "ยังไม่บันทึกจนกว่าจะกด" in html
    assert Attendance.objects.count() == 1


def test_the_page_opens_folded_by_community_with_counts(
    client, staff_user, meeting, hundred_participants
):
    client.force_login(staff_user)
    html = client.get(_roll_url(meeting)).content.decode()
    assert html.count('<details class="roll-group card"') == 42 + 1
    assert '<details class="roll-group card" data-group="community-1">' in html
    assert "ผู้บริหาร สมาชิกสภา และส่วนราชการ" in html
    assert '<strong data-count="present">0</strong>' in html
    assert "ทุกคนมาประชุม" in html
    # No meeting before: nothing to start from.
    assert "เริ่มจากการประชุมครั้งก่อน" not in html


def test_start_from_the_previous_meeting(client, staff_user, make_meeting, reference_data):
    late = ParticipantFactory(name="นายมาช้า เสมอ", role="executive", community=None)
    sent = ParticipantFactory(name="นางส่งแทน ประจำ", role="executive", community=None)
    away = ParticipantFactory(name="นายไม่มา บ่อย", role="executive", community=None)
    new = ParticipantFactory(name="นายใหม่ เพิ่งมา", role="executive", community=None)
    before = make_meeting(datetime.date(2026, 2, 4))
    services.attendance_record(
        meeting=before,
        actor=staff_user,
        entries=[
            services.RollEntry(late.pk, "late"),
            services.RollEntry(sent.pk, "represented", "นายแทน ให้"),
            services.RollEntry(away.pk, "absent", "ติดธุระ"),
        ],
    )
    meeting = make_meeting(PAST_DAY)
    client.force_login(staff_user)
    assert f"ครั้งที่ {before.number_label}" in client.get(_roll_url(meeting)).content.decode()
    html = client.get(_roll_url(meeting, "previous")).content.decode()
    assert _checked(html, late, "late")
    assert _checked(html, sent, "represented")
    assert 'value="นายแทน ให้"' in html
    assert _checked(html, away, "absent")
    assert "ติดธุระ" not in html  # last month's reason is not this month's
    assert _checked(html, new, "absent")
    assert Attendance.objects.filter(meeting=meeting).count() == 0


def test_everyone_present_saved_late_keeps_others_saves_and_a_self_check_in(
    client, staff_user, leader_user, make_meeting, today, reference_data
):
    meeting = make_meeting(today)
    one = ParticipantFactory(name="นายหนึ่ง ใจดี", role="executive", community=None)
    two = ParticipantFactory(name="นางสองศรี มีสุข", role="executive", community=None)
    leader = ParticipantFactory(user=leader_user, role="chair", name="นายผู้นำ ชุมชนหนึ่ง")
    client.force_login(staff_user)
    page = roll_form(client, meeting)  # opened before the others' saves

    services.attendance_record(
        meeting=meeting, actor=staff_user, entries=[services.RollEntry(one.pk, "absent", "ป่วย")]
    )
    services.check_in(meeting=meeting, user=leader_user, token=meeting.check_in_token)
    # "Everyone present", then saved.
    for key in [key for key in page if key.startswith("status-")]:
        page[key] = "present"
    html = roll_post(client, meeting, page).content.decode()

    assert (row_of(meeting, one).status, row_of(meeting, one).absence_reason) == ("absent", "ป่วย")
    assert "ไม่ได้แก้ไขรายการของ นายหนึ่ง ใจดี" in html
    assert row_of(meeting, two).status == "present"
    checked_in = row_of(meeting, leader)
    assert (checked_in.status, checked_in.version) == ("present", 1)
    assert checked_in.self_checked_in_at is not None


def test_a_guest_added_on_the_roll_page_saves_the_choices_made_first(
    client, staff_user, meeting, reference_data
):
    one = ParticipantFactory(name="นายหนึ่ง ใจดี", role="executive", community=None)
    two = ParticipantFactory(name="นางสองศรี มีสุข", role="executive", community=None)
    client.force_login(staff_user)
    page = roll_form(client, meeting)
    page[f"status-{one.pk}"] = "present"
    page[f"status-{two.pk}"], page[f"note-{two.pk}"] = "represented", "นายแทน ให้"
    page.update({"guest-name": "นายแขก รับเชิญ", "guest-position": "การไฟฟ้า", "add_guest": "1"})
    response = client.post(_roll_url(meeting), page)
    assert response.status_code == 302
    assert row_of(meeting, one).status == "present"
    assert (row_of(meeting, two).status, row_of(meeting, two).substitute_name) == (
        "represented",
        "นายแทน ให้",
    )
    guest = Participant.objects.get(name="นายแขก รับเชิญ")
    assert row_of(meeting, guest).status == "present"


def test_a_guest_typed_and_enter_pressed_is_added_not_dropped(
    client, staff_user, meeting, reference_data
):
    """Enter in the guest's name sends the form with its first button, "Save"."""
    ParticipantFactory(name="นายหนึ่ง ใจดี", role="executive", community=None)
    client.force_login(staff_user)
    page = roll_form(client, meeting)
    page["guest-name"] = "นางแขก มาเอง"
    assert client.post(_roll_url(meeting), page).status_code == 302
    assert Participant.objects.filter(name="นางแขก มาเอง").exists()


def test_a_refused_guest_keeps_the_choices_and_saves_nothing(
    client, staff_user, meeting, reference_data
):
    one = ParticipantFactory(name="นายหนึ่ง ใจดี", role="executive", community=None)
    client.force_login(staff_user)
    page = roll_form(client, meeting)
    page[f"status-{one.pk}"] = "late"
    page.update({"guest-name": "ก" * 201, "add_guest": "1"})
    response = client.post(_roll_url(meeting), page)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ชื่อยาวเกินไป" in html
    assert _checked(html, one, "late")
    assert f'value="{"ก" * 201}"' in html
    assert Attendance.objects.count() == 0


def test_an_empty_guest_name_with_add_guest_is_refused_in_thai(
    client, staff_user, meeting, reference_data
):
    one = ParticipantFactory(name="นายหนึ่ง ใจดี", role="executive", community=None)
    client.force_login(staff_user)
    page = roll_form(client, meeting)
    page[f"status-{one.pk}"] = "late"
    page["add_guest"] = "1"
    response = client.post(_roll_url(meeting), page)
    assert response.status_code == 400
    assert "โปรดระบุชื่อผู้เข้าร่วมประชุม" in response.content.decode()
    assert _checked(response.content.decode(), one, "late")
    assert Attendance.objects.count() == 0


ROLES = ["admin_user", "staff_user", "officer_user", "kpt_user", "leader_user"]


@pytest.mark.parametrize("fixture", ROLES)
def test_only_the_secretariat_starts_the_roll_or_adds_a_guest_with_it(
    client, request, fixture, meeting, reference_data
):
    client.force_login(request.getfixturevalue(fixture))
    allowed = fixture in ("admin_user", "staff_user")
    response = client.get(_roll_url(meeting, "present"))
    assert response.status_code == 200 if allowed else response.status_code in (403, 404)
    post = client.post(_roll_url(meeting), {"guest-name": "นายแขก", "add_guest": "1"})
    assert post.status_code == 302 if allowed else post.status_code in (403, 404)
    assert Participant.objects.filter(name="นายแขก").exists() == allowed


def test_the_roll_page_asks_as_many_queries_for_113_people_with_a_previous_roll(
    client, staff_user, make_meeting, hundred_participants, django_assert_max_num_queries
):
    before = make_meeting(datetime.date(2026, 2, 4))
    services.attendance_record(
        meeting=before,
        actor=staff_user,
        entries=[services.RollEntry(p.pk, "present") for p in hundred_participants],
    )
    meeting = make_meeting(PAST_DAY)
    client.force_login(staff_user)
    client.get(_roll_url(meeting))
    with django_assert_max_num_queries(12):
        response = client.get(_roll_url(meeting, "previous"))
    assert response.status_code == 200
    assert '<strong data-count="present">100</strong>' in response.content.decode()


def test_the_roll_splits_who_came_as_the_meeting_page_does(
    client, staff_user, meeting, hundred_participants
):
    """Members present and others attending, the meeting page's two figures, add up
    to the roll's total: the roll no longer says มาประชุม of a number the meeting page
    says otherwise."""
    guest = ParticipantFactory(name="นายแขก รับเชิญ", role="guest", community=None)
    member, absentee = hundred_participants[:2]
    services.attendance_record(
        meeting=meeting,
        actor=staff_user,
        entries=[
            services.RollEntry(member.pk, "present"),
            services.RollEntry(absentee.pk, "absent"),
            services.RollEntry(guest.pk, "present"),
        ],
    )
    client.force_login(staff_user)
    roll = client.get(_roll_url(meeting)).content.decode()
    assert '<strong data-count="present">2</strong> มาประชุมทั้งหมด' in roll
    assert 'ผู้มาประชุม <strong data-count="members">1</strong>' in roll
    assert 'ผู้เข้าร่วมประชุม <strong data-count="others">1</strong>' in roll
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert '<div class="stat">1</div>ผู้มาประชุม' in page
    assert '<div class="stat">1</div>ผู้เข้าร่วมประชุม' in page
