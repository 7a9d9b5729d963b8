"""Reads of the accounts app."""

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.line import LINE_PROVIDER
from accounts.models import Role


def user_list(*, search: str = "") -> QuerySet:
    """Return every user, active ones first, with what the list shows of them:
    ``line_linked`` says whether they linked a LINE account."""
    users = (
        get_user_model()
        .objects.select_related("profile__department", "profile__community")
        .prefetch_related("groups")
        .annotate(
            line_linked=Exists(
                SocialAccount.objects.filter(user=OuterRef("pk"), provider=LINE_PROVIDER)
            )
        )
        .order_by("-is_active", "username")
    )
    search = search.strip()
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    return users


def user_role(user) -> Role | None:
    """Return the role ``user`` holds, whether or not the account is active: the
    widest of their groups, and admin for a superuser."""
    if user.is_superuser:
        return Role.ADMIN
    names = {group.name for group in user.groups.all()}
    return next((role for role in Role if role.value in names), None)
