from django.contrib import admin

from .models import FieldSurvey, Issue, IssueCounter, IssuePhoto, IssueUpdate


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is written by the application only; nobody edits or deletes it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IssueUpdateInline(admin.TabularInline):
    model = IssueUpdate
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "note", "is_public"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "community", "department", "status", "target_date"]
    list_filter = ["status", "fiscal_year", "department", "category", "priority"]
    list_select_related = ["community", "department"]
    search_fields = ["title", "description", "location_text"]
    readonly_fields = [
        "fiscal_year",
        "number",
        "status",
        "version",
        "received_at",
        "forwarded_at",
        "first_response_at",
        "surveyed_at",
        "in_progress_at",
        "resolved_at",
        "ended_at",
        "created_by",
    ]
    raw_id_fields = ["duplicate_of", "meeting"]
    inlines = [IssueUpdateInline]

    def has_delete_permission(self, request, obj=None):
        # Issues are a public record; they are withdrawn, never deleted.
        return False

    @admin.display(description="reference", ordering="number")
    def reference(self, issue):
        return issue.reference


@admin.register(IssueUpdate)
class IssueUpdateAdmin(ReadOnlyAdmin):
    list_display = ["issue", "kind", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["issue", "actor"]
    search_fields = ["note"]


@admin.register(FieldSurvey)
class FieldSurveyAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "survey_date", "team_members"]
    list_select_related = ["update__issue"]


@admin.register(IssuePhoto)
class IssuePhotoAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "update"]
    list_select_related = ["update__issue"]


@admin.register(IssueCounter)
class IssueCounterAdmin(ReadOnlyAdmin):
    list_display = ["fiscal_year", "last_number"]
