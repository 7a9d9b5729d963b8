from django.conf import settings
from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_admin


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
