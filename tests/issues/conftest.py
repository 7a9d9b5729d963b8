import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from communities.models import Community, Department, IssueCategory
from issues import services
from issues.models import Issue, IssueUpdate, Status
from meetings import services as meeting_services
from meetings.models import Meeting

# How to bring a freshly forwarded issue into each status, as (actor, to_status, extra).
PATHS = {
    Status.FORWARDED: [],
    Status.SURVEYED: [("staff", Status.SURVEYED, {})],
    Status.IN_PROGRESS: [("staff", Status.IN_PROGRESS, {})],
    Status.PLANNED: [("staff", Status.PLANNED, {})],
    Status.REFERRED: [("staff", Status.REFERRED, {"referred_to": "PEA"})],
    Status.RESOLVED: [("staff", Status.IN_PROGRESS, {}), ("staff", Status.RESOLVED, {})],
    Status.CLOSED: [
        ("staff", Status.IN_PROGRESS, {}),
        ("staff", Status.RESOLVED, {}),
        ("staff", Status.CLOSED, {"note": "ชุมชนยืนยันแล้ว", "outcome": "fixed"}),
    ],
    Status.WITHDRAWN: [("staff", Status.WITHDRAWN, {"note": "ชุมชนขอถอนเรื่อง"})],
    Status.DUPLICATE: [("staff", Status.DUPLICATE, {"note": "ซ้ำ", "duplicate_of": "original"})],
}


def extra_arguments(extra: dict, issue: Issue) -> dict:
    """Turn the shorthand of ``PATHS`` into service arguments."""
    arguments = dict(extra)
    if arguments.get("referred_to"):
        arguments["referred_to"] = Department.objects.get(code=arguments["referred_to"])
    if arguments.get("duplicate_of") == "original":
        staff = get_user_model().objects.get(username="staff")
        arguments["duplicate_of"] = Issue.objects.exclude(pk=issue.pk).order_by("pk").first() or (
            _new(staff, community=issue.community)
        )
    return arguments


def _new(actor, *, community=None, category_code="road", title="ถนนชำรุดเป็นหลุมบ่อ", **fields):
    return services.issue_create(
        actor=actor,
        community=community or Community.objects.get(number=1),
        category=IssueCategory.objects.get(code=category_code),
        title=title,
        **fields,
    )


@pytest.fixture
def make_issue(staff_user, request):
    """Create an issue as staff do (routed by its category) and bring it to ``status``."""

    def make(status=Status.FORWARDED, *, community_number=1, category_code="road", **fields):
        community = Community.objects.get(number=community_number)
        issue = _new(staff_user, community=community, category_code=category_code, **fields)
        for actor_name, to_status, extra in PATHS[status]:
            actor = request.getfixturevalue(f"{actor_name}_user")
            arguments = extra_arguments(extra, issue)
            issue = services.issue_update(
                issue=issue, actor=actor, version=None, to_status=to_status, **arguments
            )
        return issue

    return make


@pytest.fixture
def received_issue(leader_user):
    """A leader's submission: awaiting a meeting, routed by its category when sent."""
    return services.issue_submit(
        actor=leader_user,
        category=IssueCategory.objects.get(code="drainage"),
        title="น้ำท่วมขังหน้าศาลาชุมชน",
        description="ท่วมทุกครั้งที่ฝนตก",
    )


@pytest.fixture
def unrouted_issue(leader_user):
    """An issue routed to nobody, in "received": a leader's submission from before
    submissions were routed when sent (and what an officer's hand-back leaves)."""
    issue = Issue(
        community=leader_user.profile.community,
        category=IssueCategory.objects.get(code="drainage"),
        title="น้ำท่วมขังหน้าศาลาชุมชน",
        awaiting_meeting=True,
        created_by=leader_user,
    )
    services._save_new(issue, actor=leader_user)
    return issue


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def yesterday(today):
    return today - datetime.timedelta(days=1)


def bulk_issues(
    count: int, *, staff_user, start: int = 0, communities=None, meeting=None
) -> list[Issue]:
    """Create ``count`` issues with two public notes each, without the services' cost:
    spread over ``communities`` (default: all), every category and four statuses."""
    communities = list(communities or Community.objects.all())
    categories = list(IssueCategory.objects.select_related("default_department"))
    now = timezone.now()
    statuses = [Status.FORWARDED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
    # Every issue names a meeting, so a missing join would show as one query per row.
    meeting = (
        meeting
        or Meeting.objects.first()
        or meeting_services.meeting_create(
            actor=staff_user, date=timezone.localdate(), venue="ห้องประชุม"
        )
    )
    issues = Issue.objects.bulk_create(
        Issue(
            fiscal_year=2570,
            number=n + 1,
            community=communities[n % len(communities)],
            category=categories[n % len(categories)],
            department=categories[n % len(categories)].default_department,
            title=f"ปัญหาที่ {n}",
            status=statuses[n % len(statuses)],
            outcome="fixed" if statuses[n % len(statuses)] == Status.CLOSED else "",
            target_date=timezone.localdate() - datetime.timedelta(days=n % 20 - 10),
            received_at=now - datetime.timedelta(days=n % 90),
            created_by=staff_user,
            meeting=meeting,
            channel="meeting",
        )
        for n in range(start, start + count)
    )
    IssueUpdate.objects.bulk_create(
        IssueUpdate(issue=issue, kind="progress", note=f"คืบหน้า {n}", actor=staff_user)
        for issue in issues
        for n in range(2)
    )
    return issues
