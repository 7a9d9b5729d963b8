from django.contrib import admin

from .models import (
    AgendaItem,
    AgendaTemplateItem,
    Attendance,
    FiscalYear,
    Meeting,
    MeetingChange,
    MeetingPhoto,
)


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_closed"]
    list_editable = ["is_closed"]


@admin.register(AgendaTemplateItem)
class AgendaTemplateItemAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "kind", "active"]
    list_display_links = ["title"]
    list_editable = ["order", "active"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fk_name = "meeting"
    fields = ["order", "parent", "kind", "title"]
    extra = 0
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "venue", "status"]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["venue", "minute_taker"]
    date_hierarchy = "date"
    readonly_fields = ["fiscal_year", "number", "created_by", "created_at", "updated_at"]
    inlines = [AgendaItemInline]

    def has_delete_permission(self, request, obj=None):
        # Minutes are an official record: meetings are never deleted.
        return False


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "kind", "order"]
    list_filter = ["kind"]
    list_select_related = ["meeting"]
    search_fields = ["title", "discussion", "resolution"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["participant", "meeting", "status", "substitute_name", "self_checked_in_at"]
    list_filter = ["status", "meeting__fiscal_year"]
    list_select_related = ["participant", "meeting"]
    search_fields = ["participant__name", "substitute_name"]


@admin.register(MeetingPhoto)
class MeetingPhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "uploaded_by", "uploaded_at"]
    list_select_related = ["meeting", "uploaded_by"]
    search_fields = ["caption"]


@admin.register(MeetingChange)
class MeetingChangeAdmin(admin.ModelAdmin):
    list_display = ["meeting", "summary", "changed_by", "changed_at"]
    list_select_related = ["meeting", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
