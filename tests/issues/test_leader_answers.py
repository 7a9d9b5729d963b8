"""A community leader confirms a fix or says it is not fixed (SPEC §3): the
services the issue page and the LINE answers both call."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from issues import services
from issues.models import IssueUpdate, Outcome, Status
from issues.permissions import can_answer_fix
from reports import kpis
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def jpeg(name="still-flooded.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _resolved_count(issue) -> int:
    today = timezone.localdate()
    figures = kpis.indicators(
        start=timezone.localtime(issue.received_at).date(), end=today, as_of=today
    )
    return figures.resolved


@pytest.fixture
def other_leader(reference_data):
    return make_user(username="leader2", role="leader", community_number=2)


def test_a_leader_confirms_the_fix_and_the_issue_closes_as_fixed(make_issue, leader_user):
    issue = make_issue(Status.RESOLVED)
    history = issue.updates.count()

    issue = services.leader_confirm_fix(issue=issue, actor=leader_user, version=issue.version)

    issue.refresh_from_db()
    assert (issue.status, issue.outcome) == (Status.CLOSED, Outcome.FIXED)
    assert issue.ended_at is not None and issue.resolved_at is not None
    assert issue.updates.count() == history + 1
    entry = issue.updates.last()
    assert (entry.kind, entry.from_status, entry.to_status) == (
        IssueUpdate.Kind.TRANSITION,
        Status.RESOLVED,
        Status.CLOSED,
    )
    assert (entry.actor, entry.outcome, entry.is_public) == (leader_user, Outcome.FIXED, True)


def test_a_leaders_fixed_counts_as_resolved(make_issue, leader_user):
    issue = make_issue(Status.RESOLVED)
    services.leader_confirm_fix(issue=issue, actor=leader_user)

    assert _resolved_count(issue) == 1


def test_a_leader_disputes_the_fix_and_the_issue_reopens_with_the_reason(make_issue, leader_user):
    issue = make_issue(Status.RESOLVED)
    assert _resolved_count(issue) == 1

    issue = services.leader_dispute_fix(
        issue=issue,
        actor=leader_user,
        reason="ฝนตกเมื่อวานน้ำยังท่วมขังเหมือนเดิม",
        photos=[jpeg()],
        version=issue.version,
    )

    issue.refresh_from_db()
    assert issue.status == Status.IN_PROGRESS
    assert issue.resolved_at is None
    entry = issue.updates.last()
    assert (entry.from_status, entry.to_status, entry.actor) == (
        Status.RESOLVED,
        Status.IN_PROGRESS,
        leader_user,
    )
    assert entry.note == "ฝนตกเมื่อวานน้ำยังท่วมขังเหมือนเดิม"
    assert entry.is_public
    assert entry.photos.count() == 1
    # Reopened: no longer resolved in the indicators.
    assert _resolved_count(issue) == 0


def test_a_dispute_without_a_photo_is_fine(make_issue, leader_user):
    issue = services.leader_dispute_fix(
        issue=make_issue(Status.RESOLVED), actor=leader_user, reason="ยังไม่ได้ซ่อม"
    )
    assert issue.status == Status.IN_PROGRESS


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_dispute_needs_a_reason(make_issue, leader_user, reason):
    issue = make_issue(Status.RESOLVED)
    history = issue.updates.count()

    with pytest.raises(ValidationError) as refused:
        services.leader_dispute_fix(issue=issue, actor=leader_user, reason=reason)

    assert "reason" in refused.value.message_dict
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED
    assert issue.updates.count() == history


def test_a_fake_photo_on_a_dispute_saves_nothing(make_issue, leader_user, settings):
    issue = make_issue(Status.RESOLVED)
    history = issue.updates.count()
    fake = SimpleUploadedFile("pipe.jpg", b"GIF89a not really", content_type="image/jpeg")

    with pytest.raises(ValidationError) as refused:
        services.leader_dispute_fix(
            issue=issue, actor=leader_user, reason="ยังไม่ได้ซ่อม", photos=[fake]
        )

    assert "pipe.jpg" in str(refused.value)
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED
    assert issue.updates.count() == history
    assert not list((settings.MEDIA_ROOT).glob("**/*.jpg"))


def test_a_dispute_takes_at_most_five_photos(make_issue, leader_user):
    issue = make_issue(Status.RESOLVED)
    with pytest.raises(ValidationError):
        services.leader_dispute_fix(
            issue=issue,
            actor=leader_user,
            reason="ยังไม่ได้ซ่อม",
            photos=[jpeg(f"{n}.jpg") for n in range(6)],
        )
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED


@pytest.mark.parametrize(
    "actor_fixture",
    ["other_leader", "officer_user", "kpt_user", "staff_user", "admin_user", "no_role_user"],
)
def test_only_a_leader_of_the_community_answers(make_issue, request, actor_fixture):
    actor = request.getfixturevalue(actor_fixture)
    issue = make_issue(Status.RESOLVED)
    history = issue.updates.count()

    assert not can_answer_fix(actor, issue)
    with pytest.raises(PermissionDenied):
        services.leader_confirm_fix(issue=issue, actor=actor)
    with pytest.raises(PermissionDenied):
        services.leader_dispute_fix(issue=issue, actor=actor, reason="ยังไม่ได้ซ่อม")

    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED
    assert issue.updates.count() == history


def test_a_leader_without_a_community_cannot_answer(make_issue, reference_data):
    stray = make_user(username="stray", role="leader")
    issue = make_issue(Status.RESOLVED)
    assert not can_answer_fix(stray, issue)
    with pytest.raises(PermissionDenied):
        services.leader_confirm_fix(issue=issue, actor=stray)


@pytest.mark.parametrize("status", [Status.FORWARDED, Status.IN_PROGRESS, Status.CLOSED])
def test_only_a_resolved_issue_is_answered(make_issue, leader_user, status):
    issue = make_issue(status)
    history = issue.updates.count()

    assert not can_answer_fix(leader_user, issue)
    with pytest.raises(ValidationError):
        services.leader_confirm_fix(issue=issue, actor=leader_user)
    with pytest.raises(ValidationError):
        services.leader_dispute_fix(issue=issue, actor=leader_user, reason="ยังไม่ได้ซ่อม")

    issue.refresh_from_db()
    assert issue.status == status
    assert issue.updates.count() == history


def test_the_leader_of_the_community_may_answer_a_resolved_issue(make_issue, leader_user):
    assert can_answer_fix(leader_user, make_issue(Status.RESOLVED))


def test_a_stale_answer_changes_nothing(make_issue, leader_user, staff_user):
    issue = make_issue(Status.RESOLVED)
    seen = issue.version
    services.issue_update(issue=issue, actor=staff_user, version=seen, note="ตรวจสอบแล้ว")
    history = issue.updates.count()

    with pytest.raises(services.StaleIssue):
        services.leader_confirm_fix(issue=issue, actor=leader_user, version=seen)
    with pytest.raises(services.StaleIssue):
        services.leader_dispute_fix(issue=issue, actor=leader_user, reason="ยัง", version=seen)

    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED
    assert issue.updates.count() == history


def test_answering_twice_records_one_answer(make_issue, leader_user):
    """The LINE postback may arrive twice: the second answer is refused."""
    issue = make_issue(Status.RESOLVED)
    services.leader_confirm_fix(issue=issue, actor=leader_user)
    history = issue.updates.count()

    with pytest.raises(ValidationError):
        services.leader_confirm_fix(issue=issue, actor=leader_user)
    with pytest.raises(ValidationError):
        services.leader_dispute_fix(issue=issue, actor=leader_user, reason="ยัง")

    issue.refresh_from_db()
    assert (issue.status, issue.updates.count()) == (Status.CLOSED, history)


def test_a_reopened_issue_resolved_again_can_be_confirmed(make_issue, leader_user, staff_user):
    issue = make_issue(Status.RESOLVED)
    issue = services.leader_dispute_fix(issue=issue, actor=leader_user, reason="ยังรั่ว")
    issue = services.issue_update(
        issue=issue, actor=staff_user, version=issue.version, to_status=Status.RESOLVED
    )
    assert _resolved_count(issue) == 1
    issue = services.leader_confirm_fix(issue=issue, actor=leader_user, version=issue.version)
    assert (issue.status, issue.outcome) == (Status.CLOSED, Outcome.FIXED)
    assert _resolved_count(issue) == 1


def test_a_second_answer_from_an_old_page_says_the_leader_already_answered(
    make_issue, leader_user, other_leader, client
):
    issue = make_issue(Status.RESOLVED)
    seen = issue.version
    services.leader_dispute_fix(issue=issue, actor=leader_user, reason="ยังรั่ว", version=seen)
    history = issue.updates.count()

    # The same leader sends the form again from the page opened before the answer.
    client.force_login(leader_user)
    response = client.post(f"/issues/{issue.pk}/not-fixed/", {"version": seen, "reason": "ยังรั่วอยู่"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "ท่านตอบเรื่องนี้แล้วเมื่อ" in page
    assert "มีผู้อื่นปรับปรุง" not in page
    issue.refresh_from_db()
    assert (issue.status, issue.updates.count()) == (Status.IN_PROGRESS, history)

    # Another leader of the community is told the issue no longer waits for an answer.
    with pytest.raises(ValidationError) as refused:
        services.leader_confirm_fix(
            issue=issue,
            actor=make_user(username="leader1b", role="leader", community_number=1),
            version=seen,
        )
    assert "แล้วเมื่อ" not in str(refused.value)
