from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import primary_role, profile_of, role_required

from . import selectors, services
from .forms import OwnContactsForm, PasswordResetForm, UserCreateForm, UserEditForm
from .line import line_account_unlink, line_display_name
from .line_login import line_login_configured

PAGE_SIZE = 50


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _user(pk: int):
    return get_object_or_404(get_user_model(), pk=pk)


@role_required(Role.ADMIN)
def user_list(request):
    search = request.GET.get("q", "")
    page = Paginator(selectors.user_list(search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for user in page:
        user.role = selectors.user_role(user)
        user.link = profile_of(user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "search": search, "query": query.urlencode()},
    )


@role_required(Role.ADMIN)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
                role=data["role"],
                department=data["department"],
                community=data["community"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("User %(username)s was created.") % {"username": user})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@role_required(Role.ADMIN)
def user_edit(request, pk: int):
    user = _user(pk)
    profile = profile_of(user)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": selectors.user_role(user),
        "department": profile.department if profile else None,
        "community": profile.community if profile else None,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("User %(username)s was saved.") % {"username": user})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "account": user})


@role_required(Role.ADMIN)
def user_password(request, pk: int):
    user = _user(pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_reset(
                actor=request.user, user=user, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("The password of %(username)s was reset.") % {"username": user}
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_password.html", {"form": form, "account": user})


@role_required(Role.ADMIN)
@require_POST
def user_active(request, pk: int):
    user = _user(pk)
    activate = request.POST.get("active") == "1"
    try:
        if activate:
            services.user_reactivate(actor=request.user, user=user)
        else:
            services.user_deactivate(actor=request.user, user=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if activate:
            messages.success(request, _("%(username)s can log in again.") % {"username": user})
        else:
            messages.success(
                request,
                _("%(username)s was deactivated and can no longer log in.") % {"username": user},
            )
    return redirect(reverse("accounts:user_list"))


@login_required
def profile(request):
    """The signed-in person's own page: who they are in the system, the contact data
    it keeps about them (which they correct here), and their LINE link."""
    user = request.user
    participant = services._own_participant(user)
    initial = {"email": user.email}
    if participant is not None:
        initial.update(phone=participant.phone, line_id=participant.line_id)
    form = OwnContactsForm(
        request.POST or None, initial=initial, on_participant_list=participant is not None
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.own_contacts_update(
                    actor=user,
                    user=user,
                    email=data["email"],
                    phone=data.get("phone"),
                    line_id=data.get("line_id"),
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your contact details were saved."))
                return redirect("profile:page")
        if form.errors:
            messages.error(request, _("Nothing was saved: please correct the fields marked below."))
    link = profile_of(user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "participant": participant,
            "role": primary_role(user),
            "department": link.department if link else None,
            "community": link.community if link else None,
            "line_configured": line_login_configured(),
            "line_name": line_display_name(user),
        },
    )


@login_required
@require_POST
def profile_line_unlink(request):
    if line_account_unlink(user=request.user):
        messages.success(
            request,
            _("Your LINE account is unlinked; its LINE user ID and name were removed."),
        )
    else:
        messages.info(request, _("Your account was not linked to LINE."))
    return redirect("profile:page")
