"""Each message the system sends, and how each person wants to receive theirs.

A ``Notification`` is written in the same transaction as the change it tells of
and sent afterwards by the background worker (``notifications.tasks``); its row
says to whom, what, by which channel, and how the sending went.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    LINE = "line", _("LINE message to the person")
    LINE_GROUP = "line_group", _("LINE message to the chairs' group")


# The channels that count against the LINE plan's monthly messages.
LINE_CHANNELS = (Channel.LINE, Channel.LINE_GROUP)


class Mode(models.TextChoices):
    """How a person wants to hear of changes."""

    IMMEDIATE = "immediate", _("A message for each change")
    DIGEST = "digest", _("One message a day, in the morning")
    NONE = "none", _("No messages")


class Kind(models.TextChoices):
    ISSUE_STATUS = "issue_status", _("An issue of the community changed status")
    ISSUE_ROUTED = "issue_routed", _("An issue was routed to the department")
    ISSUE_REOPENED = "issue_reopened", _("An issue the department resolved was reopened")
    DIGEST = "digest", _("The day's changes")
    MEETING_SUMMARY = "meeting_summary", _("Meeting summary to the chairs' group")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    WAITING_DIGEST = "waiting_digest", _("Waiting for the day's digest")
    SENT = "sent", _("Sent")
    IN_DIGEST = "in_digest", _("Sent in the day's digest")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class Notification(models.Model):
    # The id is also LINE's retry key (X-Line-Retry-Key): a push retried after a
    # lost answer is accepted by LINE once.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # One row per recipient, change and channel: the same change is never sent twice.
    key = models.CharField(_("key"), max_length=120, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    issue = models.ForeignKey(
        "issues.Issue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issue"),
    )
    issue_update = models.ForeignKey(
        "issues.IssueUpdate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("change"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting"),
    )
    # The day's digest this change goes out in, for a person who chose one.
    digest = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("digest"),
    )
    # The group a group message goes to (a person is reached through their account).
    address = models.CharField(_("sent to"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.QUEUED)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    error = models.TextField(_("error"), blank=True)
    # A push to a group counts once per member against the LINE plan.
    recipients_count = models.PositiveIntegerField(_("recipients counted"), default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    send_after = models.DateTimeField(_("send after"), null=True, blank=True)
    tried_at = models.DateTimeField(_("last tried"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["channel", "status", "sent_at"], name="notification_sent"),
            models.Index(fields=["meeting", "kind"], name="notification_meeting"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient or self.get_channel_display()}"


class Preference(models.Model):
    """How one person wants to hear of changes; without a row, a message each."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    mode = models.CharField(_("notifications"), max_length=20, choices=Mode, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.get_mode_display()}"


class WebhookEvent(models.Model):
    """An event LINE delivered to the webhook, kept so that a redelivery acts once."""

    event_id = models.CharField(_("webhook event id"), max_length=100, unique=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("LINE webhook event")
        verbose_name_plural = _("LINE webhook events")

    def __str__(self):
        return self.event_id
