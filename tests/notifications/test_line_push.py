"""Notifications by LINE to a person who linked LINE: the push, its retry key, the
buttons under a resolved issue, and each way LINE can fail. LINE's HTTP is faked
below the SDK (``line_http``)."""

import datetime

import pytest
import urllib3
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.utils import timezone

from issues import services as issue_services
from issues.models import Status
from notifications import services
from notifications.models import Channel, Kind, Notification
from notifications.models import Status as Sent
from notifications.tasks import deliver

from .conftest import link_line

pytestmark = pytest.mark.django_db

PUSH = "/v2/bot/message/push"


@pytest.fixture
def resolved(new_issue, officer):
    """An issue of community 1 the department has resolved, told to nobody yet."""
    with services.notifications_muted():
        issue = new_issue()
        issue = issue_services.issue_update(
            issue=issue, actor=officer, version=None, to_status=Status.IN_PROGRESS
        )
    return issue


def _resolve(issue, officer, callbacks):
    with callbacks(execute=True):
        return issue_services.issue_update(
            issue=issue,
            actor=officer,
            version=issue.version,
            to_status=Status.RESOLVED,
            note="ซ่อมผิวถนนเรียบร้อย",
        )


def test_a_linked_leader_is_told_by_line_with_the_rows_retry_key(
    line_api, leader, officer, resolved, django_capture_on_commit_callbacks
):
    uid = link_line(leader)
    issue = _resolve(resolved, officer, django_capture_on_commit_callbacks)

    [row] = Notification.objects.filter(recipient=leader)
    assert (row.channel, row.status, row.tries) == (Channel.LINE, Sent.SENT, 1)
    [push] = line_api.pushes()
    assert push.method == "POST"
    assert push.headers["Authorization"] == "Bearer channel-token-123"
    assert push.headers["X-Line-Retry-Key"] == str(row.pk)
    assert push.body["to"] == uid
    text, question = push.body["messages"]
    assert text["type"] == "text" and issue.reference in text["text"]
    assert "ซ่อมผิวถนนเรียบร้อย" in text["text"]
    assert question["type"] == "template"
    fixed, not_fixed = question["template"]["actions"]
    assert (fixed["label"], not_fixed["label"]) == ("แก้ไขแล้ว", "ยังไม่ได้แก้ไข")
    assert fixed["data"] == f"action=fixed&issue={issue.pk}&v={issue.version}"
    assert not_fixed["data"] == f"action=not_fixed&issue={issue.pk}&v={issue.version}"
    assert mail.outbox == []  # LINE reached them; no email as well


def test_without_the_bot_set_up_a_linked_person_gets_email(
    line_api, settings, leader, officer, resolved, django_capture_on_commit_callbacks
):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    link_line(leader)
    _resolve(resolved, officer, django_capture_on_commit_callbacks)
    [row] = Notification.objects.filter(recipient=leader)
    assert (row.channel, row.status) == (Channel.EMAIL, Sent.SENT)
    assert line_api.calls == [] and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [(429, {"message": "The API rate limit has been exceeded."}), (500, {"message": "Internal"})],
)
def test_line_busy_or_broken_is_tried_again_with_the_same_retry_key(
    line_api, leader, officer, resolved, django_capture_on_commit_callbacks, status, body
):
    link_line(leader)
    line_api.answer(PUSH, (status, body))
    _resolve(resolved, officer, django_capture_on_commit_callbacks)

    row = Notification.objects.get(recipient=leader)
    assert (row.status, row.tries) == (Sent.QUEUED, 1)
    assert f"HTTP {status}" in row.error and body["message"] in row.error
    assert row.send_after is not None

    Notification.objects.filter(pk=row.pk).update(send_after=None)
    assert deliver.call(str(row.pk)) == Sent.SENT
    row.refresh_from_db()
    assert (row.status, row.tries, row.error) == (Sent.SENT, 2, "")
    first, second = line_api.pushes()
    assert first.headers["X-Line-Retry-Key"] == second.headers["X-Line-Retry-Key"] == str(row.pk)


