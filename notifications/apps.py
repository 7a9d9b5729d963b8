from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from issues.events import issue_changed

        from .services import notifications_for_update

        issue_changed.connect(notifications_for_update, dispatch_uid="notifications")
