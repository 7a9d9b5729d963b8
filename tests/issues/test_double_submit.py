"""A form that creates a record, sent twice (a double click, a page resent after
a slow answer), creates one record and leads to it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, IssueCategory, Participant
from issues.models import Issue
from meetings import services as meeting_services
from meetings.models import Attendance

pytestmark = pytest.mark.django_db


def once_token(html: str, action: str = "") -> str:
    """The one-time token of the form posting to ``action`` (or the first form)."""
    start = html.index(f'action="{action}') if action else html.index("<form")
    match = re.search(r'name="once" value="([^"]+)"', html[start:])
    assert match, "the form carries no one-time token"
    return match.group(1)


@pytest.fixture
def meeting(staff_user):
    return meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้องประชุม"
    )


def _issue_fields():
    return {
        "priority": 2,
        "community": Community.objects.get(number=5).pk,
        "category": IssueCategory.objects.get(code="street_light").pk,
        "title": "ไฟดับซอย 3",
    }


def test_a_new_issue_sent_twice_is_logged_once(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("issues:create")).content.decode()
    data = {**_issue_fields(), "once": once_token(page, "")}

    first = client.post(reverse("issues:create"), data)
    second = client.post(reverse("issues:create"), data, follow=True)

    issue = Issue.objects.get()
    assert first.url == issue.get_absolute_url()
    assert second.redirect_chain[-1][0] == issue.get_absolute_url()
    assert "แบบฟอร์มนี้ส่งไปแล้ว ระบบจึงไม่ได้สร้างรายการซ้ำ" in second.content.decode()


def test_an_issue_from_the_meeting_page_sent_twice_is_logged_once(client, staff_user, meeting):
    client.force_login(staff_user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    url = f"{reverse('issues:create')}?meeting={meeting.pk}"
    data = {
        **_issue_fields(),
        "meeting": meeting.pk,
        "return_to_meeting": "1",
        "once": once_token(page, reverse("issues:create")),
    }

    client.post(url, data)
    second = client.post(url, data)

    assert Issue.objects.count() == 1
    assert second.url == meeting.get_absolute_url()


def test_a_refused_issue_form_keeps_its_token_and_the_corrected_one_is_logged(client, staff_user):
    client.force_login(staff_user)
    token = once_token(client.get(reverse("issues:create")).content.decode())
    refused = client.post(reverse("issues:create"), {**_issue_fields(), "title": "", "once": token})
    assert once_token(refused.content.decode()) == token

    client.post(reverse("issues:create"), {**_issue_fields(), "once": token})
    client.post(reverse("issues:create"), {**_issue_fields(), "once": token})
    assert Issue.objects.count() == 1


def test_a_leaders_problem_sent_twice_is_sent_once(client, leader_user):
    client.force_login(leader_user)
    page = client.get(reverse("issues:submit")).content.decode()
    data = {
        "category": IssueCategory.objects.get(code="trees").pk,
        "title": "กิ่งไม้พาดสายไฟ",
        "description": "หน้าบ้านเลขที่ 12",
        "once": once_token(page),
    }

    first = client.post(reverse("issues:submit"), data)
    second = client.post(reverse("issues:submit"), data)

    issue = Issue.objects.get()
    assert first.url == second.url == issue.get_absolute_url()


def test_a_guest_added_twice_is_added_once(client, staff_user, meeting):
    client.force_login(staff_user)
    roll = reverse("meetings:attendance", args=[meeting.pk])
    # The guest's fields are part of the roll's form, so that adding one saves the roll.
    token = once_token(client.get(roll).content.decode(), roll)
    data = {
        "guest-name": "นายแขก รับเชิญ",
        "guest-position": "การไฟฟ้าส่วนภูมิภาค",
        "add_guest": "1",
        "once": token,
    }

    client.post(roll, data)
    second = client.post(roll, data, follow=True)

    assert Participant.objects.filter(name="นายแขก รับเชิญ").count() == 1
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    assert second.redirect_chain[-1][0] == roll


def test_a_too_long_guest_name_is_refused_saying_so_and_kept(client, staff_user, meeting):
    client.force_login(staff_user)
    name = "ก" * 100_000
    response = client.post(
        reverse("meetings:attendance_guest", args=[meeting.pk]),
        {"name": name, "position": "ผู้สังเกตการณ์"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "ชื่อยาวเกินไป (ไม่เกิน 200 ตัวอักษร แต่พิมพ์ไว้ 100000 ตัวอักษร)" in html
    assert "โปรดระบุชื่อผู้เข้าร่วมประชุม" not in html
    assert f'value="{name}"' in html
    assert 'value="ผู้สังเกตการณ์"' in html
    assert Attendance.objects.count() == 0
