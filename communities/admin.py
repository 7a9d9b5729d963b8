from django.contrib import admin

from accounts.services import contact_access_record

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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # The page shows the person's phone and LINE ID: a read of their contact data.
        if request.method == "GET" and response.status_code == 200:
            participant = response.context_data.get("original")
            if participant is not None:
                contact_access_record(
                    reader=request.user, page=request.get_full_path(), people=[participant]
                )
        return response
