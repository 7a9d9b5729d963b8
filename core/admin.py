"""Admin classes every app may use; the admin site itself is configured in the project."""

from django.contrib import admin


class ReadOnlyPermissions:
    """Shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    """A record of a meeting or an issue, shown but never changed or deleted here:
    its statuses, minutes and history change only through the application's
    services, which check the workflow and the minutes lock and record each change."""


class ReadOnlyInline(ReadOnlyPermissions, admin.TabularInline):
    """The rows of a record shown under it, read-only and never deletable."""

    extra = 0
    can_delete = False
