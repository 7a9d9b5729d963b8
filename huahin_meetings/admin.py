from django.conf import settings
from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from communities.permissions import is_admin


class MunicipalAdminSite(admin.AdminSite):
    """Django's admin for users of the admin role, not for Django's ``is_staff`` flag,
    so that the role set in one place decides who manages users and reference data."""

    site_header = site_title = settings.MUNICIPALITY_NAME
    index_title = _("Reference data and users")

    def has_permission(self, request):
        return is_admin(request.user)

    def each_context(self, request):
        context = super().each_context(request)
        if (get_language() or "").startswith("en"):
            context["site_header"] = context["site_title"] = settings.MUNICIPALITY_NAME_EN
        return context


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of a meeting or an issue, shown but never changed or deleted here:
    its statuses, minutes and history change only through the application's
    services, which check the workflow and the minutes lock and record each change."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """The rows of a record shown under it, read-only and never deletable."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
