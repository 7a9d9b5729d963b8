from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Issues")

    def ready(self):
        from accounts.permissions import register_rules

        from .models import Issue
        from .permissions import issue_visible, issue_workable

        register_rules(Issue, view=issue_visible, change=issue_workable)
