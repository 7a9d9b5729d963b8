"""Who may read which report; the pages and their PDFs ask these."""

from django.conf import settings

from accounts.models import Role
from accounts.permissions import has_role, user_community, user_department


def can_read_dashboard(user) -> bool:
    """The city's indicators: executives and admins, the secretariat and the follow-up team."""
    return has_role(user, Role.ADMIN, Role.SECRETARIAT, Role.FOLLOW_UP)


def can_read_monthly_summary(user) -> bool:
    """The monthly summaries the dashboard links to: the dashboard's readers."""
    return can_read_dashboard(user)


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


def can_read_open_data(user) -> bool:
    """The published statistics: whoever ``OPEN_DATA_AUDIENCE`` names; by default the
    readers of the dashboard."""
    if settings.OPEN_DATA_AUDIENCE == "public":
        return True
    if settings.OPEN_DATA_AUDIENCE == "signed_in":
        return user.is_authenticated and user.is_active
    return can_read_dashboard(user)
