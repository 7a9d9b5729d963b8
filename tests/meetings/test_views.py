import datetime
import re

import pytest
from django.urls import reverse

from communities.models import Department
from meetings import services
from meetings.models import Attendance, Meeting, MeetingChange, MeetingPhoto
from tests.factories import ParticipantFactory

from .conftest import PAST_DAY, image_upload

pytestmark = pytest.mark.django_db

ALL_ROLES = ["admin_user", "staff_user", "officer_user", "kpt_user", "leader_user"]
SECRETARIAT = {"admin_user", "staff_user"}


@pytest.fixture
def draft(make_meeting):
    return make_meeting(PAST_DAY)


@pytest.fixture
def published(make_meeting):
    return make_meeting(datetime.date(2026, 1, 7), status="published")


def _login(client, request, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    return user


# Who may open what ---------------------------------------------------------------


@pytest.mark.parametrize("fixture", ALL_ROLES)
def test_meeting_list_shows_drafts_only_to_the_secretariat(
    client, request, fixture, draft, published
):
    _login(client, request, fixture)
    response = client.get(reverse("meetings:list"), {"year": 2569})
    meetings = set(response.context["meetings"])
    assert published in meetings
    assert (draft in meetings) is (fixture in SECRETARIAT)


@pytest.mark.parametrize("fixture", ALL_ROLES)
def test_published_meeting_is_readable_by_every_role(client, request, fixture, published):
    _login(client, request, fixture)
    response = client.get(reverse("meetings:detail", args=[published.pk]))
    assert response.status_code == 200
    assert "ครั้งที่ 1/2569" in response.content.decode()


@pytest.mark.parametrize("fixture", ALL_ROLES)
def test_draft_meeting_does_not_exist_outside_the_secretariat(client, request, fixture, draft):
    _login(client, request, fixture)
    expected = 200 if fixture in SECRETARIAT else 404
    for name in ("detail", "photos"):
        assert client.get(reverse(f"meetings:{name}", args=[draft.pk])).status_code == expected


@pytest.mark.parametrize("fixture", ALL_ROLES)
@pytest.mark.parametrize("name", ["edit", "attendance", "minutes", "check_in_code"])
def test_only_the_secretariat_opens_the_editing_pages(client, request, fixture, name, draft):
    _login(client, request, fixture)
    response = client.get(reverse(f"meetings:{name}", args=[draft.pk]))
    assert response.status_code == (200 if fixture in SECRETARIAT else 404)


@pytest.mark.parametrize("fixture", ["officer_user", "kpt_user", "leader_user"])
def test_other_roles_cannot_post_to_any_write_path(client, request, fixture, published, draft):
    _login(client, request, fixture)
    posts = {
        "create": ({}, {"date": "2026-05-06", "venue": "ห้อง"}),
        "edit": ({"pk": published.pk}, {"date": "2026-01-07", "venue": "แก้"}),
        "status": ({"pk": published.pk}, {"status": "held"}),
        "minutes": ({"pk": published.pk}, {}),
        "attendance": ({"pk": published.pk}, {}),
        "attendance_guest": ({"pk": published.pk}, {"name": "แขก"}),
        "photos": ({"pk": published.pk}, {"caption": "x"}),
        "check_in_code": ({"pk": published.pk}, {}),
    }
    for name, (kwargs, data) in posts.items():
        response = client.post(reverse(f"meetings:{name}", kwargs=kwargs), data)
        assert response.status_code == 403, name
    assert Meeting.objects.count() == 3  # draft, published and the meeting that approved it
    assert Attendance.objects.count() == 0
    published.refresh_from_db()
    assert published.venue != "แก้"


def test_anonymous_users_go_to_login(client, published):
    response = client.get(reverse("meetings:detail", args=[published.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_published_minutes_are_locked_for_staff_but_not_for_admins(
    client, staff_user, admin_user, published
):
    url = reverse("meetings:edit", args=[published.pk])
    data = {"date": "2026-01-07", "venue": "หอประชุมใหม่", "start_time": "09:30"}
    client.force_login(staff_user)
    assert client.post(url, data).status_code == 403
    published.refresh_from_db()
    assert published.venue != "หอประชุมใหม่"

    client.force_login(admin_user)
    assert client.post(url, data).status_code == 302
    published.refresh_from_db()
    assert published.venue == "หอประชุมใหม่"
    change = MeetingChange.objects.get(meeting=published)
    assert change.changed_by == admin_user
    page = client.get(reverse("meetings:detail", args=[published.pk])).content.decode()
    assert "การแก้ไขหลังเผยแพร่" in page


# Creating and editing ------------------------------------------------------------


def test_staff_create_a_meeting_and_get_its_number(client, staff_user, make_meeting):
    make_meeting(datetime.date(2026, 1, 7))
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:create"),
        {"date": "2026-02-04", "start_time": "09:30", "end_time": "12:00", "venue": "ห้องประชุม"},
    )
    meeting = Meeting.objects.get(date=datetime.date(2026, 2, 4))
    assert response.status_code == 302
    assert meeting.number_label == "2/2569"
    page = client.get(response.url).content.decode()
    assert "ครั้งที่ 2/2569" in page
    assert "4 กุมภาพันธ์ 2569" in page
    assert "09.30 น." in page


def test_a_meeting_dated_before_approved_minutes_is_refused_on_the_form(
    client, staff_user, make_meeting
):
    make_meeting(datetime.date(2026, 3, 4), status=Meeting.Status.APPROVED)
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:create"),
        {"date": "2026-02-04", "start_time": "09:30", "venue": "ห้องประชุมชั้น 2"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "การประชุมครั้งที่ 1/2569 วันที่ 4 มีนาคม 2569 รับรองรายงานการประชุมแล้ว" in page
    assert "ห้องประชุมชั้น 2" in page
    assert not Meeting.objects.filter(date=datetime.date(2026, 2, 4)).exists()


def test_end_time_before_start_gives_a_thai_message_and_creates_nothing(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:create"),
        {"date": "2026-05-06", "start_time": "13:00", "end_time": "09:00", "venue": "ห้อง"},
    )
    assert response.status_code == 200
    assert "เวลาเลิกประชุมต้องอยู่หลังเวลาเริ่มประชุม" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_closed_year_gives_a_thai_message_and_creates_nothing(client, staff_user):
    from meetings.models import FiscalYear

    FiscalYear.objects.create(year=2569, is_closed=True)
    client.force_login(staff_user)
    response = client.post(reverse("meetings:create"), {"date": "2026-05-06", "venue": "ห้อง"})
    assert "ปีงบประมาณ 2569 ปิดแล้ว" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_status_buttons_move_the_meeting_along(client, staff_user, make_meeting):
    meeting = make_meeting(PAST_DAY)
    later = make_meeting(datetime.date(2026, 4, 1))
    client.force_login(staff_user)
    url = reverse("meetings:status", args=[meeting.pk])
    client.post(url, {"status": "held"})
    client.post(url, {"status": "approved", "approved_at": later.pk})
    client.post(url, {"status": "published"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes_approved_at) == ("published", later)


def test_a_refused_status_change_shows_why(client, staff_user, draft):
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:status", args=[draft.pk]), {"status": "published"}, follow=True
    )
    assert "เปลี่ยนเป็น" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_minutes_are_written_under_the_agenda_items(client, staff_user, draft):
    client.force_login(staff_user)
    item = draft.agenda_items.get(order=4)
    url = reverse("meetings:minutes", args=[draft.pk])
    client.post(
        reverse("meetings:sub_item_add", args=[draft.pk]),
        {"parent": item.pk, "title": "ไฟส่องสว่างซอยหัวหิน 5"},
    )
    sub = item.sub_items.get()
    response = client.post(
        url,
        {
            f"discussion-{item.pk}": "ชุมชนแจ้งปัญหา",
            f"resolution-{item.pk}": "มอบสำนักการช่าง",
            f"discussion-{sub.pk}": "ไฟดับสามจุด",
            f"resolution-{sub.pk}": "ซ่อมภายในสัปดาห์",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("meetings:detail", args=[draft.pk])).content.decode()
    assert "4.1 ไฟส่องสว่างซอยหัวหิน 5" in page
    assert "ซ่อมภายในสัปดาห์" in page


# The roll ------------------------------------------------------------------------


def _roll_post(participants, status="present"):
    data = {f"status-{person.pk}": status for person in participants}
    data.update({f"note-{person.pk}": "" for person in participants})
    return data


def test_roll_of_100_people_is_one_request_and_a_fixed_number_of_queries(
    client, staff_user, draft, hundred_participants, django_assert_max_num_queries
):
    client.force_login(staff_user)
    url = reverse("meetings:attendance", args=[draft.pk])
    data = _roll_post(hundred_participants)
    data[f"status-{hundred_participants[0].pk}"] = "absent"
    data[f"note-{hundred_participants[0].pk}"] = "ติดภารกิจ"

    with django_assert_max_num_queries(20):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=draft).count() == 100

    client.post(url, data)  # saving again changes nothing
    assert Attendance.objects.filter(meeting=draft).count() == 100

    with django_assert_max_num_queries(15):
        page = client.get(url)
    html = page.content.decode()
    assert "42</strong>/42" in html
    assert "99</strong>" in html
    assert 'value="ติดภารกิจ"' in html


def test_roll_with_an_unknown_person_is_refused_in_thai(
    client, staff_user, draft, hundred_participants
):
    client.force_login(staff_user)
    data = _roll_post(hundred_participants[:3])
    data["status-424242"] = "present"
    response = client.post(reverse("meetings:attendance", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "ไม่ได้ลงทะเบียนเป็นผู้เข้าประชุม (424242)" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_roll_with_a_malformed_field_is_refused(client, staff_user, draft):
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:attendance", args=[draft.pk]), {"status-abc": "present"}
    )
    assert response.status_code == 400
    assert Attendance.objects.count() == 0


def test_walk_in_guest_from_the_roll_page(client, staff_user, draft):
    client.force_login(staff_user)
    client.post(
        reverse("meetings:attendance_guest", args=[draft.pk]),
        {"name": "นายแขก รับเชิญ", "position": "การไฟฟ้าส่วนภูมิภาค"},
    )
    page = client.get(reverse("meetings:attendance", args=[draft.pk])).content.decode()
    assert "นายแขก รับเชิญ" in page
    assert Attendance.objects.get().status == "present"


def test_meeting_list_and_detail_keep_a_fixed_number_of_queries(
    client, staff_user, make_meeting, hundred_participants, django_assert_max_num_queries
):
    for month in (1, 2, 3):
        meeting = make_meeting(datetime.date(2026, month, 4))
        services.attendance_record(
            meeting=meeting,
            actor=staff_user,
            entries=[services.RollEntry(p.pk, "present") for p in hundred_participants],
        )
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:list"), {"year": 2569})
    assert "42/42" in response.content.decode()
    # The detail page also lists the issues raised and carried forward.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.context["people"].communities_attended == 42


def test_community_page_shows_its_attendance_history(client, leader_user, make_meeting):
    chair = ParticipantFactory(role="chair")
    attended = make_meeting(datetime.date(2026, 1, 7), status="published")
    missed = make_meeting(datetime.date(2026, 2, 4), status="published")
    Attendance.objects.create(meeting=attended, participant=chair, status="present")
    client.force_login(leader_user)
    response = client.get(reverse("reports:community_detail", args=[1]), {"year": 2569})
    rows = {row.meeting: row.attended for row in response.context["history"]}
    assert rows[attended] is True
    assert rows[missed] is False
    assert "เข้าประชุม 1 จาก" in response.content.decode()


# Photos --------------------------------------------------------------------------


def test_staff_upload_several_photos_at_once(client, staff_user, draft):
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:photos", args=[draft.pk]),
        {
            "images": [image_upload("a.jpg"), image_upload("b.png", image_format="PNG")],
            "caption": "ภาพหมู่",
        },
    )
    assert response.status_code == 302
    assert MeetingPhoto.objects.filter(meeting=draft).count() == 2
    photo = MeetingPhoto.objects.first()
    thumb = client.get(reverse("meetings:photo_file", args=[draft.pk, photo.pk, "thumb"]))
    assert thumb.status_code == 200
    assert thumb["Content-Type"] == "image/jpeg"


def test_a_non_image_upload_gets_a_thai_message(client, staff_user, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_user)
    fake = SimpleUploadedFile("minutes.jpg", b"%PDF-1.7 not an image", content_type="image/jpeg")
    response = client.post(reverse("meetings:photos", args=[draft.pk]), {"images": [fake]})
    assert response.status_code == 400
    assert "minutes.jpg ไม่ใช่รูปภาพ" in response.content.decode()
    assert MeetingPhoto.objects.count() == 0


def test_an_oversized_upload_gets_a_thai_message(client, staff_user, draft, settings):
    settings.PHOTO_MAX_BYTES = 500
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:photos", args=[draft.pk]),
        {"images": [image_upload(size=(400, 400), image_format="PNG")]},
    )
    assert response.status_code == 400
    assert "ขนาดใหญ่เกินไป" in response.content.decode()
    assert MeetingPhoto.objects.count() == 0


def test_photos_of_a_draft_are_not_served_to_leaders(client, staff_user, leader_user, draft):
    photo = services.photos_add(meeting=draft, actor=staff_user, files=[image_upload()])[0]
    client.force_login(leader_user)
    url = reverse("meetings:photo_file", args=[draft.pk, photo.pk, "image"])
    assert client.get(url).status_code == 404


# Check-in ------------------------------------------------------------------------


def test_qr_code_page_shows_an_svg_for_staff(client, staff_user, make_meeting, today):
    meeting = make_meeting(today)
    client.force_login(staff_user)
    response = client.get(reverse("meetings:check_in_code", args=[meeting.pk]))
    html = response.content.decode()
    assert "<svg" in html
    assert meeting.check_in_token in html


def test_leader_scans_and_checks_in_only_themself(client, leader_user, make_meeting, today):
    me = ParticipantFactory(user=leader_user, role="chair", name="นายผู้นำ ชุมชนหนึ่ง")
    other = ParticipantFactory(role="chair")
    meeting = make_meeting(today)
    url = reverse("meetings:check_in", args=[meeting.pk, meeting.check_in_token])
    client.force_login(leader_user)

    assert "นายผู้นำ ชุมชนหนึ่ง" in client.get(url).content.decode()
    response = client.post(url, {"participant": other.pk})

    assert response.status_code == 200
    assert list(Attendance.objects.values_list("participant", flat=True)) == [me.pk]


def test_a_wrong_code_checks_nobody_in(client, leader_user, make_meeting, today):
    ParticipantFactory(user=leader_user, role="chair")
    meeting = make_meeting(today)
    client.force_login(leader_user)
    response = client.post(reverse("meetings:check_in", args=[meeting.pk, "guessed-code"]))
    assert "รหัสลงชื่อนี้ใช้กับการประชุมครั้งนี้ไม่ได้" in response.content.decode()
    assert Attendance.objects.count() == 0


# Captions: a caption too long is refused whole, never cut ------------------------

LONG_CAPTION = "ผู้นำชุมชนร่วมประชุมประจำเดือน " * 11  # 341 characters


def test_a_too_long_caption_is_refused_and_shown_as_typed(client, staff_user, draft):
    photo = services.photos_add(
        meeting=draft, actor=staff_user, files=[image_upload()], caption="ภาพหมู่"
    )[0]
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:photo_captions", args=[draft.pk]), {f"caption-{photo.pk}": LONG_CAPTION}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "คำบรรยายภาพยาวได้ไม่เกิน 300 ตัวอักษร" in page
    assert LONG_CAPTION.strip() in page
    photo.refresh_from_db()
    assert photo.caption == "ภาพหมู่"


def test_a_caption_of_exactly_the_limit_is_kept_whole(client, staff_user, draft):
    photo = services.photos_add(meeting=draft, actor=staff_user, files=[image_upload()])[0]
    client.force_login(staff_user)
    caption = "ก" * 300
    response = client.post(
        reverse("meetings:photo_captions", args=[draft.pk]), {f"caption-{photo.pk}": caption}
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == caption


def test_the_meeting_list_counts_people_present_as_the_minutes_do(client, staff_user, make_meeting):
    """ผู้มาประชุม on the list is the minutes' list of members present; department
    staff and guests are counted apart, as ผู้เข้าร่วมประชุม."""
    meeting = make_meeting(PAST_DAY)
    members = [ParticipantFactory(role="chair") for _ in range(3)]
    engineering = Department.objects.get(code="ENG")
    others = [
        ParticipantFactory(role="department", community=None, department=engineering)
        for _ in range(2)
    ]
    absent = ParticipantFactory(role="committee")
    services.attendance_record(
        meeting=meeting,
        actor=staff_user,
        entries=[services.RollEntry(p.pk, "present") for p in members + others]
        + [services.RollEntry(absent.pk, "absent")],
    )
    client.force_login(staff_user)
    listed = client.get(reverse("meetings:list"), {"year": meeting.fiscal_year}).context["meetings"]
    row = next(m for m in listed if m.pk == meeting.pk)
    people = client.get(reverse("meetings:detail", args=[meeting.pk])).context["people"]
    assert row.attended_count == len(people.present) == 3
    assert row.attending_count == len(people.attending) == 2


def test_the_new_meeting_form_suggests_a_start_and_an_end_time(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("meetings:create")).content.decode()
    start = re.search(r'<input[^>]*name="start_time"[^>]*>', page).group()
    end = re.search(r'<input[^>]*name="end_time"[^>]*>', page).group()
    assert 'placeholder="09:30"' in start and 'placeholder="12:00"' in end
