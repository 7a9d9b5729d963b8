"""The issue workflow: which status may follow which, and who may make each move.

This is the one place these rules live; services and views ask it.
"""

from accounts.models import Role
from accounts.permissions import user_roles

from .models import Status

# Each status and the statuses it may move to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.FORWARDED, Status.DUPLICATE, Status.WITHDRAWN),
    Status.FORWARDED: (
        Status.SURVEYED,
        Status.IN_PROGRESS,
        Status.PLANNED,
        Status.REFERRED,
        Status.RESOLVED,
        Status.DUPLICATE,
        Status.WITHDRAWN,
    ),
    Status.SURVEYED: (
        Status.IN_PROGRESS,
        Status.PLANNED,
        Status.REFERRED,
        Status.RESOLVED,
        Status.WITHDRAWN,
    ),
    Status.IN_PROGRESS: (Status.RESOLVED, Status.PLANNED, Status.REFERRED),
    Status.PLANNED: (Status.IN_PROGRESS, Status.REFERRED, Status.WITHDRAWN),
    Status.REFERRED: (Status.IN_PROGRESS, Status.RESOLVED),
    # Reopened when the community says it is not fixed; closed once they confirm it is.
    Status.RESOLVED: (Status.CLOSED, Status.IN_PROGRESS),
    Status.CLOSED: (),
    Status.DUPLICATE: (),
    Status.WITHDRAWN: (),
}

# What each role may move an issue to (the secretariat and admins: anything).
# Officers work the issue; the follow-up team surveys, reopens and confirms fixes.
OFFICER_TARGETS = frozenset({Status.IN_PROGRESS, Status.PLANNED, Status.REFERRED, Status.RESOLVED})
FOLLOW_UP_TARGETS = frozenset({Status.SURVEYED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED})


def next_statuses(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def allowed_targets(user, status: str) -> list[str]:
    """Return the statuses ``user`` may move an issue in ``status`` to, by role alone;
    whether the issue is theirs to change is ``issues.permissions``' question."""
    roles = user_roles(user)
    if roles & {Role.ADMIN, Role.SECRETARIAT}:
        permitted = set(Status.values)
    else:
        permitted = set()
        if Role.OFFICER in roles:
            permitted |= OFFICER_TARGETS
        if Role.FOLLOW_UP in roles:
            permitted |= FOLLOW_UP_TARGETS
    return [target for target in next_statuses(status) if target in permitted]
