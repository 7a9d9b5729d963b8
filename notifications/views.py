"""A person's choice of notifications, the admin's LINE usage, and LINE's webhook."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import ANY_ROLE, role_required

from . import selectors, services
from .forms import PreferenceForm
from .line import line_id_of, line_user_configured


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
