"""Who may see and change the reference data; registered with ``accounts.permissions``.

Reference data is public to every role. Participant records carry phone numbers:
municipal staff see them all, a community leader only those of their own community.
"""

from accounts.models import Role
from accounts.permissions import MUNICIPAL_ROLES, has_role, is_admin, is_secretariat, user_community

from .models import Community


def reference_visible(user, obj) -> bool:
    """Communities, departments and categories: any role (``can_view`` has checked
    that the user holds one)."""
    return True


def reference_changeable(user, obj) -> bool:
    return is_admin(user)


def participant_visible(user, participant) -> bool:
    if has_role(user, *MUNICIPAL_ROLES):
        return True
    community = user_community(user)
    return community is not None and participant.community_id == community.pk


def participant_changeable(user, participant) -> bool:
    return is_secretariat(user)


def can_view_contacts(user, community: Community) -> bool:
    """Return whether ``user`` may see the phone and LINE contacts of ``community``."""
    if has_role(user, *MUNICIPAL_ROLES):
        return True
    own = user_community(user)
    return has_role(user, Role.LEADER) and own is not None and own.pk == community.pk
