"""The report pages, mounted once at the site root: each keeps the path it had when
it lived with the meetings, the communities or the issues."""

from django.urls import path, register_converter

from . import views

app_name = "reports"


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


class MonthConverter(YearConverter):
    regex = "[0-9]{2}"

    def to_url(self, value):
        return f"{value:02d}"


class TableConverter:
    regex = "statistics|complaints"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class FormatConverter(TableConverter):
    regex = "csv|json"


register_converter(YearConverter, "yyyy")
register_converter(TableConverter, "open_data_table")
register_converter(FormatConverter, "open_data_format")
register_converter(MonthConverter, "mm")

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("open-data/", views.open_data_page, name="open_data"),
    path(
        "open-data/<yyyy:year>/<open_data_table:table>.<open_data_format:fmt>",
        views.open_data_download,
        name="open_data_download",
    ),
    path("reports/monthly/<yyyy:year>-<mm:month>/", views.monthly_summary, name="monthly"),
    path(
        "reports/monthly/<yyyy:year>-<mm:month>.pdf",
        views.monthly_summary_pdf,
        name="monthly_pdf",
    ),
    path("reports/communities/<int:number>/", views.community_report, name="community"),
    path("reports/communities/<int:number>.pdf", views.community_report_pdf, name="community_pdf"),
    path("reports/departments/<str:code>/", views.department_report, name="department"),
    path("communities/<int:number>/", views.community_detail, name="community_detail"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/line-summary/", views.line_summary, name="line_summary"),
]
