from django.conf import settings
from django.contrib import admin

from communities.permissions import is_admin


class MunicipalAdminSite(admin.AdminSite):
    """Django's admin for users of the admin role, not for Django's ``is_staff`` flag,
    so that the role set in one place decides who manages users and reference data."""

    site_header = site_title = settings.MUNICIPALITY_NAME

    def has_permission(self, request):
        return is_admin(request.user)
