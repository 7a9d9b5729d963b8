"""The PDF reports and minutes kept ready to print.

Laying out a report takes WeasyPrint seconds, and a kept copy (``core.pdf.kept_pdf``)
only helps once the same document has been laid out. So every print is recorded, as
its reader prints it, and after any change to what the reports show the background
worker lays out again each document printed in the last ``KEPT_DAYS``: the next
print of it finds the kept copy. A document whose content did not change is found
kept and not laid out again. The worker also runs just after midnight, when the date
the reports are printed on changes.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from accounts.permissions import can_view
from communities.models import Community
from core.pdf import KEPT_DAYS, prune_kept
from meetings.models import Meeting
from meetings.permissions import minutes_readable

from . import documents, minutes
from .models import PrintedDocument
from .permissions import can_read_community_report, can_read_monthly_summary

logger = logging.getLogger(__name__)

# The changes made within this time are laid out together: a meeting's roll or an
# officer's run of updates makes one round of layouts, not one per saved row.
REFRESH_AFTER = datetime.timedelta(seconds=30)
# Rounds start at most this often, whatever the pace of changes: on a busy meeting
# day a report that changes all morning is laid out a dozen times an hour, not 120,
# and the worker leaves the web server most of the machine. A print between two
# rounds is laid out in its request, as it is when nothing is kept.
ROUND_EVERY = datetime.timedelta(minutes=5)
# After midnight, when every report's date has moved on.
AFTER_MIDNIGHT = datetime.timedelta(minutes=5)

Document = PrintedDocument.Document
KEPT = datetime.timedelta(days=KEPT_DAYS)


def record_print(*, user, document: str, argument, live_url: str = "") -> None:
    """Remember that ``user`` printed ``document`` of ``argument`` just now."""
    PrintedDocument.objects.update_or_create(
        user=user,
        document=document,
        argument=str(argument),
        defaults={"live_url": live_url, "printed_at": timezone.now()},
    )


def _print_again(printed: PrintedDocument) -> bool:
    """Make ``printed``'s document as its reader would print it now; False when the
    reader may no longer read it (nothing is made then)."""
    user = printed.user
    if not user.is_active:
        return False
    if printed.document == Document.MONTHLY_SUMMARY:
        if not can_read_monthly_summary(user):
            return False
        year, month = (int(part) for part in printed.argument.split("-"))
        documents.monthly_summary_pdf(year=year, month=month, user=user, live_url=printed.live_url)
        return True
    if printed.document == Document.MINUTES:
        meeting = Meeting.objects.select_related("chair").filter(pk=int(printed.argument)).first()
        if meeting is None or not (can_view(user, meeting) and minutes_readable(user, meeting)):
            return False
        minutes.minutes_pdf(meeting=meeting, live_url=printed.live_url)
        return True
    community = Community.objects.filter(number=int(printed.argument)).first()
    if community is None or not can_read_community_report(user, community):
        return False
    documents.community_report_pdf(community=community, user=user)
    return True


def refresh_printed(*, now: datetime.datetime | None = None) -> int:
    """Forget the prints older than ``KEPT_DAYS``, remove the kept copies laid out
    longer ago than that, then make every document printed since ready in the kept
    copies (again, where one was just removed); return how many documents are ready."""
    now = now or timezone.now()
    PrintedDocument.objects.filter(printed_at__lt=now - KEPT).delete()
    prune_kept(now=now)
    ready = 0
    printed = PrintedDocument.objects.select_related("user").order_by("-printed_at")
    made_minutes = set()
    for entry in printed:
        if entry.document == Document.MINUTES:
            # The same document for every reader: made once a round.
            if (entry.argument, entry.live_url) in made_minutes:
                continue
            made_minutes.add((entry.argument, entry.live_url))
        try:
            ready += _print_again(entry)
        except Exception:
            # One document that cannot be made (a photo gone from the storage) must
            # not keep the others from being ready; its reader gets the error.
            logger.exception("The printed document %s could not be made ready", entry.pk)
    return ready


def _refresh_task():
    from .tasks import refresh_printed_documents

    return refresh_printed_documents


def _rounds(task):
    """The refreshes in the database queue, or None with another backend."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return None
    return DBTaskResult.objects.filter(task_path=task.module_path)


def _queued_between(task, start: datetime.datetime, end: datetime.datetime) -> bool:
    """Whether a refresh waits in the database queue to run between the two times."""
    from django_tasks.base import TaskResultStatus

    rounds = _rounds(task)
    return (
        rounds is not None
        and (
            rounds.filter(status=TaskResultStatus.READY, run_after__gte=start, run_after__lte=end)
        ).exists()
    )


def _last_round_started(task) -> datetime.datetime | None:
    rounds = _rounds(task)
    if rounds is None:
        return None
    return (
        rounds.filter(started_at__isnull=False)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )


def schedule_refresh(*, at: datetime.datetime | None = None) -> bool:
    """Queue a refresh to run at ``at`` (by default ``REFRESH_AFTER`` from now, or
    ``ROUND_EVERY`` after the last round started if that is later), unless one is
    queued to run by then; return whether one was queued.

    A backend that cannot wait (the immediate one, in the tests) queues nothing: a
    round of layouts must not run inside the request that saved the change."""
    task = _refresh_task()
    if not task.get_backend().supports_defer:
        return False
    now = timezone.now()
    if not PrintedDocument.objects.filter(printed_at__gte=now - KEPT).exists():
        return False  # nobody printed a report lately: nothing to make ready
    if at is None:
        at = now + REFRESH_AFTER
        last = _last_round_started(task)
        if last is not None:
            at = max(at, last + ROUND_EVERY)
        start = datetime.datetime.min.replace(tzinfo=datetime.UTC)  # any one not run yet
    else:
        start = at - REFRESH_AFTER
    if _queued_between(task, start, at):
        return False
    task.using(run_after=at).enqueue()
    return True


def schedule_after_midnight(*, now: datetime.datetime | None = None) -> bool:
    """Queue the refresh of just after the coming midnight, while prints are recent."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    midnight = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    return schedule_refresh(at=midnight + AFTER_MIDNIGHT)


def _schedule_once() -> None:
    try:
        schedule_refresh()
    except Exception:
        # The change is saved; a refresh that cannot be queued leaves the next print
        # to lay its document out, as it would without this module.
        logger.exception("The refresh of the printed documents could not be queued")


def changed(sender, *, raw: bool = False, **kwargs) -> None:
    """A row the reports show was saved or deleted: queue a refresh once the change
    is committed (once a transaction, however many rows it saved)."""
    if raw:  # fixtures being loaded
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is _schedule_once for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_schedule_once)
