"""The real queue: a change enqueues into the database, ``db_worker`` sends it."""

import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from issues import services as issue_services
from issues.models import Status
from notifications.models import Channel, Notification
from notifications.models import Status as Sent

from .conftest import link_line

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def run_worker_once():
    """Run ``db_worker`` until the queue is empty, as a cron job or a test would,
    keeping the test process's own signal handlers."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_a_change_queued_once_it_committed(
    database_tasks, reference_data, officer, new_issue
):
    issue = new_issue()

    row = Notification.objects.get(recipient=officer)
    assert row.status == Sent.QUEUED and mail.outbox == []
    [task] = DBTaskResult.objects.all()
    assert task.status == "READY" and task.task_path == "notifications.tasks.deliver"
    assert task.args_kwargs == {"args": [str(row.pk)], "kwargs": {}}

    run_worker_once()

    row.refresh_from_db()
    assert (row.status, row.tries) == (Sent.SENT, 1)
    [message] = mail.outbox
    assert message.to == [officer.email] and issue.reference in message.subject
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == Sent.SENT

    # The worker run again finds nothing to do: nothing is sent twice.
    run_worker_once()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_in_the_queue_until_its_time(
    database_tasks, reference_data, officer, new_issue, monkeypatch
):
    def down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", down)
    new_issue()
    run_worker_once()

    row = Notification.objects.get(recipient=officer)
    assert (row.status, row.tries) == (Sent.QUEUED, 1)
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after == row.send_after
    run_worker_once()  # not due yet: left for later
    row.refresh_from_db()
    assert row.tries == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_pushes_to_a_linked_leader_by_line(
    database_tasks, reference_data, leader, officer, new_issue, line_api
):
    uid = link_line(leader)
    issue = new_issue()
    issue = issue_services.issue_update(
        issue=issue, actor=officer, version=None, to_status=Status.IN_PROGRESS
    )
    row = Notification.objects.get(recipient=leader, issue_update__to_status=Status.IN_PROGRESS)
    assert row.status == Sent.QUEUED and line_api.calls == []

    run_worker_once()

    row.refresh_from_db()
    assert (row.channel, row.status, row.tries) == (Channel.LINE, Sent.SENT, 1)
    pushes = [push for push in line_api.pushes() if push.body["to"] == uid]
    assert [push.headers["X-Line-Retry-Key"] for push in pushes][-1] == str(row.pk)
    assert issue.reference in pushes[-1].body["messages"][0]["text"]
