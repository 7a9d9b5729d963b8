import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities.models import Department
from issues import services, workflow
from issues.models import ENDED_STATUSES, Status

from .conftest import extra_arguments

pytestmark = pytest.mark.django_db

ALLOWED = [
    (source, target) for source, targets in workflow.TRANSITIONS.items() for target in targets
]
# For each status, a move the workflow must refuse.
REFUSED = {
    Status.RECEIVED: Status.CLOSED,
    Status.FORWARDED: Status.CLOSED,
    Status.SURVEYED: Status.CLOSED,
    Status.IN_PROGRESS: Status.CLOSED,
    Status.PLANNED: Status.RESOLVED,
    Status.REFERRED: Status.CLOSED,
    Status.RESOLVED: Status.PLANNED,
    Status.CLOSED: Status.IN_PROGRESS,
    Status.DUPLICATE: Status.IN_PROGRESS,
    Status.WITHDRAWN: Status.FORWARDED,
}
NEEDS = {
    Status.REFERRED: {"referred_to": "PEA"},
    Status.DUPLICATE: {"duplicate_of": "original", "note": "ซ้ำกับเรื่องเดิม"},
    Status.CLOSED: {"note": "ชุมชนยืนยันแล้ว", "outcome": "fixed"},
    Status.WITHDRAWN: {"note": "ชุมชนถอนเรื่อง"},
}


def _in_status(status, make_issue, unrouted_issue):
    if status == Status.RECEIVED:
        return unrouted_issue
    return make_issue(status)


def test_every_status_has_a_refused_move():
    assert set(REFUSED) == set(Status.values)
    for status, target in REFUSED.items():
        assert target not in workflow.TRANSITIONS[status]


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_transition_is_made_and_recorded(
    source, target, make_issue, unrouted_issue, admin_user
):
    issue = _in_status(source, make_issue, unrouted_issue)
    before = issue.updates.count()
    arguments = extra_arguments(NEEDS.get(target, {}), issue)
    if source == Status.RESOLVED and target == Status.IN_PROGRESS:
        arguments["note"] = "ชุมชนแจ้งว่ายังไม่ได้แก้ไข"

    issue = services.issue_update(
        issue=issue, actor=admin_user, version=issue.version, to_status=target, **arguments
    )

    issue.refresh_from_db()
    assert issue.status == target
    last = issue.updates.order_by("-pk").first()
    assert (last.from_status, last.to_status, last.actor) == (source, target, admin_user)
    assert issue.updates.count() == before + 1
    assert (issue.ended_at is not None) == (target in ENDED_STATUSES)


@pytest.mark.parametrize("source", list(REFUSED))
def test_a_move_outside_the_workflow_is_refused_and_nothing_changes(
    source, make_issue, unrouted_issue, admin_user
):
    issue = _in_status(source, make_issue, unrouted_issue)
    history = issue.updates.count()

    with pytest.raises(ValidationError, match="เปลี่ยนเป็น"):
        services.issue_update(
            issue=issue,
            actor=admin_user,
            version=issue.version,
            to_status=REFUSED[source],
            note="x",
        )

    issue.refresh_from_db()
    assert issue.status == source
    assert issue.updates.count() == history


def test_officer_accepts_works_and_resolves_their_departments_issue(
    make_issue, officer_user, today
):
    issue = make_issue()
    assert issue.department.code == "ENG"
    target = today + datetime.timedelta(days=30)

    issue = services.issue_update(
        issue=issue,
        actor=officer_user,
        version=issue.version,
        to_status=Status.IN_PROGRESS,
        target_date=target,
        target_reason="รอวัสดุ",
        note="รับเรื่อง จะซ่อมภายใน 30 วัน",
    )
    issue = services.issue_update(
        issue=issue,
        actor=officer_user,
        version=issue.version,
        to_status=Status.RESOLVED,
        note="ซ่อมแล้ว",
    )

    assert issue.status == Status.RESOLVED
    assert issue.target_date == target
    assert issue.first_response_at is not None
    assert issue.resolved_at is not None


