from django.contrib import admin

from .models import Community, Department, IssueCategory, Participant


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_th",
        "name_en",
        "default_department",
        "target_days",
        "sort_order",
        "active",
    ]
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
