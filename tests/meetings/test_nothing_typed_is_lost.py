"""Adding a minutes sub-item sends the whole minutes page: what was written
elsewhere on it is saved with it, or kept on the page when either is refused."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import AgendaItem, minutes_fingerprint

from .conftest import PAST_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(PAST_DAY)


def minutes_page(client, meeting) -> dict:
    """What the minutes page posts as it was opened."""
    response = client.get(reverse("meetings:minutes", args=[meeting.pk]))
    assert response.status_code == 200
    data = {}
    for item in meeting.agenda_items.all():
        data[f"discussion-{item.pk}"] = item.discussion
        data[f"resolution-{item.pk}"] = item.resolution
        data[f"seen-{item.pk}"] = minutes_fingerprint(item.discussion, item.resolution)
    return data


def _post(client, meeting, data):
    return client.post(reverse("meetings:minutes", args=[meeting.pk]), data)


def test_adding_a_sub_item_saves_the_minutes_written_elsewhere(client, staff_user, meeting):
    announcements, *_others, other = meeting.agenda_items.order_by("order")
    consideration = meeting.agenda_items.get(order=4, parent=None)
    client.force_login(staff_user)
    data = minutes_page(client, meeting)
    data[f"discussion-{announcements.pk}"] = "ประธานแจ้งกำหนดการงานลอยกระทง"
    data[f"resolution-{other.pk}"] = "รับทราบ"
    data.update(
        {"sub_parent": consideration.pk, "sub_title": "ไฟส่องสว่างซอย 5", "add_sub_item": "1"}
    )
    response = _post(client, meeting, data)
    assert response.status_code == 302
    announcements.refresh_from_db()
    other.refresh_from_db()
    assert announcements.discussion == "ประธานแจ้งกำหนดการงานลอยกระทง"
    assert other.resolution == "รับทราบ"
    assert consideration.sub_items.get().title == "ไฟส่องสว่างซอย 5"
    page = client.get(response.url).content.decode()
    assert "ไฟส่องสว่างซอย 5" in page
    assert "ประธานแจ้งกำหนดการงานลอยกระทง" in page


def test_a_sub_item_typed_and_enter_pressed_is_added_with_the_minutes(client, staff_user, meeting):
    consideration = meeting.agenda_items.get(order=4, parent=None)
    client.force_login(staff_user)
    data = minutes_page(client, meeting)
    data.update({"sub_parent": consideration.pk, "sub_title": "ถนนชำรุด"})
    assert _post(client, meeting, data).status_code == 302
    assert consideration.sub_items.get().title == "ถนนชำรุด"


def test_a_sub_item_without_a_title_keeps_the_text_and_saves_nothing(client, staff_user, meeting):
    announcements = meeting.agenda_items.get(order=1, parent=None)
    consideration = meeting.agenda_items.get(order=4, parent=None)
    client.force_login(staff_user)
    data = minutes_page(client, meeting)
    data[f"discussion-{announcements.pk}"] = "ข้อความที่พิมพ์ไว้ยาว ๆ"
    data.update({"sub_parent": consideration.pk, "sub_title": "  ", "add_sub_item": "1"})
    response = _post(client, meeting, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ข้อความที่พิมพ์ไว้ยาว ๆ" in html
    assert "โปรดระบุหัวข้อย่อย" in html
    announcements.refresh_from_db()
    assert announcements.discussion == ""
    assert AgendaItem.objects.filter(parent__isnull=False).count() == 0


def test_stale_minutes_add_no_sub_item_and_keep_the_typing(client, staff_user, meeting):
    announcements = meeting.agenda_items.get(order=1, parent=None)
    consideration = meeting.agenda_items.get(order=4, parent=None)
    client.force_login(staff_user)
    data = minutes_page(client, meeting)
    services.minutes_update(
        meeting=meeting, actor=staff_user, texts={announcements.pk: ("บันทึกโดยอีกคน", "")}
    )
    data[f"discussion-{announcements.pk}"] = "ที่ฉันพิมพ์"
    data.update({"sub_parent": consideration.pk, "sub_title": "ไฟดับ", "add_sub_item": "1"})
    response = _post(client, meeting, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ที่ฉันพิมพ์" in html
    assert 'value="ไฟดับ"' in html
    assert consideration.sub_items.count() == 0


def test_a_sub_item_of_another_meeting_is_refused(client, staff_user, meeting, make_meeting):
    other = make_meeting(PAST_DAY.replace(day=20))
    client.force_login(staff_user)
    data = minutes_page(client, meeting)
    data.update(
        {
            "sub_parent": other.agenda_items.get(order=4).pk,
            "sub_title": "ไฟดับ",
            "add_sub_item": "1",
        }
    )
    response = _post(client, meeting, data)
    assert response.status_code == 400
    assert "ภายใต้ระเบียบวาระหลักของการประชุมครั้งนี้" in response.content.decode()
    assert AgendaItem.objects.filter(parent__isnull=False).count() == 0


@pytest.mark.parametrize("fixture", ["officer_user", "kpt_user", "leader_user"])
def test_other_roles_cannot_add_a_sub_item_with_the_minutes(client, request, fixture, meeting):
    client.force_login(request.getfixturevalue(fixture))
    consideration = meeting.agenda_items.get(order=4, parent=None)
    response = _post(
        client,
        meeting,
        {"sub_parent": consideration.pk, "sub_title": "ไฟดับ", "add_sub_item": "1"},
    )
    assert response.status_code in (403, 404)
    assert consideration.sub_items.count() == 0