def test_officer_cannot_close_or_withdraw(make_issue, officer_user):
    resolved = make_issue(Status.RESOLVED)
    with pytest.raises(PermissionDenied):
        services.issue_update(
            issue=resolved, actor=officer_user, version=None, to_status=Status.CLOSED, note="ปิด"
        )
    forwarded = make_issue()
    with pytest.raises(PermissionDenied):
        services.issue_update(
            issue=forwarded, actor=officer_user, version=None, to_status=Status.WITHDRAWN, note="x"
        )
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_officer_of_another_department_changes_nothing(make_issue, officer_user):
    issue = make_issue(category_code="garbage")  # routed to public health
    assert issue.department.code == "HEALTH"
    with pytest.raises(PermissionDenied):
        services.issue_update(
            issue=issue, actor=officer_user, version=None, to_status=Status.IN_PROGRESS
        )
    with pytest.raises(PermissionDenied):
        services.issue_update(issue=issue, actor=officer_user, version=None, note="แอบแก้")
    issue.refresh_from_db()
    assert issue.status == Status.FORWARDED
    assert issue.updates.count() == 2


def test_follow_up_team_confirms_a_fix_and_reopens(make_issue, kpt_user):
    issue = make_issue(Status.RESOLVED)
    with pytest.raises(ValidationError):
        services.issue_update(
            issue=issue, actor=kpt_user, version=None, to_status=Status.IN_PROGRESS
        )
    issue = services.issue_update(
        issue=issue,
        actor=kpt_user,
        version=None,
        to_status=Status.IN_PROGRESS,
        note="ชุมชนแจ้งว่าน้ำยังท่วม",
    )
    assert issue.status == Status.IN_PROGRESS
    issue = services.issue_update(
        issue=issue, actor=kpt_user, version=None, to_status=Status.RESOLVED
    )
    issue = services.issue_update(
        issue=issue,
        actor=kpt_user,
        version=None,
        to_status=Status.CLOSED,
        note="ชุมชนยืนยัน",
        outcome="fixed",
    )
    assert issue.status == Status.CLOSED


def test_leaders_cannot_change_issues(make_issue, leader_user):
    issue = make_issue()
    with pytest.raises(PermissionDenied):
        services.issue_update(issue=issue, actor=leader_user, version=None, note="ช่วยด้วย")


def test_a_stale_form_is_refused_and_nothing_is_saved(make_issue, officer_user, staff_user):
    issue = make_issue()
    seen = issue.version
    services.issue_update(issue=issue, actor=staff_user, version=seen, note="ประสานแล้ว")

    with pytest.raises(services.StaleIssue):
        services.issue_update(
            issue=issue, actor=officer_user, version=seen, to_status=Status.IN_PROGRESS
        )
    issue.refresh_from_db()
    assert issue.status == Status.FORWARDED
    assert issue.updates.filter(actor=officer_user).count() == 0


def test_duplicate_names_the_original_and_referral_an_outside_agency(make_issue, staff_user):
    original = make_issue()
    issue = make_issue()
    with pytest.raises(ValidationError):
        services.issue_update(
            issue=issue, actor=staff_user, version=None, to_status=Status.DUPLICATE, note="ซ้ำ"
        )
    with pytest.raises(ValidationError):
        services.issue_update(
            issue=issue,
            actor=staff_user,
            version=None,
            to_status=Status.REFERRED,
            referred_to=Department.objects.get(code="ENG"),
        )
    issue = services.issue_update(
        issue=issue,
        actor=staff_user,
        version=None,
        to_status=Status.DUPLICATE,
        duplicate_of=original,
        note="ซ้ำกับเรื่องเดิม",
    )
    assert issue.duplicate_of == original


def test_a_progress_note_needs_content(make_issue, staff_user):
    issue = make_issue()
    with pytest.raises(ValidationError):
        services.issue_update(issue=issue, actor=staff_user, version=None, note="   ")
