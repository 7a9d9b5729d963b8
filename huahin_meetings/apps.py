from django.contrib.admin.apps import AdminConfig


class MunicipalAdminConfig(AdminConfig):
    default_site = "huahin_meetings.admin.MunicipalAdminSite"
