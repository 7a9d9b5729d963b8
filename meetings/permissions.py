"""Who may see and change meetings; registered with ``accounts.permissions``."""

from accounts.permissions import is_admin, is_secretariat

from .models import Meeting


def meeting_visible(user, meeting: Meeting) -> bool:
    """Secretariat and admins see every meeting. Every other role sees a meeting once
    it was held: held, minutes approved or published. Its summary, decisions, issues
    raised and attendance are the record of a meeting every leader attends (SPEC §2);
    a draft is staff's work in progress."""
    return is_secretariat(user) or meeting.status != Meeting.Status.DRAFT


def minutes_readable(user, meeting: Meeting) -> bool:
    """The minutes PDF is the official document: staff print it at any time (a held
    meeting's is the draft the next meeting approves); every other role reads it once
    it is published."""
    return is_secretariat(user) or meeting.status == Meeting.Status.PUBLISHED


def meeting_changeable(user, meeting: Meeting) -> bool:
    """Secretariat and admins change a meeting until it is published; after that
    only admins, and each change is recorded."""
    if meeting.status == Meeting.Status.PUBLISHED:
        return is_admin(user)
    return is_secretariat(user)
