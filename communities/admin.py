from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .models import Community, Department, IssueCategory, Participant, Role
from .permissions import profile_of


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "default_department", "sort_order", "active"]
    list_filter = ["active", "default_department"]
    list_select_related = ["default_department"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["number", "name_th", "name_en", "zone", "phone", "active"]
    list_display_links = ["number", "name_th"]
    list_filter = ["zone", "active"]
    search_fields = ["=number", "name_th", "name_en", "zone"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "role", "community", "department", "user", "active"]
    list_filter = ["role", "active", "department"]
    list_select_related = ["community", "department", "user"]
    search_fields = ["name", "position", "community__name_th", "phone"]
    autocomplete_fields = ["community", "department", "user"]


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
