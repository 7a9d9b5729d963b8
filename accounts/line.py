"""Who a user is on LINE, as LINE Login told us when they linked their account.

The LINE account is linked through django-allauth's LINE provider: one
``SocialAccount`` with ``provider="line"`` and the LINE user id as ``uid``.
"""

from allauth.socialaccount.models import SocialAccount

LINE_PROVIDER = "line"


def line_user_id(user) -> str | None:
    """Return the LINE user id (``U`` followed by 32 hex digits) of ``user``'s linked
    LINE account, or ``None`` when they have not linked one (or are not signed in).

    This is the id LINE Login returns. The Messaging API gives a person the same id
    only when the LINE Login channel and the Messaging API channel belong to the
    same LINE provider (in the LINE Developers console); across providers the ids of
    one person differ, and a push to this id would reach nobody.
    """
    if user is None or not getattr(user, "pk", None):
        return None
    return (
        SocialAccount.objects.filter(user_id=user.pk, provider=LINE_PROVIDER)
        .order_by("pk")
        .values_list("uid", flat=True)
        .first()
    )


def line_display_name(user) -> str | None:
    """Return the LINE display name ``user``'s linked account had when they last
    signed in with it or linked it, or ``None`` without a linked account."""
    if user is None or not getattr(user, "pk", None):
        return None
    account = (
        SocialAccount.objects.filter(user_id=user.pk, provider=LINE_PROVIDER)
        .order_by("pk")
        .only("extra_data")
        .first()
    )
    if account is None:
        return None
    return (account.extra_data or {}).get("displayName") or ""


def line_account_unlink(*, user) -> bool:
    """Remove the link between ``user`` and their LINE account, with the LINE user id
    and name kept for it. Return whether there was one."""
    deleted, _ = SocialAccount.objects.filter(user_id=user.pk, provider=LINE_PROVIDER).delete()
    return bool(deleted)
