from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from core.admin import ReadOnlyAdmin

from .models import Notification, WebhookEvent

# The queue's own rows are the worker's business; the notification log below says,
# in the users' language, what was sent to whom and how it went.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "recipient", "channel", "status", "tries", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "channel",
        "recipient",
        "address",
        "issue",
        "meeting",
        "subject",
        "text",
        "status",
        "tries",
        "error",
        "recipients_count",
        "requested_by",
        "created_at",
        "send_after",
        "tried_at",
        "sent_at",
    ]
    readonly_fields = fields


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "event_id", "outcome"]
    fields = readonly_fields = ["event_id", "received_at", "outcome"]