def test_a_retry_line_had_already_accepted_counts_as_sent(
    line_api, leader, officer, resolved, django_capture_on_commit_callbacks
):
    link_line(leader)
    line_api.answer(
        PUSH, (500, {"message": "timeout"}), (409, {"message": "The retry key is already accepted"})
    )
    _resolve(resolved, officer, django_capture_on_commit_callbacks)
    row = Notification.objects.get(recipient=leader)
    Notification.objects.filter(pk=row.pk).update(send_after=None)
    assert deliver.call(str(row.pk)) == Sent.SENT
    assert len(line_api.pushes()) == 2


def test_line_unreachable_is_tried_again_later(
    line_api, leader, officer, resolved, django_capture_on_commit_callbacks
):
    link_line(leader)
    line_api.answer(PUSH, urllib3.exceptions.ProtocolError("Connection aborted."))
    _resolve(resolved, officer, django_capture_on_commit_callbacks)
    row = Notification.objects.get(recipient=leader)
    assert row.status == Sent.QUEUED and "Connection aborted" in row.error


def test_line_failing_every_time_is_given_up_after_five_tries(
    line_api, leader, officer, resolved, django_capture_on_commit_callbacks
):
    link_line(leader)
    line_api.answer(PUSH, *[(503, {"message": "Service Unavailable"})] * services.MAX_TRIES)
    _resolve(resolved, officer, django_capture_on_commit_callbacks)
    row = Notification.objects.get(recipient=leader)
    for _try in range(services.MAX_TRIES - 1):
        Notification.objects.filter(pk=row.pk).update(send_after=None)
        deliver.call(str(row.pk))
    row.refresh_from_db()
    assert (row.status, row.tries) == (Sent.FAILED, services.MAX_TRIES)
    assert "HTTP 503" in row.error and "channel-token-123" not in row.error
    assert len(line_api.pushes()) == services.MAX_TRIES
    # Nothing more is tried for it.
    assert deliver.call(str(row.pk)) == Sent.FAILED
    assert len(line_api.pushes()) == services.MAX_TRIES


def test_a_refusal_fails_at_once_and_the_message_goes_by_email(
    line_api, leader, officer, resolved, django_capture_on_commit_callbacks
):
    link_line(leader)
    line_api.answer(PUSH, (400, {"message": "The property, 'to', in the request body is invalid"}))
    _resolve(resolved, officer, django_capture_on_commit_callbacks)

    line_row = Notification.objects.get(recipient=leader, channel=Channel.LINE)
    assert (line_row.status, line_row.tries) == (Sent.FAILED, 1)
    assert "HTTP 400" in line_row.error and "'to'" in line_row.error
    email_row = Notification.objects.get(recipient=leader, channel=Channel.EMAIL)
    assert email_row.status == Sent.SENT and email_row.issue_update == line_row.issue_update
    [message] = mail.outbox
    assert message.to == [leader.email] and resolved.reference in message.body
    assert len(line_api.pushes()) == 1


def test_a_person_who_unlinked_line_since_gets_the_message_by_email(
    line_api, leader, officer, resolved, django_capture_on_commit_callbacks
):
    link_line(leader)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue_services.issue_update(
            issue=resolved, actor=officer, version=None, to_status=Status.RESOLVED
        )
    SocialAccount.objects.filter(user=leader).delete()
    for callback in callbacks:
        callback()

    line_row = Notification.objects.get(recipient=leader, channel=Channel.LINE)
    assert line_row.status == Sent.FAILED
    assert line_row.error == "ผู้ใช้ไม่ได้เชื่อมบัญชี LINE แล้ว"
    assert Notification.objects.get(recipient=leader, channel=Channel.EMAIL).status == Sent.SENT
    assert line_api.calls == []


