"""A person's choice of notifications, the admin's LINE usage, and LINE's webhook."""

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3.webhook import SignatureValidator

from accounts.models import Role
from accounts.permissions import ANY_ROLE, role_required

from . import selectors, services, webhook
from .forms import PreferenceForm
from .line import line_id_of, line_user_configured

logger = logging.getLogger(__name__)


@role_required(*ANY_ROLE)
def preferences(request):
    """How the signed-in person hears of changes: each at once, a daily digest, or none."""
    form = PreferenceForm(request.POST or None, initial={"mode": services.mode_of(request.user)})
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, mode=form.cleaned_data["mode"])
        messages.success(request, _("Your choice of notifications was saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "by_line": line_user_configured() and bool(line_id_of(request.user)),
            "email": request.user.email,
        },
    )


@role_required(Role.ADMIN)
def line_usage(request):
    """This month's LINE messages against the plan's quota."""
    return render(request, "notifications/line_usage.html", {"usage": selectors.line_usage()})


def _signed(body: str, signature: str, secret: str) -> bool:
    try:
        return SignatureValidator(secret).validate(body, signature)
    except (TypeError, ValueError):  # A signature that is not even ASCII.
        return False


# LINE signs what it posts (X-Line-Signature); nothing else is accepted, and a
# browser's CSRF token means nothing here. Each event is its own transaction, so
# one that fails leaves the others done.
@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def line_webhook(request):
    """Verify a batch of LINE events and handle each: 400 for anything not signed
    with the channel secret (nothing changed), 200 for a signed batch, even when
    its events are ignored, so that LINE does not send them again."""
    secret = settings.LINE_CHANNEL_SECRET
    signature = request.headers.get("X-Line-Signature", "")
    if not secret:
        logger.warning("LINE webhook refused: LINE_CHANNEL_SECRET is not set")
        return HttpResponseBadRequest("LINE_CHANNEL_SECRET is not set.")
    if not signature:
        logger.warning("LINE webhook refused: no X-Line-Signature")
        return HttpResponseBadRequest("Missing X-Line-Signature.")
    body = request.body.decode("utf-8", "replace")
    if not _signed(body, signature, secret):
        logger.warning("LINE webhook refused: the signature does not match the body")
        return HttpResponseBadRequest("Invalid signature.")
    try:
        events = json.loads(body)["events"]
        if not isinstance(events, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        logger.warning("LINE webhook refused: a signed body that is not a batch of events")
        return HttpResponseBadRequest("Not a batch of LINE events.")
    for data in events:
        event_id = data.get("webhookEventId", "?") if isinstance(data, dict) else "?"
        try:
            outcome = webhook.event_handle(data)
        except Exception:
            logger.exception("LINE webhook event %s could not be handled", event_id)
        else:
            logger.info("LINE webhook event %s: %s", event_id, outcome)
    return HttpResponse(status=200)
