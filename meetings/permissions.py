"""Who may see and change meetings; registered with ``accounts.permissions``."""

from accounts.permissions import is_admin, is_secretariat

from .models import Meeting


def meeting_visible(user, meeting: Meeting) -> bool:
    """Secretariat and admins see every meeting; everyone else only published ones."""
    return is_secretariat(user) or meeting.status == Meeting.Status.PUBLISHED


def meeting_changeable(user, meeting: Meeting) -> bool:
    """Secretariat and admins change a meeting until it is published; after that
    only admins, and each change is recorded."""
    if meeting.status == Meeting.Status.PUBLISHED:
        return is_admin(user)
    return is_secretariat(user)
