from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    AgendaItem,
    AgendaTemplateItem,
    Attendance,
    FiscalYear,
    Meeting,
    MeetingChange,
    MeetingPhoto,
)

# Reference data: edited here.


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_closed"]
    list_editable = ["is_closed"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgendaTemplateItem)
class AgendaTemplateItemAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "kind", "active"]
    list_display_links = ["title"]
    list_editable = ["order", "active"]


# Records of meetings: shown only. Statuses, minutes, attendance and photos change
# in the application, which keeps the minutes lock and records every change.


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fk_name = "meeting"
    fields = ["order", "parent", "kind", "title"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "date", "venue", "status"]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["venue", "minute_taker"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "meeting", "kind", "order"]
    list_filter = ["kind"]
    list_select_related = ["meeting"]
    search_fields = ["title", "discussion", "resolution"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["participant", "meeting", "status", "substitute_name", "self_checked_in_at"]
    list_filter = ["status", "meeting__fiscal_year"]
    list_select_related = ["participant", "meeting"]
    search_fields = ["participant__name", "substitute_name"]


@admin.register(MeetingPhoto)
class MeetingPhotoAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "meeting", "uploaded_by", "uploaded_at"]
    list_select_related = ["meeting", "uploaded_by"]
    search_fields = ["caption"]


@admin.register(MeetingChange)
class MeetingChangeAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "summary", "changed_by", "changed_at"]
    list_select_related = ["meeting", "changed_by"]
