"""Reads of the notifications app."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import LINE_CHANNELS, Kind, Notification, Status


@dataclass
class LineUsage:
    month: datetime.date  # Its first day.
    used: int  # Messages counted against the plan: a group push once per member.
    quota: int
    by_kind: list[tuple[str, int, int]]  # (kind's label, pushes, messages counted)
    failed: int  # Pushes that failed this month (not counted by LINE).

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.quota) if self.quota else 100


def line_usage(*, today: datetime.date | None = None) -> LineUsage:
    """Return this month's LINE messages against the plan's ``LINE_MONTHLY_QUOTA``."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    end = timezone.make_aware(
        datetime.datetime.combine(
            (first + datetime.timedelta(days=32)).replace(day=1), datetime.time()
        )
    )
    month = Notification.objects.filter(channel__in=LINE_CHANNELS)
    sent = month.filter(status=Status.SENT, sent_at__gte=start, sent_at__lt=end)
    rows = sent.values("kind").annotate(pushes=Count("pk"), counted=Sum("recipients_count"))
    by_kind = [
        (Kind(row["kind"]).label, row["pushes"], row["counted"] or 0)
        for row in rows.order_by("kind")
    ]
    failed = month.filter(
        Q(status=Status.FAILED), Q(created_at__gte=start), Q(created_at__lt=end)
    ).count()
    return LineUsage(
        month=first,
        used=sum(counted for _label, _pushes, counted in by_kind),
        quota=settings.LINE_MONTHLY_QUOTA,
        by_kind=by_kind,
        failed=failed,
    )