def test_officers_are_told_of_a_routing_by_line_without_buttons(
    line_api, officer, new_issue, django_capture_on_commit_callbacks
):
    link_line(officer)
    with django_capture_on_commit_callbacks(execute=True):
        new_issue()
    [row] = Notification.objects.filter(recipient=officer)
    assert (row.kind, row.channel, row.status) == (Kind.ISSUE_ROUTED, Channel.LINE, Sent.SENT)
    [push] = line_api.pushes()
    assert [message["type"] for message in push.body["messages"]] == ["text"]


def test_the_months_limit_reached_fails_at_once_and_goes_by_email(
    line_api, leader, officer, resolved, django_capture_on_commit_callbacks
):
    link_line(leader)
    line_api.answer(PUSH, (429, {"message": "You have reached your monthly limit."}))
    _resolve(resolved, officer, django_capture_on_commit_callbacks)

    line_row = Notification.objects.get(recipient=leader, channel=Channel.LINE)
    assert (line_row.status, line_row.tries) == (Sent.FAILED, 1)
    assert "LINE_MONTHLY_QUOTA" in line_row.error and "monthly limit" in line_row.error
    assert Notification.objects.get(recipient=leader, channel=Channel.EMAIL).status == Sent.SENT
    assert len(line_api.pushes()) == 1


def test_what_a_stopped_worker_left_half_sent_is_settled(line_api, leader, officer, resolved):
    link_line(leader)
    update = resolved.updates.order_by("pk").last()
    long_ago = timezone.now() - datetime.timedelta(minutes=20)

    def stuck(channel, tried_at):
        return Notification.objects.create(
            key=f"update:{update.pk}:{leader.pk}:{channel}",
            kind=Kind.ISSUE_STATUS,
            channel=channel,
            recipient=leader,
            issue=resolved,
            issue_update=update,
            subject="ทดสอบ",
            text="ทดสอบ",
            status=Sent.SENDING,
            tries=1,
            tried_at=tried_at,
        )

    by_line, by_email = stuck(Channel.LINE, long_ago), stuck(Channel.EMAIL, long_ago)
    group = Notification.objects.create(
        key="meeting:0:push:1",
        kind=Kind.MEETING_SUMMARY,
        channel=Channel.LINE_GROUP,
        address="C1",
        subject="ทดสอบ",
        text="ทดสอบ",
        status=Sent.SENDING,
        tries=1,
        tried_at=timezone.now(),  # still being sent: left alone
    )

    services.notifications_due()

    by_line.refresh_from_db()
    by_email.refresh_from_db()
    group.refresh_from_db()
    assert (by_line.status, by_line.tries) == (Sent.SENT, 2)
    [push] = line_api.pushes()
    assert push.headers["X-Line-Retry-Key"] == str(by_line.pk)  # LINE takes it once
    assert by_email.status == Sent.FAILED and "อาจ" in by_email.error
    assert mail.outbox == []  # an email that may have left is not sent twice
    assert group.status == Sent.SENDING


def test_telling_many_leaders_costs_the_same_queries_as_telling_one(
    line_api, leader, officer, new_issue
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_user

    from .conftest import with_email

    def queries_of_a_status_change():
        with services.notifications_muted():
            issue = new_issue()
        with CaptureQueriesContext(connection) as queries:
            issue_services.issue_update(
                issue=issue, actor=officer, version=None, to_status=Status.IN_PROGRESS
            )
        return len(queries)

    link_line(leader)
    queries_of_a_status_change()  # caches warmed
    one = queries_of_a_status_change()
    for number in range(12):
        user = with_email(make_user(f"leader-{number}", role="leader", community_number=1))
        if number % 2:
            link_line(user)
    many = queries_of_a_status_change()

    assert many == one
    # The first leader told of each of the three changes, the twelve others of the last.
    assert Notification.objects.filter(kind=Kind.ISSUE_STATUS).count() == 3 + 12
