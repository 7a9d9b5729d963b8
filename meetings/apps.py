from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from accounts.permissions import register_rules

        from .models import Meeting
        from .permissions import meeting_changeable, meeting_visible

        register_rules(Meeting, view=meeting_visible, change=meeting_changeable)
