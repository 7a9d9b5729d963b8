"""Every date input of the app takes a Buddhist-Era date, typed, and shows it back so."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.thaidates import BE_OFFSET, to_thai_digits
from issues.models import Issue
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def _be(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year + BE_OFFSET}"


@pytest.fixture
def eng_issue(make_issue):
    return make_issue(title="ถนนชำรุดหน้าศาลาชุมชน")


def test_an_officer_types_the_target_date_in_the_buddhist_era(client, officer_user, eng_issue):
    target = timezone.localdate() + datetime.timedelta(days=20)
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:update", args=[eng_issue.pk]),
        {
            "version": eng_issue.version,
            "note": "นัดผู้รับจ้างแล้ว",
            "target_date": to_thai_digits(_be(target)),
            "target_reason": "รอวัสดุ",
        },
    )
    assert response.status_code == 302
    eng_issue.refresh_from_db()
    assert eng_issue.target_date == target


def test_a_christian_era_target_date_is_refused_kept_and_explained(client, officer_user, eng_issue):
    target = timezone.localdate() + datetime.timedelta(days=20)
    typed = f"{target.day}/{target.month}/{target.year}"
    before = (eng_issue.version, eng_issue.target_date, eng_issue.updates.count())
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:update", args=[eng_issue.pk]),
        {"version": eng_issue.version, "note": "นัดผู้รับจ้างแล้ว", "target_date": typed},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{target.year} ไม่ใช่ปีพุทธศักราช" in page
    assert f'value="{typed}"' in page  # what was typed stays, to correct
    assert "นัดผู้รับจ้างแล้ว" in page
    eng_issue.refresh_from_db()
    assert (eng_issue.version, eng_issue.target_date, eng_issue.updates.count()) == before


def test_the_issue_form_shows_a_text_date_input_not_the_browsers_picker(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("issues:create")).content.decode()
    assert 'type="date"' not in page
    assert 'name="target_date"' in page and "data-thai-date" in page


def test_staff_create_a_meeting_typed_in_the_buddhist_era_on_the_24_hour_clock(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:create"),
        {"date": "4/2/2569", "start_time": "9.30", "end_time": "13:00", "venue": "ห้องประชุม"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.date, meeting.start_time) == (datetime.date(2026, 2, 4), datetime.time(9, 30))
    page = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    assert 'value="4/2/2569"' in page
    assert 'value="09:30"' in page and 'value="13:00"' in page
    assert 'type="date"' not in page and 'type="time"' not in page


def test_a_meeting_dated_in_the_christian_era_is_refused_with_the_hint(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("meetings:create"), {"date": "4/2/2026", "venue": "ห้องประชุม"})
    assert response.status_code == 200
    assert "ค.ศ. 2026 คือ พ.ศ. 2569" in response.content.decode()
    assert not Meeting.objects.exists()
    assert not Issue.objects.exists()
