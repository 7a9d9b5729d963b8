from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrintedDocument(models.Model):
    """A PDF report someone printed, as they print it: its documents are laid out
    again in the background after a change (``reports.ready``), so their next print
    is served at once from the kept copy."""

    class Document(models.TextChoices):
        MONTHLY_SUMMARY = "monthly_summary", _("Monthly summary")
        COMMUNITY_REPORT = "community_report", _("Community progress report")
        MINUTES = "minutes", _("Minutes")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="printed_documents",
        verbose_name=_("printed by"),
    )
    document = models.CharField(_("document"), max_length=32, choices=Document.choices)
    # The month of a summary (2026-12), the number of a community or the id of a
    # meeting.
    argument = models.CharField(_("of"), max_length=16)
    # What the request adds to the document: the address a cut list points to.
    live_url = models.CharField(_("address in the document"), max_length=500, blank=True)
    printed_at = models.DateTimeField(_("last printed at"))

    class Meta:
        verbose_name = _("printed document")
        verbose_name_plural = _("printed documents")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "argument"], name="one_row_per_printed_document"
            )
        ]
        indexes = [models.Index(fields=["printed_at"])]

    def __str__(self):
        return f"{self.get_document_display()} {self.argument} ({self.user})"
