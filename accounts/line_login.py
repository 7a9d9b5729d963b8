"""Signing in with LINE (LINE Login, through django-allauth's LINE provider).

The password login stays the main one; allauth serves only LINE. A signed-in user
links their LINE account from their profile page (allauth's ``process=connect``);
from then on LINE signs in that user. LINE never creates a user: an account that
nobody linked is refused with a message. Every outcome that is not a plain
success is written to this module's log, without tokens.

The LINE channel is built from the settings ``LINE_LOGIN_CHANNEL_ID`` and
``LINE_LOGIN_CHANNEL_SECRET``; without both, no LINE button is shown and the LINE
pages only say that LINE is not set up.
"""

import logging
from functools import wraps

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.base import AuthError, AuthProcess
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .line import LINE_PROVIDER

logger = logging.getLogger(__name__)

# Of what LINE's profile gives (user id, display name, picture, status message),
# only what the system uses is kept: who the person is and the name they see.
KEPT_PROFILE_FIELDS = ("userId", "displayName")


def line_login_configured() -> bool:
    """Return whether a LINE Login channel is set up (both its id and secret)."""
    return bool(settings.LINE_LOGIN_CHANNEL_ID and settings.LINE_LOGIN_CHANNEL_SECRET)


def _back_to(request) -> str:
    """The page a LINE attempt returns to: the profile page of a signed-in user,
    where linking starts, otherwise the login page."""
    if request.user.is_authenticated:
        return reverse("profile:page")
    return reverse("login")


def _refuse(request, message: str, *, level: int = messages.ERROR):
    """Stop the LINE flow with ``message`` and send the user back."""
    messages.add_message(request, level, message)
    raise ImmediateHttpResponse(HttpResponseRedirect(_back_to(request)))


def line_view(view):
    """Let allauth's LINE view run only when LINE Login is set up; otherwise say so.
    The login view takes only a POST (the button's form), so a link cannot start it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not line_login_configured():
            messages.error(request, _("Signing in with LINE is not set up."))
            return HttpResponseRedirect(_back_to(request))
        return view(request, *args, **kwargs)

    return wrapper


def line_start_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseRedirect(_back_to(request))
        return view(request, *args, **kwargs)

    return line_view(wrapper)


def _kept_profile(extra_data) -> dict:
    return {key: extra_data[key] for key in KEPT_PROFILE_FIELDS if key in (extra_data or {})}


# What allauth says after linking, in the system's words (allauth names each message
# by the template that renders it).
_MESSAGES = {
    "socialaccount/messages/account_connected.txt": (
        messages.SUCCESS,
        lambda: _("Your LINE account is linked. You can now sign in with LINE."),
    ),
    "socialaccount/messages/account_connected_updated.txt": (
        messages.INFO,
        lambda: _("This LINE account was already linked to your account."),
    ),
    "socialaccount/messages/account_connected_other.txt": (
        messages.ERROR,
        lambda: _(
            "This LINE account is already linked to another user of the system; "
            "it was not linked to yours."
        ),
    ),
}


class LineAccountAdapter(DefaultAccountAdapter):
    """allauth's account side, reduced to logging in a user LINE identified."""

    def is_open_for_signup(self, request):
        return False

    def respond_user_inactive(self, request, user):
        logger.info("LINE sign-in refused: user %s is deactivated", user.pk)
        messages.error(
            request,
            _("This account is deactivated and cannot sign in. Ask an administrator."),
        )
        return HttpResponseRedirect(reverse("login"))

    def add_message(
        self,
        request,
        level,
        message_template=None,
        message_context=None,
        extra_tags="",
        message=None,
    ):
        # allauth's other notices ("signed in as …") are not shown: the password
        # login shows none either.
        if message_template in _MESSAGES:
            level, text = _MESSAGES[message_template]
            messages.add_message(request, level, text(), extra_tags=extra_tags)


class LineSocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's social side: the LINE channel from the settings, no sign-up, a
    clear message for every refusal."""

    def list_apps(self, request, provider=None, client_id=None):
        if provider not in (None, LINE_PROVIDER) or not line_login_configured():
            return []
        if client_id and client_id != settings.LINE_LOGIN_CHANNEL_ID:
            return []
        return [
            SocialApp(
                provider=LINE_PROVIDER,
                name="LINE",
                client_id=settings.LINE_LOGIN_CHANNEL_ID,
                secret=settings.LINE_LOGIN_CHANNEL_SECRET,
            )
        ]

    def is_open_for_signup(self, request, sociallogin):
        return False

    def get_connect_redirect_url(self, request, socialaccount):
        return reverse("profile:page")

    def pre_social_login(self, request, sociallogin):
        account = sociallogin.account
        account.extra_data = _kept_profile(account.extra_data)
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            self._check_connect(request, sociallogin)
        elif not sociallogin.is_existing:
            logger.info("LINE sign-in refused: the LINE account is linked to no user")
            _refuse(
                request,
                _(
                    "This LINE account is not linked to a user of the system. Sign in with "
                    "your username and password, then link LINE on your profile page."
                ),
            )
        if sociallogin.is_existing:
            # allauth has stored the whole profile LINE sent; keep only what is used.
            account.save(update_fields=["extra_data"])

    def _check_connect(self, request, sociallogin):
        user = request.user
        if not user.is_authenticated:
            logger.info("LINE link refused: nobody is signed in")
            _refuse(request, _("Sign in with your username and password first, then link LINE."))
        if sociallogin.is_existing and sociallogin.user != user:
            logger.info(
                "LINE link refused for user %s: linked to user %s", user.pk, sociallogin.user.pk
            )
            _refuse(request, _MESSAGES["socialaccount/messages/account_connected_other.txt"][1]())
        other = SocialAccount.objects.filter(user=user, provider=LINE_PROVIDER).exclude(
            uid=sociallogin.account.uid
        )
        if other.exists():
            logger.info("LINE link refused for user %s: another LINE account is linked", user.pk)
            _refuse(
                request,
                _(
                    "Your account is already linked to another LINE account. Unlink it "
                    "first, then link this one."
                ),
            )

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        detail = f"{type(exception).__name__}: {str(exception)[:200]}" if exception else "-"
        logger.warning("LINE sign-in failed (%s): %s", error, detail)
        if error == AuthError.CANCELLED:
            _refuse(request, _("Signing in with LINE was cancelled."), level=messages.INFO)
        _refuse(
            request,
            _(
                "LINE could not confirm who you are: the sign-in may have expired or "
                "been opened twice. Please try again."
            ),
        )
