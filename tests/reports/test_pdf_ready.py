"""The PDF reports people print are made ready by the background worker after a
change, as each of them prints it, so that their next print is served from the kept
copy instead of waiting for WeasyPrint."""

import datetime
import os

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Profile
from communities.models import Community
from core import pdf
from issues import services
from issues.models import Issue, Status
from meetings.models import Meeting
from reports import prints, tasks
from reports.models import PrintedDocument
from tests.pdf_text import nfkc, pdf_text

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IN_PROGRESS = nfkc("กำลังดำเนินการ")


def _get_pdf(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def _community_pdf(client) -> bytes:
    return _get_pdf(client, reverse("reports:community_pdf", args=[1]))


def _start_work(issue, actor):
    services.issue_update(
        issue=Issue.objects.get(pk=issue.pk),
        actor=actor,
        version=None,
        to_status=Status.IN_PROGRESS,
    )


def test_a_report_printed_before_a_change_is_ready_when_printed_after_it(
    client, leader_user, staff_user, make_issue, layouts
):
    issue = make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    before = _community_pdf(client)
    assert len(layouts) == 1
    _start_work(issue, staff_user)

    assert prints.refresh_printed() == 1
    assert len(layouts) == 2  # laid out by the worker, with the change
    after = _community_pdf(client)
    assert len(layouts) == 2  # and served to the leader without a layout
    assert IN_PROGRESS in pdf_text(after)
    assert IN_PROGRESS not in pdf_text(before)


def test_the_monthly_summary_is_ready_with_its_address_as_printed(
    client, staff_user, make_issue, layouts, settings
):
    settings.PDF_THAI_DIGITS = False
    issue = make_issue(title="ท่อระบายน้ำอุดตัน")
    today = timezone.localdate()
    url = reverse("reports:monthly_pdf", args=[today.year, today.month])
    client.force_login(staff_user)
    _get_pdf(client, url)
    [printed] = PrintedDocument.objects.all()
    assert (printed.document, printed.argument) == ("monthly_summary", f"{today:%Y-%m}")
    assert printed.live_url == "http://testserver/issues/?overdue=on"
    for status in (Status.IN_PROGRESS, Status.RESOLVED):
        services.issue_update(
            issue=Issue.objects.get(pk=issue.pk), actor=staff_user, version=None, to_status=status
        )

    prints.refresh_printed()
    laid_out = len(layouts)
    after = _get_pdf(client, url)
    assert len(layouts) == laid_out == 2
    assert "100" in pdf_text(after)  # the month's one issue resolved


def test_a_document_that_did_not_change_is_not_laid_out_again(
    client, leader_user, make_issue, layouts
):
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _community_pdf(client)
    assert prints.refresh_printed() == 1
    assert len(layouts) == 1


def test_nothing_is_made_for_a_reader_who_may_no_longer_read_it(
    client, leader_user, make_issue, layouts
):
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _community_pdf(client)
    Profile.objects.filter(user=leader_user).update(community=Community.objects.get(number=2))
    Issue.objects.update(title="ถนนชำรุดหน้าโรงเรียน")
    assert prints.refresh_printed() == 0
    assert len(layouts) == 1
    leader_user.is_active = False
    leader_user.save()
    Profile.objects.filter(user=leader_user).update(community=Community.objects.get(number=1))
    assert prints.refresh_printed() == 0
    assert len(layouts) == 1


def test_prints_older_than_the_kept_days_are_forgotten(client, leader_user, make_issue, layouts):
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _community_pdf(client)
    PrintedDocument.objects.update(
        printed_at=timezone.now() - datetime.timedelta(days=pdf.KEPT_DAYS, hours=1)
    )
    Issue.objects.update(title="ถนนชำรุดหน้าโรงเรียน")
    assert prints.refresh_printed() == 0
    assert not PrintedDocument.objects.exists()
    assert len(layouts) == 1


def test_a_refused_print_is_not_recorded(client, leader_user):
    client.force_login(leader_user)
    response = client.get(reverse("reports:community_pdf", args=[2]))
    assert response.status_code == 403
    assert not PrintedDocument.objects.exists()


def _queued():
    return list(
        DBTaskResult.objects.filter(
            task_path="reports.tasks.refresh_printed_documents", status="READY"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_changes_after_a_print_queue_one_refresh(
    client, settings, leader_user, staff_user, make_issue
):
    settings.TASKS = DATABASE_TASKS
    issue = make_issue(title="ถนนชำรุดหน้าวัด")
    assert _queued() == []  # nobody printed anything: nothing to make ready

    client.force_login(leader_user)
    _community_pdf(client)
    started = timezone.now()
    _start_work(issue, staff_user)
    Issue.objects.get(pk=issue.pk).save()
    Issue.objects.get(pk=issue.pk).save()
    [queued] = _queued()
    waited = queued.run_after - started
    assert datetime.timedelta(seconds=25) <= waited <= datetime.timedelta(seconds=35)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_of_many_rows_queues_once(settings, leader_user, make_issue, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    issue = make_issue(title="ถนนชำรุดหน้าวัด")
    prints.record_print(user=leader_user, document="community_report", argument=1)
    scheduled = []
    monkeypatch.setattr(prints, "schedule_refresh", lambda: scheduled.append(1))
    with transaction.atomic():
        for _row in range(20):
            Issue.objects.get(pk=issue.pk).save()
        assert scheduled == []  # not before the change is committed
    assert scheduled == [1]


def test_the_worker_round_queues_the_one_after_midnight(
    client, settings, leader_user, make_issue, layouts
):
    settings.TASKS = DATABASE_TASKS
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _community_pdf(client)

    assert tasks.refresh_printed_documents.call() == 1
    [queued] = _queued()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert timezone.localtime(queued.run_after).date() == tomorrow
    assert timezone.localtime(queued.run_after).time() == datetime.time(0, 5)
    # Run twice, it queues that round once.
    tasks.refresh_printed_documents.call()
    assert len(_queued()) == 1


def test_a_web_worker_lists_the_kept_folder_at_most_once_an_hour(
    client, leader_user, make_issue, monkeypatch
):
    pruned = []
    monkeypatch.setattr(pdf, "_last_pruned", None)
    monkeypatch.setattr(pdf, "prune_kept", lambda **kwargs: pruned.append(1) or 0)
    issue = make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _community_pdf(client)
    Issue.objects.filter(pk=issue.pk).update(title="ถนนชำรุดหน้าโรงเรียน")
    _community_pdf(client)
    assert len(pruned) == 1


def test_the_minutes_are_laid_out_once_for_all_their_readers(
    client, leader_user, admin_user, make_meeting, layouts
):
    meeting = make_meeting(status=Meeting.Status.PUBLISHED)
    url = reverse("reports:minutes_pdf", args=[meeting.pk])
    client.force_login(leader_user)
    first = _get_pdf(client, url)
    client.force_login(admin_user)
    assert _get_pdf(client, url) == first
    assert len(layouts) == 1


def test_the_minutes_are_ready_again_after_a_change(
    client, staff_user, leader_user, make_meeting, make_issue, layouts
):
    meeting = make_meeting(status=Meeting.Status.HELD)
    issue = make_issue(title="ถนนชำรุดหน้าวัด", meeting=meeting)
    url = reverse("reports:minutes_pdf", args=[meeting.pk])
    client.force_login(staff_user)
    _get_pdf(client, url)
    client.force_login(leader_user)
    assert client.get(url).status_code == 404  # a held meeting's draft is not theirs
    Issue.objects.filter(pk=issue.pk).update(title="ถนนชำรุดหน้าโรงเรียน")

    assert prints.refresh_printed() == 1  # the secretariat's print; the leader had none
    assert len(layouts) == 2
    client.force_login(staff_user)
    after = _get_pdf(client, url)
    assert len(layouts) == 2
    # A narrow column of the table: the title is broken over two lines.
    assert nfkc("ถนนชำรุดหน้าโรงเรียน") in "".join(pdf_text(after).split())


@pytest.mark.django_db(transaction=True)
def test_rounds_start_at_most_every_five_minutes(client, settings, leader_user, make_issue):
    settings.TASKS = DATABASE_TASKS
    issue = make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _community_pdf(client)
    Issue.objects.get(pk=issue.pk).save()
    [first] = _queued()
    # The worker ran that round two minutes ago.
    started = timezone.now() - datetime.timedelta(minutes=2)
    DBTaskResult.objects.filter(pk=first.pk).update(
        status="SUCCESSFUL", started_at=started, finished_at=started
    )
    Issue.objects.get(pk=issue.pk).save()
    [second] = _queued()
    assert second.run_after == started + prints.ROUND_EVERY
    Issue.objects.get(pk=issue.pk).save()
    assert _queued() == [second]  # the changes meanwhile wait for that round


def test_a_kept_copy_past_the_kept_days_is_laid_out_again_for_its_recent_reader(
    client, leader_user, make_issue, layouts
):
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _community_pdf(client)
    [name] = default_storage.listdir(pdf.KEPT_FOLDER)[1]
    laid_out_long_ago = (
        timezone.now() - datetime.timedelta(days=pdf.KEPT_DAYS, hours=1)
    ).timestamp()
    os.utime(default_storage.path(f"{pdf.KEPT_FOLDER}/{name}"), (laid_out_long_ago,) * 2)

    assert prints.refresh_printed() == 1
    assert len(layouts) == 2  # removed as too old, then made again: it is still read
    _community_pdf(client)
    assert len(layouts) == 2
