"""The one model of the toolbox: the one-time token of a form (see ``core.once``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmittedForm(models.Model):
    """A form that creates a record, posted once: the one-time token the form
    carried, who sent it and where the record it made is. A second post of the
    same token (a double click, a resent page) makes nothing and is led there."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")
        # Created by the communities app; the table keeps its name.
        db_table = "communities_submittedform"

    def __str__(self):
        return self.url
