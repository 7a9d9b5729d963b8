"""Two people working on one meeting at once: a save made from a page opened
before someone else's save must not silently revert it."""

import re

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Attendance
from tests.factories import ParticipantFactory

from .conftest import PAST_DAY, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(PAST_DAY)


@pytest.fixture
def people(reference_data):
    return [
        ParticipantFactory(name="นายหนึ่ง ใจดี", role="executive", community=None),
        ParticipantFactory(name="นางสองศรี มีสุข", role="executive", community=None),
        ParticipantFactory(name="นายสาม สามารถ", role="executive", community=None),
    ]


def roll_form(client, meeting) -> dict:
    """What the roll page posts when saved as it was opened: each row's checked
    status, its note and the hidden fields it carries."""
    response = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    assert response.status_code == 200
    data = {}
    for group in response.context["groups"]:
        for row in group.rows:
            pk = row.participant.pk
            data[f"status-{pk}"] = row.shown_status or "absent"
            data[f"note-{pk}"] = row.shown_note
            data[f"version-{pk}"] = str(row.seen_version)
            data[f"seen-status-{pk}"] = row.seen_status
            data[f"seen-note-{pk}"] = row.seen_note
    html = response.content.decode()
    for name, value in data.items():
        if name.startswith(("version-", "seen-")):
            assert f'name="{name}" value="{value}"' in html
    return data


def roll_post(client, meeting, data):
    return client.post(reverse("meetings:attendance", args=[meeting.pk]), data, follow=True)


def row_of(meeting, person) -> Attendance:
    return Attendance.objects.get(meeting=meeting, participant=person)


def _everyone_present(meeting, staff_user, people):
    services.attendance_record(
        meeting=meeting,
        actor=staff_user,
        entries=[services.RollEntry(person.pk, "present") for person in people],
    )


# The roll ------------------------------------------------------------------------


def test_a_second_roll_keeps_the_absence_the_first_recorded(client, staff_user, meeting, people):
    one, two, _three = people
    _everyone_present(meeting, staff_user, people)
    client.force_login(staff_user)
    page_a, page_b = roll_form(client, meeting), roll_form(client, meeting)

    page_a[f"status-{one.pk}"], page_a[f"note-{one.pk}"] = "absent", "ติดราชการต่างจังหวัด"
    roll_post(client, meeting, page_a)
    page_b[f"status-{two.pk}"] = "late"
    response = roll_post(client, meeting, page_b)

    assert response.status_code == 200
    assert (row_of(meeting, one).status, row_of(meeting, one).absence_reason) == (
        "absent",
        "ติดราชการต่างจังหวัด",
    )
    assert row_of(meeting, two).status == "late"
    assert "มีผู้อื่นบันทึก" not in response.content.decode()


def test_a_second_roll_that_changed_the_same_person_is_told_and_does_not_overwrite(
    client, staff_user, meeting, people
):
    one, two, _three = people
    _everyone_present(meeting, staff_user, people)
    client.force_login(staff_user)
    page_a, page_b = roll_form(client, meeting), roll_form(client, meeting)

    page_a[f"status-{one.pk}"], page_a[f"note-{one.pk}"] = "absent", "ป่วย"
    roll_post(client, meeting, page_a)
    page_b[f"status-{one.pk}"] = "late"
    page_b[f"status-{two.pk}"] = "late"
    html = roll_post(client, meeting, page_b).content.decode()

    assert (row_of(meeting, one).status, row_of(meeting, one).absence_reason) == ("absent", "ป่วย")
    assert row_of(meeting, two).status == "late"
    assert "ไม่ได้แก้ไขรายการของ นายหนึ่ง ใจดี เพราะมีผู้อื่นบันทึกเป็น “ไม่มาประชุม (ป่วย)”" in html
    assert "ท่านเลือก “มาสาย”" in html
    assert "นางสองศรี" not in html.split("ไม่ได้แก้ไขรายการของ")[1].split("</li>")[0]


