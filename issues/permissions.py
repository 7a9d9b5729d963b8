"""Who may see and work on issues; registered with ``communities.permissions``."""

from communities.models import Role
from communities.permissions import (
    has_role,
    is_secretariat,
    user_community,
    user_department,
)

from .models import Issue, IssueUpdate, Status


def issue_visible(user, issue: Issue) -> bool:
    """Staff and the follow-up team see every issue; an officer those routed to their
    department; a leader those of their community."""
    if is_secretariat(user) or has_role(user, Role.FOLLOW_UP):
        return True
    if has_role(user, Role.OFFICER):
        department = user_department(user)
        if department is not None and issue.department_id == department.pk:
            return True
    if has_role(user, Role.LEADER):
        community = user_community(user)
        if community is not None and issue.community_id == community.pk:
            return True
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


def can_route(user, issue: Issue) -> bool:
    """Routing to a department, escalating and reassigning: staff and the follow-up team."""
    return issue.is_open and (is_secretariat(user) or has_role(user, Role.FOLLOW_UP))


def can_survey(user, issue: Issue) -> bool:
    return issue.is_open and (is_secretariat(user) or has_role(user, Role.FOLLOW_UP))


def can_hand_back(user, issue: Issue) -> bool:
    """An officer hands an issue that is not their department's back to staff."""
    return is_officer_of(user, issue) and issue.status in (Status.FORWARDED, Status.SURVEYED)


def sees_internal_notes(user) -> bool:
    return not has_role(user, Role.LEADER) or has_role(
        user, Role.ADMIN, Role.SECRETARIAT, Role.OFFICER, Role.FOLLOW_UP
    )


def update_visible(user, update: IssueUpdate) -> bool:
    return update.is_public or sees_internal_notes(user)


def can_read_dashboard(user) -> bool:
    """The city's indicators: executives and admins, the secretariat and the follow-up team."""
    return has_role(user, Role.ADMIN, Role.SECRETARIAT, Role.FOLLOW_UP)


def can_read_monthly_summary(user) -> bool:
    return is_secretariat(user)


def can_read_department_report(user, department) -> bool:
    if has_role(user, Role.ADMIN, Role.SECRETARIAT, Role.FOLLOW_UP):
        return True
    own = user_department(user)
    return has_role(user, Role.OFFICER) and own is not None and own.pk == department.pk


def can_read_community_report(user, community) -> bool:
    if has_role(user, Role.ADMIN, Role.SECRETARIAT, Role.FOLLOW_UP, Role.OFFICER):
        return True
    own = user_community(user)
    return has_role(user, Role.LEADER) and own is not None and own.pk == community.pk
