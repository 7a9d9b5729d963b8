"""A person's choice of notifications, and the admin's count of LINE messages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Channel, Kind, Mode, Notification, Preference
from notifications.models import Status as Sent

pytestmark = pytest.mark.django_db

ROLES = ["admin_user", "staff_user", "officer_user", "kpt_user", "leader_user"]


@pytest.mark.parametrize("fixture", ROLES)
def test_every_role_chooses_how_to_hear_of_changes(client, request, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    url = reverse("notifications:preferences")

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["mode"] == Mode.IMMEDIATE
    assert "ทุกครั้งที่มีความเคลื่อนไหว" in page.content.decode()

    response = client.post(url, {"mode": "digest"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert Preference.objects.get(user=user).mode == Mode.DIGEST
    assert "บันทึกการตั้งค่าการแจ้งเตือนแล้ว" in response.content.decode()


def test_a_choice_that_does_not_exist_is_refused_and_changes_nothing(client, leader_user):
    services.preference_set(user=leader_user, mode=Mode.NONE)
    client.force_login(leader_user)
    response = client.post(reverse("notifications:preferences"), {"mode": "hourly"})
    assert response.status_code == 200
    assert response.context["form"].errors["mode"]
    assert Preference.objects.get(user=leader_user).mode == Mode.NONE


def test_the_page_says_how_messages_reach_the_person(client, leader_user, line_api):
    client.force_login(leader_user)
    url = reverse("notifications:preferences")
    assert "ยังไม่มีอีเมลและยังไม่ได้เชื่อมบัญชี LINE" in client.get(url).content.decode()
    leader_user.email = "leader@example.org"
    leader_user.save()
    assert "leader@example.org" in client.get(url).content.decode()


def test_visitors_without_a_role_cannot_choose(client, no_role_user):
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 302  # the login page
    client.force_login(no_role_user)
    assert client.get(url).status_code == 403


def _row(key, *, channel, status=Sent.SENT, sent_at=None, count=1, kind=Kind.ISSUE_STATUS):
    return Notification.objects.create(
        key=key,
        kind=kind,
        channel=channel,
        subject="ทดสอบ",
        status=status,
        sent_at=sent_at,
        recipients_count=count,
    )


def test_the_admin_sees_the_months_line_messages_against_the_quota(
    client, admin_user, settings, django_assert_max_num_queries
):
    settings.LINE_MONTHLY_QUOTA = 300
    now = timezone.now()
    last_month = timezone.localtime(now).replace(day=1) - datetime.timedelta(days=2)
    _row("a", channel=Channel.LINE, sent_at=now)
    _row("b", channel=Channel.LINE_GROUP, sent_at=now, count=37, kind=Kind.MEETING_SUMMARY)
    _row("c", channel=Channel.EMAIL, sent_at=now)  # email is not LINE's
    _row("d", channel=Channel.LINE, sent_at=last_month)  # last month's
    _row("e", channel=Channel.LINE, status=Sent.FAILED)  # LINE refused: not counted
    _row("f", channel=Channel.LINE, status=Sent.QUEUED)  # not sent yet
    client.force_login(admin_user)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("notifications:line_usage"))

    usage = page.context["usage"]
    assert (usage.used, usage.quota, usage.left, usage.failed) == (38, 300, 262, 1)
    text = page.content.decode()
    assert "ใช้ไปแล้ว 38 จาก 300 ข้อความ (ร้อยละ 13)" in text
    assert "สรุปการประชุมถึงกลุ่มประธานชุมชน" in text
    assert "ส่งข้อความ LINE ไม่สำเร็จ 1 ข้อความ" in text


@pytest.mark.parametrize("fixture", ["staff_user", "officer_user", "kpt_user", "leader_user"])
def test_only_the_admin_sees_the_line_count(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("notifications:line_usage")).status_code == 403


def test_the_profile_page_leads_to_the_notification_settings(client, leader_user):
    client.force_login(leader_user)
    page = client.get(reverse("profile:page")).content.decode()
    assert f'href="{reverse("notifications:preferences")}"' in page
    assert "ตั้งค่าการแจ้งเตือน" in page