def test_a_stale_roll_does_not_undo_a_self_check_in(
    client, staff_user, leader_user, make_meeting, today, people
):
    meeting = make_meeting(today)
    leader = ParticipantFactory(user=leader_user, role="chair", name="นายผู้นำ ชุมชนหนึ่ง")
    client.force_login(staff_user)
    untouched, changed = roll_form(client, meeting), roll_form(client, meeting)

    services.check_in(meeting=meeting, user=leader_user, token=meeting.check_in_token)
    # Saved as opened: the unrecorded leader is shown as absent by default.
    roll_post(client, meeting, untouched)
    assert row_of(meeting, leader).status == "present"
    assert row_of(meeting, leader).self_checked_in_at is not None
    assert row_of(meeting, people[0]).status == "absent"

    # Marked absent on a page opened before the check-in.
    changed[f"note-{leader.pk}"] = "ไม่เห็นมา"
    html = roll_post(client, meeting, changed).content.decode()
    attendance = row_of(meeting, leader)
    assert (attendance.status, attendance.absence_reason) == ("present", "")
    assert "ไม่ได้แก้ไขรายการของ นายผู้นำ ชุมชนหนึ่ง" in html
    assert "ลงชื่อเองผ่าน QR" in html


def test_a_roll_without_what_the_page_showed_does_not_undo_a_self_check_in(
    staff_user, leader_user, make_meeting, today
):
    meeting = make_meeting(today)
    leader = ParticipantFactory(user=leader_user, role="chair", name="นายผู้นำ ชุมชนหนึ่ง")
    services.check_in(meeting=meeting, user=leader_user, token=meeting.check_in_token)

    result = services.attendance_record(
        meeting=meeting, actor=staff_user, entries=[services.RollEntry(leader.pk, "absent")]
    )
    assert result.saved == 0
    assert [conflict.name for conflict in result.conflicts] == ["นายผู้นำ ชุมชนหนึ่ง"]
    assert row_of(meeting, leader).status == "present"


