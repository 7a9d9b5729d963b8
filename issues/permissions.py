"""Who may see and work on issues; registered with ``accounts.permissions``.

The scope of each role is defined here once; ``issues.selectors.visible_issues`` and
``visible_updates_q`` turn the same rules into querysets, so a page and a per-object
check cannot disagree."""

from django.db.models import Exists, OuterRef, Q

from accounts.models import Role
from accounts.permissions import has_role, is_secretariat, user_community, user_department

from .models import Issue, IssueUpdate, Status

# The history entries that are a department's own work on an issue: progress and
# status changes an officer posts, and accepting it. Handing an issue back says it is not the
# department's work; routing, receipt and surveys are other people's acts.
WORK_KINDS = (IssueUpdate.Kind.PROGRESS, IssueUpdate.Kind.TRANSITION, IssueUpdate.Kind.ACCEPTED)


def worked_by_q(department) -> Q:
    """Return a filter on issues that ``department`` worked on.

    An issue was *worked by* a department when an officer of it (a user in the
    officer group whose profile names that department) posted progress or a status
    change on it. Being routed there once and moved on before anyone of the
    department acted, or being handed back, is not work."""
    work = IssueUpdate.objects.filter(
        issue=OuterRef("pk"),
        kind__in=WORK_KINDS,
        actor__profile__department=department,
        actor__groups__name=Role.OFFICER.value,
    )
    return Q(Exists(work))


def officer_scope_q(department) -> Q:
    """Return a filter on the issues an officer of ``department`` may read: those
    routed to it now, and those it worked on (``worked_by_q``)."""
    return Q(department=department) | worked_by_q(department)


def issue_visible(user, issue: Issue) -> bool:
    """Staff and the follow-up team see every issue; an officer those routed to their
    department now or worked by it (``officer_scope_q``); a leader those of their
    community."""
    if is_secretariat(user) or has_role(user, Role.FOLLOW_UP):
        return True
    if has_role(user, Role.LEADER):
        community = user_community(user)
        if community is not None and issue.community_id == community.pk:
            return True
    if has_role(user, Role.OFFICER):
        department = user_department(user)
        if department is None:
            return False
        if issue.department_id == department.pk:
            return True
        return Issue.objects.filter(worked_by_q(department), pk=issue.pk).exists()
    return False


def is_officer_of(user, issue: Issue) -> bool:
    department = user_department(user)
    return (
        has_role(user, Role.OFFICER)
        and department is not None
        and issue.department_id == department.pk
    )


def issue_workable(user, issue: Issue) -> bool:
    """Return whether ``user`` may post progress or change the status of ``issue``."""
    if not issue.is_open and issue.status != Status.RESOLVED:
        return is_secretariat(user)
    return is_secretariat(user) or has_role(user, Role.FOLLOW_UP) or is_officer_of(user, issue)


def is_leader_of(user, issue: Issue) -> bool:
    """Return whether ``user`` is a community leader of ``issue``'s community."""
    if not has_role(user, Role.LEADER):
        return False
    community = user_community(user)
    return community is not None and issue.community_id == community.pk


def can_answer_fix(user, issue: Issue) -> bool:
    """A leader of the issue's community confirms a resolved issue fixed (closing it)
    or says it is not fixed (reopening it); nobody else answers for the community."""
    return issue.status == Status.RESOLVED and is_leader_of(user, issue)


def can_route(user, issue: Issue) -> bool:
    """Routing to a department, escalating and reassigning: staff and the follow-up team."""
    return issue.is_open and (is_secretariat(user) or has_role(user, Role.FOLLOW_UP))


def can_survey(user, issue: Issue) -> bool:
    return issue.is_open and (is_secretariat(user) or has_role(user, Role.FOLLOW_UP))


# An issue new to its department, which the department may still accept.
ACCEPTABLE_STATUSES = (Status.FORWARDED, Status.SURVEYED)


def can_accept(user, issue: Issue) -> bool:
    """Accepting an issue for its department ("ตอบรับเรื่อง"): an officer of the
    department it is routed to, or the follow-up team, the secretariat and admins on
    the department's behalf; only while it is new to the department and not yet
    accepted."""
    return (
        issue.department_id is not None
        and issue.accepted_at is None
        and issue.status in ACCEPTABLE_STATUSES
        and (is_secretariat(user) or has_role(user, Role.FOLLOW_UP) or is_officer_of(user, issue))
    )


def may_accept(user, issue: Issue) -> bool:
    """Return whether ``user`` is one of those who accept for ``issue``'s department,
    whatever the issue's state (the service then says why it cannot be accepted)."""
    return issue.department_id is not None and (
        is_secretariat(user) or has_role(user, Role.FOLLOW_UP) or is_officer_of(user, issue)
    )


def can_hand_back(user, issue: Issue) -> bool:
    """An officer hands an issue that is not their department's back to staff."""
    return is_officer_of(user, issue) and issue.status in (Status.FORWARDED, Status.SURVEYED)


def sees_all_internal_notes(user) -> bool:
    """The secretariat, admins and the follow-up team read every internal note."""
    return is_secretariat(user) or has_role(user, Role.FOLLOW_UP)


def sees_internal_notes(user, issue: Issue) -> bool:
    """Return whether ``user`` may read the internal (staff-only) notes of ``issue``:
    the secretariat, admins, the follow-up team and the officers of the department
    the issue is routed to now. Never leaders, nobody without a role, and nothing
    published (published outputs ask for public notes only)."""
    return sees_all_internal_notes(user) or is_officer_of(user, issue)


def update_visible(user, update: IssueUpdate) -> bool:
    return update.is_public or sees_internal_notes(user, update.issue)
