"""An issue raised at a meeting and typed up afterwards is received on the meeting's
day, at its start, unless staff give another date; it is routed when it is logged."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, IssueCategory
from core.forms import format_be_date
from issues.models import Issue, IssueUpdate
from meetings import services as meeting_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_week(staff_user):
    return meeting_services.meeting_create(
        actor=staff_user,
        date=timezone.localdate() - datetime.timedelta(days=7),
        venue="ห้องประชุมเทศบาล",
        start_time=datetime.time(9, 30),
    )


def _quick_add(meeting, **fields) -> dict:
    data = {
        "meeting": meeting.pk,
        "return_to_meeting": "1",
        "priority": 2,
        "community": Community.objects.get(number=5).pk,
        "category": IssueCategory.objects.get(code="street_light").pk,
        "title": "ไฟดับซอย 3",
    }
    data.update(fields)
    return data


def _post(client, meeting, data):
    return client.post(f"{reverse('issues:create')}?meeting={meeting.pk}", data)


def test_the_meeting_page_offers_the_meetings_date_as_received(client, staff_user, last_week):
    client.force_login(staff_user)
    shown = format_be_date(last_week.date)  # 24/11/2569
    page = client.get(reverse("meetings:detail", args=[last_week.pk])).content.decode()
    assert f'name="received_on" value="{shown}"' in page
    form = client.get(f"{reverse('issues:create')}?meeting={last_week.pk}").content.decode()
    assert f'name="received_on" value="{shown}"' in form


def test_an_issue_typed_up_after_the_meeting_is_received_at_its_start(
    client, staff_user, last_week
):
    client.force_login(staff_user)
    before = timezone.now()
    response = _post(client, last_week, _quick_add(last_week, received_on=last_week.date))
    assert response.status_code == 302
    issue = Issue.objects.get()
    received = timezone.localtime(issue.received_at)
    assert (received.date(), received.time()) == (last_week.date, datetime.time(9, 30))
    created = issue.updates.get(kind=IssueUpdate.Kind.CREATED)
    assert created.created_at == issue.received_at
    # Routed now: the department is told today, and its target counts from today.
    assert issue.updates.get(kind=IssueUpdate.Kind.ROUTED).created_at >= before


def test_without_a_date_an_issue_at_a_past_meeting_is_received_on_its_day(
    client, staff_user, last_week
):
    client.force_login(staff_user)
    _post(client, last_week, _quick_add(last_week))
    assert timezone.localtime(Issue.objects.get().received_at).date() == last_week.date


def test_staff_may_give_another_day(client, staff_user, last_week):
    client.force_login(staff_user)
    day = last_week.date + datetime.timedelta(days=2)
    _post(client, last_week, _quick_add(last_week, received_on=format_be_date(day)))
    assert timezone.localtime(Issue.objects.get().received_at).date() == day


def test_a_day_after_today_is_refused_in_thai_and_keeps_the_typing(client, staff_user, last_week):
    client.force_login(staff_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _post(
        client,
        last_week,
        _quick_add(last_week, received_on=tomorrow.isoformat(), description="ไฟดับสามดวง"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "วันที่รับแจ้งต้องไม่เลยวันนี้" in html
    assert "ไฟดับสามดวง" in html
    assert Issue.objects.count() == 0


def test_an_issue_logged_at_todays_meeting_is_received_now(client, staff_user):
    meeting = meeting_services.meeting_create(
        actor=staff_user,
        date=timezone.localdate(),
        venue="ห้อง",
        start_time=datetime.time(0, 0),
    )
    client.force_login(staff_user)
    before = timezone.now()
    _post(client, meeting, _quick_add(meeting, received_on=meeting.date.isoformat()))
    assert Issue.objects.get().received_at >= before


@pytest.mark.parametrize("fixture", ["officer_user", "kpt_user", "leader_user"])
def test_other_roles_cannot_log_an_issue_at_a_meeting(client, request, fixture, last_week):
    client.force_login(request.getfixturevalue(fixture))
    response = _post(client, last_week, _quick_add(last_week, received_on=last_week.date))
    assert response.status_code == 403
    assert Issue.objects.count() == 0