def test_a_too_long_note_is_refused_naming_the_person_and_keeping_the_input(
    client, staff_user, meeting, people
):
    one, two, _three = people
    client.force_login(staff_user)
    data = roll_form(client, meeting)
    long_reason = "ไปราชการ" * 30  # 240 characters
    data[f"note-{one.pk}"] = long_reason
    data[f"status-{two.pk}"] = "present"

    response = roll_post(client, meeting, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "หมายเหตุของ นายหนึ่ง ใจดี ยาวเกินไป (ไม่เกิน 200 ตัวอักษร" in html
    assert f'value="{long_reason}"' in html
    assert Attendance.objects.filter(meeting=meeting).count() == 0
    # The other change typed on the page is still shown, not the saved state.
    checked = f'name="status-{two.pk}" value="present" checked'
    assert checked in html


def test_a_note_on_a_present_person_is_refused_not_dropped(client, staff_user, meeting, people):
    one = people[0]
    client.force_login(staff_user)
    data = roll_form(client, meeting)
    data[f"status-{one.pk}"], data[f"note-{one.pk}"] = "late", "มาถึง 10.15 น."

    response = roll_post(client, meeting, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "หมายเหตุของ นายหนึ่ง ใจดี ใช้บันทึกชื่อผู้มาแทนหรือเหตุที่ไม่มาประชุมเท่านั้น" in html
    assert 'value="มาถึง 10.15 น."' in html
    assert Attendance.objects.filter(meeting=meeting).count() == 0


def test_a_damaged_roll_version_gets_a_clear_message(client, staff_user, meeting, people):
    client.force_login(staff_user)
    data = roll_form(client, meeting)
    data[f"version-{people[0].pk}"] = "abc"
    response = roll_post(client, meeting, data)
    assert response.status_code == 400
    assert "โปรดเปิดหน้าลงชื่อใหม่แล้วบันทึกอีกครั้ง" in response.content.decode()


# The minutes ---------------------------------------------------------------------


def minutes_form(client, meeting) -> dict:
    """What the minutes page posts when saved as it was opened."""
    response = client.get(reverse("meetings:minutes", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    data = {}
    for top in response.context["agenda"]:
        for item in (top, *top.sub_items.all()):
            data[f"discussion-{item.pk}"] = item.discussion
            data[f"resolution-{item.pk}"] = item.resolution
            seen = re.search(rf'name="seen-{item.pk}" value="([^"]*)"', html)
            if seen:
                data[f"seen-{item.pk}"] = seen.group(1)
    return data


def minutes_post(client, meeting, data):
    return client.post(reverse("meetings:minutes", args=[meeting.pk]), data)


def test_minutes_saved_from_two_pages_keep_both_items(client, staff_user, meeting):
    first, second = meeting.agenda_items.order_by("order")[:2]
    client.force_login(staff_user)
    page_a, page_b = minutes_form(client, meeting), minutes_form(client, meeting)

    page_a[f"discussion-{first.pk}"] = "ประธานแจ้งกำหนดการงานวันเด็ก"
    assert minutes_post(client, meeting, page_a).status_code == 302
    page_b[f"resolution-{second.pk}"] = "รับรองรายงานการประชุมโดยไม่มีการแก้ไข"
    assert minutes_post(client, meeting, page_b).status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.discussion == "ประธานแจ้งกำหนดการงานวันเด็ก"
    assert second.resolution == "รับรองรายงานการประชุมโดยไม่มีการแก้ไข"


def test_stale_minutes_of_the_same_item_are_refused_and_the_typed_text_kept(
    client, staff_user, meeting
):
    first, second = meeting.agenda_items.order_by("order")[:2]
    client.force_login(staff_user)
    page_a, page_b = minutes_form(client, meeting), minutes_form(client, meeting)

    page_a[f"discussion-{first.pk}"] = "ข้อความของคนแรก"
    minutes_post(client, meeting, page_a)
    page_b[f"discussion-{first.pk}"] = "ข้อความของคนที่สอง"
    page_b[f"discussion-{second.pk}"] = "ส่วนที่สองของคนที่สอง"
    response = minutes_post(client, meeting, page_b)

    html = response.content.decode()
    assert response.status_code == 400
    assert f"มีผู้อื่นบันทึกรายงานการประชุมของ “{first.title}”" in html
    assert ">ข้อความของคนที่สอง</textarea>" in html
    assert ">ส่วนที่สองของคนที่สอง</textarea>" in html
    assert "บันทึกโดยผู้อื่นระหว่างนี้" in html and "ข้อความของคนแรก" in html
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.discussion, second.discussion) == ("ข้อความของคนแรก", "")

    # Saving again after seeing both is a choice made knowingly, and it is kept.
    again = minutes_form(client, meeting)
    again.update(
        {key: value for key, value in page_b.items() if key.startswith("discussion-")},
        **{f"seen-{first.pk}": response.context["agenda"][0].seen},
    )
    assert minutes_post(client, meeting, again).status_code == 302
    first.refresh_from_db()
    assert first.discussion == "ข้อความของคนที่สอง"


def test_a_damaged_minutes_fingerprint_gets_a_clear_message(client, staff_user, meeting):
    item = meeting.agenda_items.order_by("order").first()
    client.force_login(staff_user)
    data = minutes_form(client, meeting)
    data[f"seen-{item.pk}"] = "' or 1=1"
    data[f"discussion-{item.pk}"] = "บันทึกที่พิมพ์ไว้"
    response = minutes_post(client, meeting, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ระบบอ่านรายงานการประชุมที่ส่งมาไม่ได้" in html
    assert ">บันทึกที่พิมพ์ไว้</textarea>" in html


# The meeting's details -----------------------------------------------------------


def edit_form(client, meeting) -> dict:
    response = client.get(reverse("meetings:edit", args=[meeting.pk]))
    assert response.status_code == 200
    data = {
        "date": meeting.date.isoformat(),
        "start_time": "09:30",
        "venue": meeting.venue,
        "minute_taker": meeting.minute_taker,
    }
    version = re.search(r'name="version" value="([^"]*)"', response.content.decode())
    if version:
        data["version"] = version.group(1)
    return data


def test_a_stale_meeting_edit_is_refused_and_the_typed_values_kept(client, staff_user, meeting):
    url = reverse("meetings:edit", args=[meeting.pk])
    client.force_login(staff_user)
    page_a, page_b = edit_form(client, meeting), edit_form(client, meeting)

    page_a["venue"] = "หอประชุมเทศบาล"
    assert client.post(url, page_a).status_code == 302
    page_b["minute_taker"] = "นางสาวจดบันทึก ละเอียด"
    response = client.post(url, page_b)

    html = response.content.decode()
    assert response.status_code == 400
    assert "มีผู้อื่นบันทึกรายละเอียดการประชุมนี้ระหว่างที่ท่านแก้ไข" in html
    assert 'value="นางสาวจดบันทึก ละเอียด"' in html
    assert "บันทึกไว้ขณะนี้: สถานที่ประชุม “หอประชุมเทศบาล”" in html
    meeting.refresh_from_db()
    assert (meeting.venue, meeting.minute_taker) == ("หอประชุมเทศบาล", "")


def test_a_damaged_meeting_version_gets_a_clear_message(client, staff_user, meeting):
    client.force_login(staff_user)
    data = edit_form(client, meeting)
    data["version"], data["venue"] = "๑๒", "ห้องใหม่"
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert "โปรดเปิดหน้าการประชุมใหม่แล้วแก้ไขอีกครั้ง" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.venue != "ห้องใหม่"


# Photo captions -----------------------------------------------------------------


def _captions_form(client, meeting) -> dict:
    """What the photos page posts when its captions are saved as they were opened."""
    response = client.get(reverse("meetings:photos", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    data = {}
    for photo in response.context["photos"]:
        assert f'name="seen-caption-{photo.pk}" value="{photo.seen_caption}"' in html
        data[f"caption-{photo.pk}"] = photo.caption
        data[f"seen-caption-{photo.pk}"] = photo.seen_caption
    return data


@pytest.fixture
def two_photos(meeting, staff_user):
    return services.photos_add(
        meeting=meeting, actor=staff_user, files=[image_upload(), image_upload()], caption="ภาพ"
    )


def test_a_stale_captions_page_keeps_the_caption_someone_else_saved(
    client, staff_user, meeting, two_photos
):
    first, second = two_photos
    client.force_login(staff_user)
    page_a, page_b = _captions_form(client, meeting), _captions_form(client, meeting)
    page_a[f"caption-{first.pk}"] = "ประธานเปิดการประชุม"
    client.post(reverse("meetings:photo_captions", args=[meeting.pk]), page_a)
    page_b[f"caption-{second.pk}"] = "ผู้นำชุมชนลงชื่อ"
    response = client.post(reverse("meetings:photo_captions", args=[meeting.pk]), page_b)

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.caption == "ประธานเปิดการประชุม"
    assert second.caption == "ผู้นำชุมชนลงชื่อ"


def test_a_caption_changed_on_both_pages_is_refused_and_kept_as_typed(
    client, staff_user, meeting, two_photos
):
    first, _second = two_photos
    client.force_login(staff_user)
    page_a, page_b = _captions_form(client, meeting), _captions_form(client, meeting)
    page_a[f"caption-{first.pk}"] = "ประธานเปิดการประชุม"
    client.post(reverse("meetings:photo_captions", args=[meeting.pk]), page_a)
    page_b[f"caption-{first.pk}"] = "นายกเทศมนตรีกล่าวต้อนรับ"
    response = client.post(reverse("meetings:photo_captions", args=[meeting.pk]), page_b)

    assert response.status_code == 400
    page = response.content.decode()
    assert "มีผู้อื่นเปลี่ยนคำบรรยายภาพ 1 ภาพ" in page
    assert "(ขณะนี้: “ประธานเปิดการประชุม”)" in page
    assert "นายกเทศมนตรีกล่าวต้อนรับ" in page
    first.refresh_from_db()
    assert first.caption == "ประธานเปิดการประชุม"
    # The page now carries the caption saved meanwhile: saving again overwrites knowingly.
    again = _captions_form(client, meeting)
    again[f"caption-{first.pk}"] = "นายกเทศมนตรีกล่าวต้อนรับ"
    assert (
        client.post(reverse("meetings:photo_captions", args=[meeting.pk]), again).status_code == 302
    )
    first.refresh_from_db()
    assert first.caption == "นายกเทศมนตรีกล่าวต้อนรับ"
