"""What a Thai reader sees on the pages of a meeting day: required choices that start
empty and name what is missing, Django's own messages never shown, the LINE page in
words staff understand, a favicon, empty lists that say so, a QR code that scales."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, IssueCategory
from issues import services as issue_services
from issues.models import Issue
from meetings import services as meeting_services

pytestmark = pytest.mark.django_db

DJANGO_REQUIRED = ("ฟิลด์นี้จำเป็น", "This field is required")


@pytest.fixture
def meeting(staff_user):
    return meeting_services.meeting_create(
        actor=staff_user,
        date=timezone.localdate() - datetime.timedelta(days=1),
        venue="ห้อง 3",
        start_time=datetime.time(9, 30),
    )


def _first_option(html: str, select_id: str) -> str:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select, select_id
    return re.search(r"<option[^>]*>[^<]*</option>", select.group(1)).group(0)


def test_the_meeting_pages_quick_add_starts_with_no_community_or_category(
    client, staff_user, meeting
):
    client.force_login(staff_user)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    for select_id in ("qa-community", "qa-category"):
        assert _first_option(html, select_id) == '<option value="">— เลือก —</option>'


def test_the_issue_form_starts_empty_and_names_the_missing_choice(client, staff_user, meeting):
    client.force_login(staff_user)
    html = client.get(reverse("issues:create")).content.decode()
    for select_id in ("id_community", "id_category"):
        assert _first_option(html, select_id) == '<option value="" selected>— เลือก —</option>'
    response = client.post(
        f"{reverse('issues:create')}?meeting={meeting.pk}",
        {"meeting": meeting.pk, "priority": 2, "title": "ไฟดับซอยวัดหัวถนน", "community": ""},
    )
    html = response.content.decode()
    assert "กรุณาเลือก “ชุมชน”" in html and "กรุณาเลือก “หมวดปัญหา”" in html
    assert 'value="ไฟดับซอยวัดหัวถนน"' in html
    assert not any(message in html for message in DJANGO_REQUIRED)
    assert Issue.objects.count() == 0


def test_routing_without_a_department_is_told_in_thai(client, staff_user):
    issue = issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="road"),
        title="ถนนชำรุด",
    )
    client.force_login(staff_user)
    response = client.post(
        reverse("issues:route", args=[issue.pk]),
        {"version": issue.version, "department": "", "priority": 2, "note": "ส่งกองคลัง"},
    )
    html = response.content.decode()
    assert "กรุณาเลือก “ส่วนราชการที่รับผิดชอบ”" in html
    assert "ส่งกองคลัง" in html
    assert not any(message in html for message in DJANGO_REQUIRED)


def test_the_login_form_names_what_is_missing(client, reference_data):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert not any(message in html for message in DJANGO_REQUIRED)
    assert "กรุณากรอก" in html


def test_a_favicon_is_served_and_linked(client, staff_user):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content)
    client.force_login(staff_user)
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()


def test_the_line_page_tells_staff_to_ask_the_administrator(
    client, settings, staff_user, admin_user, meeting
):
    settings.LINE_CHANNEL_ACCESS_TOKEN = settings.LINE_GROUP_ID = ""
    url = reverse("reports:line_summary", args=[meeting.pk])
    client.force_login(staff_user)
    html = client.get(url).content.decode()
    assert "ยังไม่ได้ตั้งค่า LINE — โปรดติดต่อผู้ดูแลระบบ" in html
    assert "LINE_CHANNEL_ACCESS_TOKEN" not in html and "LINE_GROUP_ID" not in html
    client.force_login(admin_user)
    html = client.get(url).content.decode()
    assert "LINE_CHANNEL_ACCESS_TOKEN" in html
    assert "โปรดติดต่อผู้ดูแลระบบ" not in html


def test_an_empty_attendee_list_says_none_instead_of_a_list_of_one(client, staff_user, meeting):
    client.force_login(staff_user)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert '<li class="muted">—</li>' not in html
    assert re.search(r"ไม่มาประชุม \(0\)</h2>\s*<p class=\"empty-list\">ไม่มี</p>", html)


def test_marking_a_meeting_held_says_it_once(client, staff_user, meeting):
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:status", args=[meeting.pk]), {"status": "held"}, follow=True
    )
    html = response.content.decode()
    assert "เปลี่ยนสถานะการประชุมเป็น “ประชุมแล้ว” เรียบร้อยแล้ว" in html
    assert "” แล้ว" not in html


def test_the_check_in_code_scales_with_its_quiet_zone(client, staff_user, meeting):
    client.force_login(staff_user)
    html = client.get(reverse("meetings:check_in_code", args=[meeting.pk])).content.decode()
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert "viewBox=" in svg and "width=" not in svg
    # The light modules around the code are drawn, so the zone shows on any background.
    assert 'fill="#fff"' in html


def test_required_choices_in_forms_list_an_empty_first_choice(client, leader_user):
    client.force_login(leader_user)
    html = client.get(reverse("issues:submit")).content.decode()
    assert _first_option(html, "id_category") == '<option value="" selected>— เลือก —</option>'
    assert Community.objects.exists() and IssueCategory.objects.exists()


def test_the_meeting_that_approved_the_minutes_is_chosen_not_preselected(
    client, staff_user, meeting
):
    meeting_services.meeting_transition(meeting=meeting, to_status="held", actor=staff_user)
    meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate() + datetime.timedelta(days=30), venue="ห้อง 3"
    )
    client.force_login(staff_user)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert _first_option(html, "approved-at") == '<option value="">— เลือก —</option>'
