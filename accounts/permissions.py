"""Who may see or change what: the one place that answers it.

Views, exports and PDFs ask ``can_view`` and ``can_change``; hiding a link is never
the check. A user's role is their group (see ``Role``); superusers count as admins.
Each app adds the rules for its own models here (``register_rules``, from its
``AppConfig.ready``): communities, meetings and issues do.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Profile, Role

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
    """Return the user's profile, read once a request with its department and
    community: one query instead of one for each."""
    descriptor = getattr(user.__class__, "profile", None)  # request.user is a lazy proxy
    related = getattr(descriptor, "related", None)
    if related is not None and user.pk is not None and not related.is_cached(user):
        try:
            profile = Profile.objects.select_related("department", "community").get(user=user)
        except Profile.DoesNotExist:
            profile = None
        else:
            Profile.user.field.set_cached_value(profile, user)
        related.set_cached_value(user, profile)
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def user_department(user):
    """Return the department (``communities.Department``) ``user`` works in, if any."""
    profile = profile_of(user)
    return profile.department if profile else None


def user_community(user):
    """Return the community (``communities.Community``) ``user`` leads, if any."""
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
    """Return whether ``user`` may see ``obj``: by the rule registered for its model,
    otherwise municipal staff only."""
    roles = user_roles(user)
    if not roles:
        return False
    if type(obj) in _VIEW_RULES:
        return _VIEW_RULES[type(obj)](user, obj)
    return bool(roles & MUNICIPAL_ROLES)


def can_change(user, obj) -> bool:
    """Return whether ``user`` may change ``obj``: by the rule registered for its
    model, otherwise admins only."""
    if not user_roles(user):
        return False
    if type(obj) in _CHANGE_RULES:
        return _CHANGE_RULES[type(obj)](user, obj)
    return is_admin(user)


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
