"""Two people working on one issue at the same moment, on PostgreSQL (SQLite
serialises every write, so it cannot show a race)."""

import itertools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from communities.models import Community, IssueCategory
from issues import services
from issues.models import Issue, IssueUpdate, Status

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _issue(staff_user):
    return services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="road"),
        title="ถนนชำรุด",
    )


def test_reference_numbers_stay_unique_when_logged_at_once(staff_user):
    results = _run_together(*[lambda: _issue(staff_user) for _ in range(6)])
    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(Issue.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_two_transitions_at_once_keep_status_and_history_consistent(
    staff_user, officer_user, kpt_user
):
    issue = _issue(staff_user)
    results = _run_together(
        lambda: services.issue_update(
            issue=issue, actor=officer_user, version=None, to_status=Status.IN_PROGRESS
        ),
        lambda: services.issue_update(
            issue=issue, actor=kpt_user, version=None, to_status=Status.SURVEYED
        ),
    )
    succeeded = [r for r in results if isinstance(r, Issue)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(succeeded) + len(refused) == 2
    issue.refresh_from_db()
    moves = list(
        IssueUpdate.objects.filter(issue=issue, kind="transition")
        .order_by("pk")
        .values_list("from_status", "to_status")
    )
    # Every move that succeeded is in the history, chained from the one before.
    assert len(moves) == len(succeeded)
    assert moves[0][0] == Status.FORWARDED
    for (_, previous_to), (next_from, _) in itertools.pairwise(moves):
        assert previous_to == next_from
    assert issue.status == moves[-1][1]
    assert issue.version == 2 + len(succeeded)


def test_two_forms_from_the_same_version_save_one_and_refuse_the_other(staff_user, officer_user):
    issue = _issue(staff_user)
    seen = issue.version
    results = _run_together(
        lambda: services.issue_update(issue=issue, actor=officer_user, version=seen, note="ก"),
        lambda: services.issue_update(issue=issue, actor=staff_user, version=seen, note="ข"),
    )
    assert sum(isinstance(r, Issue) for r in results) == 1
    assert sum(isinstance(r, services.StaleIssue) for r in results) == 1
    assert IssueUpdate.objects.filter(issue=issue, kind="progress").count() == 1


def test_a_form_sent_twice_at_once_logs_one_issue(staff_user):
    data = {
        "priority": 2,
        "community": Community.objects.get(number=5).pk,
        "category": IssueCategory.objects.get(code="street_light").pk,
        "title": "ไฟดับซอย 3",
        "once": "the-same-one-time-token-0123",
    }

    def send():
        client = Client()
        client.force_login(staff_user)
        return client.post(reverse("issues:create"), data)

    results = _run_together(send, send)

    assert [r.status_code for r in results] == [302, 302]
    issue = Issue.objects.get()
    assert {r.url for r in results} == {issue.get_absolute_url()}
