from django.conf import settings
from django.utils.translation import get_language

from accounts.permissions import is_admin, primary_role


def municipality(request):
    """Give every template the municipality's name in the current language and the
    user's role, which decides the navigation."""
    english = (get_language() or "").startswith("en")
    user = getattr(request, "user", None)
    return {
        "MUNICIPALITY_NAME": (
            settings.MUNICIPALITY_NAME_EN if english else settings.MUNICIPALITY_NAME
        ),
        "user_role": primary_role(user) if user else None,
        "user_is_admin": is_admin(user) if user else False,
    }
