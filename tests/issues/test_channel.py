"""Each issue records the channel it came through: the complaint statistics count by it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from communities.models import Community, IssueCategory
from issues import services
from issues.models import Channel
from meetings import services as meeting_services

# The reference data stays at its latest state: only the issues app goes back.
REFERENCE = ("communities", "0006_category_target_days")
BEFORE = [("issues", "0007_closed_issues_fixed"), REFERENCE]
AFTER = [("issues", "0008_issue_channel"), REFERENCE]


@pytest.mark.django_db
def test_the_services_record_the_channel(staff_user, received_issue):
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้องประชุม"
    )
    road = IssueCategory.objects.get(code="road")
    community = Community.objects.get(number=1)
    at_meeting = services.issue_create(
        actor=staff_user, community=community, category=road, title="ถนนชำรุด", meeting=meeting
    )
    logged = services.issue_create(
        actor=staff_user, community=community, category=road, title="ถนนชำรุด"
    )
    assert (at_meeting.channel, logged.channel) == (Channel.MEETING, Channel.STAFF)
    assert received_issue.channel == Channel.ONLINE
    # Put on a meeting's agenda, a leader's submission still came online.
    confirmed = services.issue_confirm(issue=received_issue, actor=staff_user, meeting=meeting)
    assert confirmed.channel == Channel.ONLINE
    assert confirmed.meeting == meeting


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_channel_from_what_the_rows_say(staff_user):
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=datetime.date(2026, 3, 4), venue="ห้องประชุม"
    )
    apps = _migrate(BEFORE)
    try:
        Issue = apps.get_model("issues", "Issue")
        IssueUpdate = apps.get_model("issues", "IssueUpdate")
        community = apps.get_model("communities", "Community").objects.first()
        category = apps.get_model("communities", "IssueCategory").objects.first()
        at = timezone.make_aware(datetime.datetime(2026, 3, 4, 10))

        def issue(number, **fields):
            return Issue.objects.create(
                fiscal_year=2569,
                number=number,
                community=community,
                category=category,
                title=f"ปัญหาที่ {number}",
                received_at=at,
                **fields,
            ).pk

        awaiting = issue(1, awaiting_meeting=True)
        confirmed = issue(2, meeting_id=meeting.pk)
        IssueUpdate.objects.create(issue_id=confirmed, kind="confirmed", created_at=at)
        at_meeting = issue(3, meeting_id=meeting.pk)
        logged = issue(4)

        Issue = _migrate(AFTER).get_model("issues", "Issue")
        channels = dict(Issue.objects.values_list("pk", "channel"))
        assert channels == {
            awaiting: "online",
            confirmed: "online",
            at_meeting: "meeting",
            logged: "staff",
        }
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
