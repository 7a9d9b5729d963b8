from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import ContactAccess, Role
from .permissions import profile_of
from .services import contact_access_record

# django-axes' list of login attempts, where an admin unlocks an account, with its
# status column labelled in Thai.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("Status"))
    def status(self, obj):
        return super().status(obj)


# django-allauth serves only signing in with LINE: its channel comes from the
# settings, no e-mail address or token is kept, and who linked LINE is shown on the
# system's Users page.
for model in (EmailAddress, SocialApp, SocialToken, SocialAccount):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

User = get_user_model()
admin.site.unregister(User)
# The roles are fixed groups whose names the code relies on: not edited here.
admin.site.unregister(Group)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):
    """Names, e-mail and whether the account is active. Creating users, their role,
    its department or community and passwords are managed on the system's own users
    page, which checks that the link fits the role; users are never deleted."""

    list_display = ["username", "first_name", "last_name", "role_names", "is_active"]
    list_filter = ["is_active"]
    fieldsets = [
        (None, {"fields": ["username"]}),
        (_("Name and e-mail"), {"fields": ["first_name", "last_name", "email"]}),
        (
            _("Role"),
            {
                "fields": ["role_names", "link", "is_active"],
                "description": _(
                    "The role, its department or community and the password are changed "
                    "on the Users page of the system."
                ),
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["role_names", "link", "last_login", "date_joined"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("profile__department", "profile__community")
            .prefetch_related("groups")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A user's name stays on the records they wrote: deactivate, never delete.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # The page shows the user's e-mail: a read of their contact data.
        if request.method == "GET" and response.status_code == 200:
            account = response.context_data.get("original")
            if account is not None:
                contact_access_record(
                    reader=request.user, page=request.get_full_path(), accounts=[account]
                )
        return response

    @admin.display(description=_("roles"))
    def role_names(self, user):
        names = {group.name for group in user.groups.all()}
        return ", ".join(str(role.label) for role in Role if role.value in names) or "—"

    @admin.display(description=_("Department or community"))
    def link(self, user):
        profile = profile_of(user)
        if profile and profile.department:
            return profile.department.name
        if profile and profile.community:
            return profile.community.name
        return "—"


@admin.register(ContactAccess)
class ContactAccessAdmin(ReadOnlyAdmin):
    """Who opened other people's contact data, when and on which page: the record
    PDPA asks to keep, written by the pages themselves and never changed here."""

    list_display = ["read_at", "reader", "page", "community", "people_shown"]
    list_filter = ["read_at"]
    list_select_related = ["reader", "community"]
    search_fields = ["reader__username", "reader__first_name", "page", "people__name"]
    date_hierarchy = "read_at"
    fields = ["read_at", "reader", "page", "community", "people", "accounts"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("people", "accounts")

    @admin.display(description=_("whose contact data"))
    def people_shown(self, access):
        names = [person.name for person in access.people.all()]
        names += [account.get_full_name() or account.username for account in access.accounts.all()]
        return ", ".join(names) or "—"
