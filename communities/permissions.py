"""Who may see or change what: the one place that answers it.

Views, exports and PDFs ask these functions; hiding a link is never the check.
A user's role is their group (see ``Role``); superusers count as admins.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Community, Department, IssueCategory, Participant, Profile, Role

# Roles that work for the municipality and may see every community's data.
MUNICIPAL_ROLES = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.OFFICER, Role.FOLLOW_UP})


def user_roles(user) -> frozenset[Role]:
    """Return the roles of ``user``, cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached |= {Role.ADMIN}
        user._roles_cache = cached
    return cached


def primary_role(user) -> Role | None:
    """Return the role whose home page the user sees: the widest one they hold."""
    roles = user_roles(user)
    return next((role for role in Role if role in roles), None)


def has_role(user, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def is_secretariat(user) -> bool:
    """Staff who run the meeting; admins may do all they do."""
    return has_role(user, Role.ADMIN, Role.SECRETARIAT)


def profile_of(user) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def user_department(user) -> Department | None:
    profile = profile_of(user)
    return profile.department if profile else None


def user_community(user) -> Community | None:
    profile = profile_of(user)
    return profile.community if profile else None


Rule = Callable[[object, object], bool]
_VIEW_RULES: dict[type, Rule] = {}
_CHANGE_RULES: dict[type, Rule] = {}


def register_rules(model: type, *, view: Rule, change: Rule) -> None:
    """Let another app answer ``can_view``/``can_change`` for its own ``model``
    (called from its ``AppConfig.ready``), so callers still ask this one module."""
    _VIEW_RULES[model] = view
    _CHANGE_RULES[model] = change


def can_view(user, obj) -> bool:
    """Return whether ``user`` may see ``obj``."""
    roles = user_roles(user)
    if not roles:
        return False
    if type(obj) in _VIEW_RULES:
        return _VIEW_RULES[type(obj)](user, obj)
    if roles & MUNICIPAL_ROLES:
        return True
    # Community leaders: reference data is public to them; people only of their
    # own community, since participant records carry phone numbers.
    if isinstance(obj, Community | Department | IssueCategory):
        return True
    if isinstance(obj, Participant):
        community = user_community(user)
        return community is not None and obj.community_id == community.pk
    return False


def can_view_contacts(user, community: Community) -> bool:
    """Return whether ``user`` may see the phone and LINE contacts of ``community``."""
    if has_role(user, *MUNICIPAL_ROLES):
        return True
    own = user_community(user)
    return has_role(user, Role.LEADER) and own is not None and own.pk == community.pk


def can_change(user, obj) -> bool:
    """Return whether ``user`` may change ``obj``."""
    if not user_roles(user):
        return False
    if type(obj) in _CHANGE_RULES:
        return _CHANGE_RULES[type(obj)](user, obj)
    if is_admin(user):
        return True
    if isinstance(obj, Participant):
        return is_secretariat(user)
    return False


def role_required(*roles: Role):
    """Let only users holding one of ``roles`` into the view; others get 403,
    and anonymous users the login page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


ANY_ROLE = tuple(Role)
