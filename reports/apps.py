from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

# What the printed reports show: a change to any of these rows may change them.
SHOWN_IN_REPORTS = (
    "issues.Issue",
    "issues.IssueUpdate",
    "issues.IssuePhoto",
    "issues.FieldSurvey",
    "meetings.Meeting",
    "meetings.Attendance",
    "meetings.AgendaItem",
    "meetings.MeetingPhoto",
    "communities.Community",
    "communities.Department",
    "communities.IssueCategory",
    "communities.Participant",
    # Who prints a report is named on it, with their position and office.
    "accounts.Profile",
)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import prints

        for label in SHOWN_IN_REPORTS:
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(prints.changed, sender=model, dispatch_uid=f"reports:{label}")
