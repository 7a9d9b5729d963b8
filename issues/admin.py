from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import FieldSurvey, Issue, IssueCounter, IssuePhoto, IssueUpdate

# Records of issues: shown only. Routing, statuses, texts and history change in
# the application, whose services check the workflow and record every change.


class IssueUpdateInline(ReadOnlyInline):
    model = IssueUpdate
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "note", "is_public"]
    readonly_fields = fields


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "community", "department", "status", "target_date"]
    list_filter = ["status", "fiscal_year", "department", "category", "priority"]
    list_select_related = ["community", "department"]
    search_fields = ["title", "description", "location_text"]
    inlines = [IssueUpdateInline]

    @admin.display(description=_("reference"), ordering="number")
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
