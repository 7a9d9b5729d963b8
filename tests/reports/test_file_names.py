"""Every download is named in the Buddhist Era, largest unit first (README, "Language and dates")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.thaidates import BE_OFFSET
from meetings import services as meeting_services

pytestmark = pytest.mark.django_db


def _name(response) -> str:
    assert response.status_code == 200
    return response["Content-Disposition"].split('filename="', 1)[1].rstrip('"')


def test_the_monthly_summary_is_named_by_its_buddhist_era_month(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("reports:monthly_pdf", args=[2026, 11]))
    assert _name(response) == "monthly-summary-2569-11.pdf"


def test_the_minutes_are_named_as_the_meeting_is_numbered(client, staff_user):
    # 2 December 2569 is in fiscal year 2570 but is meeting ครั้งที่ 1/2569 of the calendar year.
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=datetime.date(2026, 12, 2), venue="ห้องประชุม"
    )
    assert meeting.number_label == "1/2569"
    client.force_login(staff_user)
    response = client.get(reverse("reports:minutes_pdf", args=[meeting.pk]))
    assert _name(response) == "minutes-2569-01.pdf"


def test_the_community_report_is_named_by_the_day_of_its_figures(client, staff_user):
    today = timezone.localdate()
    client.force_login(staff_user)
    response = client.get(reverse("reports:community_pdf", args=[7]))
    be_day = f"{today.year + BE_OFFSET}-{today.month:02d}-{today.day:02d}"
    assert _name(response) == f"community-7-report-{be_day}.pdf"
