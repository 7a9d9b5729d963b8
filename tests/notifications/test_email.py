"""Notifications of issue changes: who is told, after the change commits, by email
when LINE does not reach the person, and each row's outcome."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from issues import services as issue_services
from issues.models import Status
from notifications import services
from notifications.models import Channel, Kind, Mode, Notification
from notifications.models import Status as Sent
from notifications.tasks import deliver

pytestmark = pytest.mark.django_db


def test_a_newly_routed_issue_is_mailed_to_the_departments_officers(
    officer, new_issue, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue = new_issue()

    [row] = Notification.objects.filter(recipient=officer)
    assert (row.kind, row.channel, row.status, row.tries) == (
        Kind.ISSUE_ROUTED,
        Channel.EMAIL,
        Sent.SENT,
        1,
    )
    assert row.issue == issue and row.sent_at is not None and row.error == ""
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert issue.reference in message.subject and "สำนักการช่าง" in message.subject
    assert f"http://127.0.0.1:8000/issues/{issue.pk}/" in message.body
    # Staff routed it: they are not told of their own act.
    assert not Notification.objects.filter(recipient=staff_user).exists()


def test_a_status_change_is_mailed_to_the_communitys_leaders_only(
    leader, other_leader, officer, new_issue, django_capture_on_commit_callbacks
):
    issue = new_issue()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue = issue_services.issue_update(
            issue=issue,
            actor=officer,
            version=issue.version,
            to_status=Status.IN_PROGRESS,
            note="เริ่มซ่อมวันจันทร์",
        )

    update = issue.updates.get(to_status=Status.IN_PROGRESS)
    [row] = Notification.objects.filter(issue_update=update)
    assert row.recipient == leader and row.status == Sent.SENT and row.kind == Kind.ISSUE_STATUS
    [message] = mail.outbox
    assert message.to == [leader.email]
    assert "สถานะ: ส่งส่วนราชการ → กำลังดำเนินการ" in message.body
    assert "เริ่มซ่อมวันจันทร์" in message.body
    # The officer made the change; the leader of another community is not concerned.
    assert not Notification.objects.filter(
        recipient__in=[officer, other_leader], kind=Kind.ISSUE_STATUS
    ).exists()


def test_an_internal_note_is_never_sent_to_a_leader(
    leader, officer, new_issue, django_capture_on_commit_callbacks
):
    issue = new_issue()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue = issue_services.issue_update(
            issue=issue,
            actor=officer,
            version=issue.version,
            to_status=Status.IN_PROGRESS,
            note="งบประมาณภายในยังไม่อนุมัติ",
            is_public=False,
        )
    update = issue.updates.get(to_status=Status.IN_PROGRESS)
    assert not Notification.objects.filter(issue_update=update).exists()
    assert mail.outbox == []


def test_a_change_rolled_back_leaves_no_row_and_sends_nothing(
    officer, new_issue, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        new_issue()
        assert Notification.objects.filter(recipient=officer).exists()
        raise RuntimeError("the request failed after the change")

    assert not Notification.objects.exists()
    assert callbacks == [] and mail.outbox == []


def test_nothing_is_sent_before_the_change_commits(
    officer, new_issue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new_issue()
        [row] = Notification.objects.filter(recipient=officer)
        assert row.status == Sent.QUEUED
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_person_without_an_email_address_is_skipped_with_the_reason(
    officer_user, new_issue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new_issue()
    [row] = Notification.objects.filter(recipient=officer_user)
    assert row.status == Sent.SKIPPED
    assert row.error == "ไม่มีที่อยู่อีเมล"
    assert mail.outbox == []


def test_a_person_who_wants_no_messages_gets_none(
    officer, new_issue, django_capture_on_commit_callbacks
):
    services.preference_set(user=officer, mode=Mode.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        new_issue()
    [row] = Notification.objects.filter(recipient=officer)
    assert row.status == Sent.SKIPPED and "ไม่รับ" in row.error
    assert mail.outbox == []


def test_a_task_run_twice_sends_once(officer, new_issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new_issue()
    [row] = Notification.objects.filter(recipient=officer)
    assert deliver.call(str(row.pk)) == Sent.SENT
    row.refresh_from_db()
    assert row.tries == 1 and len(mail.outbox) == 1


def test_the_same_change_gets_one_row_per_person_and_channel(officer, new_issue):
    issue = new_issue()
    update = issue.updates.get(kind="routed")
    again = services.notification_create(user=officer, kind=Kind.ISSUE_ROUTED, update=update)
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert again.pk == Notification.objects.get(recipient=officer).pk


def test_a_mail_server_that_is_down_is_tried_again_later_then_given_up(
    officer, new_issue, django_capture_on_commit_callbacks, monkeypatch
):
    def down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)
    with django_capture_on_commit_callbacks(execute=True):
        new_issue()
    row = Notification.objects.get(recipient=officer)
    assert row.status == Sent.QUEUED and row.tries == 1
    assert "Connection refused" in row.error
    assert row.send_after - timezone.now() > datetime.timedelta(seconds=50)
    for _try in range(services.MAX_TRIES - 1):
        Notification.objects.filter(pk=row.pk).update(send_after=timezone.now())
        deliver.call(str(row.pk))
    row.refresh_from_db()
    assert row.status == Sent.FAILED and row.tries == services.MAX_TRIES
    assert "Connection refused" in row.error


def test_the_daily_digest_gathers_the_days_changes_in_one_message(
    leader, officer, new_issue, django_capture_on_commit_callbacks
):
    services.preference_set(user=leader, mode=Mode.DIGEST)
    with services.notifications_muted():
        first, second = new_issue(), new_issue(title="ไฟฟ้าส่องสว่างดับทั้งซอย")
    with django_capture_on_commit_callbacks(execute=True):
        for issue in (first, second):
            issue_services.issue_update(
                issue=issue, actor=officer, version=issue.version, to_status=Status.IN_PROGRESS
            )
    entries = Notification.objects.filter(recipient=leader, kind=Kind.ISSUE_STATUS)
    assert {row.status for row in entries} == {Sent.WAITING_DIGEST}
    digest = Notification.objects.get(recipient=leader, kind=Kind.DIGEST)
    assert entries.filter(digest=digest).count() == 2
    local = timezone.localtime(digest.send_after)
    assert (local.hour, local.minute) == (7, 0) and digest.send_after > timezone.now()
    assert mail.outbox == []

    assert deliver.call(str(digest.pk)) == Sent.QUEUED  # not before the morning
    Notification.objects.filter(pk=digest.pk).update(send_after=timezone.now())
    assert services.notifications_due() == 1
    [message] = mail.outbox
    assert message.to == [leader.email]
    assert first.reference in message.body and second.reference in message.body
    assert {row.status for row in entries.all()} == {Sent.IN_DIGEST}
    digest.refresh_from_db()
    assert digest.status == Sent.SENT

    # The next change goes in the following day's digest, not in the one sent.
    with django_capture_on_commit_callbacks(execute=True):
        issue_services.issue_update(
            issue=first, actor=officer, version=None, to_status=Status.RESOLVED
        )
    later = Notification.objects.get(
        recipient=leader, kind=Kind.ISSUE_STATUS, status=Sent.WAITING_DIGEST
    )
    assert later.digest != digest and later.digest.send_after > digest.send_after


def test_the_demo_history_tells_nobody(officer, new_issue):
    with services.notifications_muted():
        new_issue()
    assert not Notification.objects.exists()


def test_a_leader_saying_not_fixed_is_mailed_to_the_departments_officers(
    leader, other_leader, officer, new_issue, django_capture_on_commit_callbacks
):
    issue = new_issue()
    for status in (Status.IN_PROGRESS, Status.RESOLVED):
        issue = issue_services.issue_update(
            issue=issue, actor=officer, version=issue.version, to_status=status
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue = issue_services.leader_dispute_fix(
            issue=issue, actor=leader, reason="ฝนตกเมื่อคืนน้ำยังท่วมขังเหมือนเดิม", version=issue.version
        )

    update = issue.updates.get(from_status=Status.RESOLVED, to_status=Status.IN_PROGRESS)
    [row] = Notification.objects.filter(issue_update=update)
    assert (row.recipient, row.kind, row.status) == (officer, Kind.ISSUE_REOPENED, Sent.SENT)
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert issue.reference in message.subject and "ยังแก้ไขไม่เรียบร้อย" in message.subject
    assert "ฝนตกเมื่อคืนน้ำยังท่วมขังเหมือนเดิม" in message.body
    assert f"http://127.0.0.1:8000/issues/{issue.pk}/" in message.body
    # The leader said it: neither they nor a leader of another community is told.
    assert not Notification.objects.filter(
        issue_update=update, recipient__in=[leader, other_leader]
    ).exists()
