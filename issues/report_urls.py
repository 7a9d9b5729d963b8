from django.urls import path, register_converter

from . import report_views

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


register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

urlpatterns = [
    path("monthly/<yyyy:year>-<mm:month>/", report_views.monthly_summary, name="monthly"),
    path(
        "monthly/<yyyy:year>-<mm:month>.pdf", report_views.monthly_summary_pdf, name="monthly_pdf"
    ),
    path("communities/<int:number>/", report_views.community_report, name="community"),
    path("communities/<int:number>.pdf", report_views.community_report_pdf, name="community_pdf"),
    path("departments/<str:code>/", report_views.department_report, name="department"),
]
