from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities and reference data")

    def ready(self):
        from accounts.permissions import register_rules

        from .models import Community, Department, IssueCategory, Participant
        from .permissions import (
            participant_changeable,
            participant_visible,
            reference_changeable,
            reference_visible,
        )

        for model in (Community, Department, IssueCategory):
            register_rules(model, view=reference_visible, change=reference_changeable)
        register_rules(Participant, view=participant_visible, change=participant_changeable)
