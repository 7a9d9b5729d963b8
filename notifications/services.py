"""Writes of the notifications app.

A change of an issue (``issues.events.issue_changed``) writes one ``Notification``
row per person to tell, in the change's own transaction; sending is queued on
commit and done by the background worker (``tasks.deliver`` → ``notification_send``).
A row is sent at most once: its key is unique per person, change and channel, and
the worker sends only a row still queued, re-read under a row lock.
"""

import contextlib
import contextvars
import datetime
import logging
import smtplib
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import is_secretariat
from issues.models import IssueUpdate
from issues.models import Status as IssueStatus
from meetings.models import Meeting

from . import messages
from .models import LINE_CHANNELS, Channel, Kind, Mode, Notification, Preference, Status

logger = logging.getLogger(__name__)

MAX_TRIES = 5
# Waits before the second, third, … try after LINE or the mail server failed for
# a while (429, 5xx, no connection); the fifth failure is final.
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)
# A row still "sending" this long after its try began was interrupted.
INTERRUPTED_AFTER = datetime.timedelta(minutes=15)
LINE_RETRY_KEY_KEPT = datetime.timedelta(hours=23)  # LINE remembers a retry key 24 hours.
DIGEST_TIME = datetime.time(7, 0)  # Local time (Asia/Bangkok) the day's digest goes out.

_muted = contextvars.ContextVar("notifications_muted", default=False)


class TemporaryFailure(Exception):
    """The channel failed in a way a later try may not (LINE 429/5xx, no connection)."""

    def __init__(self, message: str, *, retry_after: datetime.timedelta | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentFailure(Exception):
    """The channel refused the message for good (LINE 4xx, a refused address)."""


@contextlib.contextmanager
def notifications_muted():
    """Write no notifications for the changes made inside (the demo's history)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def mode_of(user) -> str:
    try:
        return user.notification_preference.mode
    except Preference.DoesNotExist:
        return Mode.IMMEDIATE


def preference_set(*, user, mode: str) -> Preference:
    """Record how ``user`` wants to hear of changes."""
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.mode = Mode(mode)
    preference.full_clean()
    preference.save(update_fields=["mode"])
    user.notification_preference = preference
    return preference


def _people(role: Role, **profile):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role.value, **profile)
        .select_related("notification_preference")
        .order_by("pk")
        .distinct()
    )


def recipients(update: IssueUpdate) -> list[tuple[object, str]]:
    """Return who is told of ``update``, each with the kind of notification: the
    officers of the department an issue is newly routed to, and the department's
    officers again when an issue they resolved is reopened (a leader says it is not
    fixed); the leaders of its community when its status changes in the public
    record. Never the actor."""
    told = []
    if (
        update.from_status == IssueStatus.RESOLVED
        and update.to_status
        and update.to_status not in (IssueStatus.RESOLVED, IssueStatus.CLOSED)
        and update.issue.department_id
    ):
        officers = _people(Role.OFFICER, profile__department=update.issue.department_id)
        told += [(officer, Kind.ISSUE_REOPENED) for officer in officers]
    if (
        update.kind == IssueUpdate.Kind.ROUTED
        and update.to_department_id
        and update.to_department_id != update.from_department_id
    ):
        officers = _people(Role.OFFICER, profile__department=update.to_department_id)
        told += [(officer, Kind.ISSUE_ROUTED) for officer in officers]
    if (
        update.to_status
        and update.to_status != update.from_status
        and update.kind != IssueUpdate.Kind.CREATED
        and update.is_public
    ):
        leaders = _people(Role.LEADER, profile__community=update.issue.community_id)
        told += [(leader, Kind.ISSUE_STATUS) for leader in leaders]
    return [(user, kind) for user, kind in told if user.pk != update.actor_id]


def notifications_for_update(sender=None, *, update: IssueUpdate, **kwargs) -> list[Notification]:
    """Write the notifications of ``update`` (the receiver of ``issue_changed``)."""
    if _muted.get():
        return []
    return notifications_write(update=update, told=recipients(update))


def notification_create(*, user, kind: str, update: IssueUpdate) -> Notification:
    """Write the notification telling ``user`` of ``update`` (or return the one
    written before)."""
    [notification] = notifications_write(update=update, told=[(user, kind)])
    return notification


def notifications_write(
    *, update: IssueUpdate, told: list[tuple[object, str]]
) -> list[Notification]:
    """Write the notification telling each person in ``told`` of ``update``, by the
    channel that reaches them and as they chose: now, in the morning's digest, or
    not at all; a person already told of it keeps the row they have. A handful of
    queries whatever the number of people (LINE ids and earlier rows read at once)."""
    from . import line

    if not told:
        return []
    line_ids = (
        line.line_ids_of([user for user, _kind in told]) if line.line_user_configured() else {}
    )
    rows = []
    for user, kind in told:
        channel = Channel.LINE if line_ids.get(user.pk) else Channel.EMAIL
        subject, text = messages.issue_message(kind=kind, update=update, user=user)
        row = Notification(
            key=f"update:{update.pk}:{user.pk}:{channel}",
            kind=kind,
            channel=channel,
            recipient=user,
            issue=update.issue,
            issue_update=update,
            subject=subject[:200],
            text=text,
        )
        mode = mode_of(user)
        if mode == Mode.NONE:
            row.status = Status.SKIPPED
            row.error = _("The person chose to receive no messages.")
        elif mode == Mode.DIGEST:
            row.status = Status.WAITING_DIGEST
            row.digest = _digest_for(user, channel)
        rows.append(row)
    earlier = Notification.objects.in_bulk([row.key for row in rows], field_name="key")
    new = [row for row in rows if row.key not in earlier]
    Notification.objects.bulk_create(new)
    for row in new:
        if row.status == Status.QUEUED:
            transaction.on_commit(partial(enqueue, row.pk))
    return [earlier.get(row.key, row) for row in rows]


def meeting_summary_pushes(meeting: Meeting):
    """The pushes of ``meeting``'s summary to the chairs' group, the latest first."""
    return Notification.objects.filter(meeting=meeting, kind=Kind.MEETING_SUMMARY).select_related(
        "requested_by"
    )


def meeting_summary_push(
    *, meeting: Meeting, actor, text: str, number: int, again: bool = False
) -> Notification:
    """Queue ``text``, the summary of ``meeting``, for the chairs' LINE group.

    ``number`` is which push of this meeting the form asked for (one more than
    those it showed): a form sent twice queues one push. A meeting pushed before
    is pushed again only when ``again`` says the sender means it."""
    if not is_secretariat(actor):
        raise PermissionDenied
    if not settings.LINE_CHANNEL_ACCESS_TOKEN or not settings.LINE_GROUP_ID:
        raise ValidationError(
            _("The summary cannot be sent: LINE is not set up. Copy it into the group instead.")
        )
    key = f"meeting:{meeting.pk}:push:{number}"
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    earlier = meeting_summary_pushes(meeting).exclude(status__in=[Status.FAILED, Status.SKIPPED])
    if earlier.exists() and not again:
        raise ValidationError(
            _(
                "This meeting's summary was already sent to the LINE group. Tick the box "
                "to send it again: every member of the group receives it again."
            )
        )
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "kind": Kind.MEETING_SUMMARY,
            "channel": Channel.LINE_GROUP,
            "address": settings.LINE_GROUP_ID,
            "meeting": meeting,
            "subject": f"สรุปการประชุมครั้งที่ {meeting.number_label}"[:200],
            "text": text,
            "requested_by": actor,
        },
    )
    if created:
        transaction.on_commit(partial(enqueue, notification.pk))
    return notification


def next_digest_at(now: datetime.datetime) -> datetime.datetime:
    """The next morning's digest time (``DIGEST_TIME``, local) after ``now``."""
    local = timezone.localtime(now)
    at = timezone.make_aware(datetime.datetime.combine(local.date(), DIGEST_TIME))
    return at if at > local else at + datetime.timedelta(days=1)


def _digest_for(user, channel: str) -> Notification:
    """Return the digest ``user`` will receive next, created on the first change of
    its day. A digest already being composed takes nothing more: the change goes in
    the following morning's."""
    at = next_digest_at(timezone.now())
    while True:
        day = timezone.localtime(at).date()
        digest, created = Notification.objects.select_for_update().get_or_create(
            key=f"digest:{user.pk}:{day.isoformat()}:{channel}",
            defaults={
                "kind": Kind.DIGEST,
                "channel": channel,
                "recipient": user,
                "subject": messages.digest_subject(day),
                "send_after": at,
            },
        )
        if created:
            transaction.on_commit(partial(enqueue, digest.pk, run_after=at))
            return digest
        if digest.status == Status.QUEUED and not digest.text:
            return digest
        at += datetime.timedelta(days=1)


def enqueue(notification_id, *, run_after: datetime.datetime | None = None) -> None:
    """Queue the sending of a notification, not before ``run_after``.

    A backend that cannot wait (the immediate one) leaves a later sending to
    ``manage.py notifications_send_due``."""
    from .tasks import deliver

    task = deliver
    if run_after is not None and run_after > timezone.now():
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    task.enqueue(str(notification_id))


def _interrupted(now: datetime.datetime) -> None:
    """Settle the rows a worker stopped in the middle of sending (killed, machine
    down). A LINE push is tried again: its retry key makes LINE accept it once, as
    long as LINE remembers the key (a day). An email may have left or not: it is
    failed with that said, rather than perhaps sent twice."""
    stuck = Notification.objects.filter(status=Status.SENDING, tried_at__lt=now - INTERRUPTED_AFTER)
    stuck.filter(channel__in=LINE_CHANNELS, tried_at__gte=now - LINE_RETRY_KEY_KEPT).update(
        status=Status.QUEUED, send_after=None
    )
    for notification in stuck.select_related("recipient"):
        logger.error("Notification %s was interrupted while sending", notification.pk)
        _finish(
            notification,
            status=Status.FAILED,
            error=_("Sending was interrupted: the message may or may not have arrived."),
        )


def notifications_due(*, now: datetime.datetime | None = None) -> int:
    """Queue every notification that is due and not yet sent; return how many. For
    a worker that was down, or a backend that cannot wait."""
    now = now or timezone.now()
    _interrupted(now)
    due = Notification.objects.filter(status=Status.QUEUED, send_after__lte=now) | (
        Notification.objects.filter(status=Status.QUEUED, send_after__isnull=True)
    )
    ids = list(due.values_list("pk", flat=True))
    for pk in ids:
        enqueue(pk)
    return len(ids)


def _problem(notification: Notification) -> str:
    """Why ``notification`` cannot be sent at all (empty if it can)."""
    user = notification.recipient
    if user is None:
        return ""
    if not user.is_active:
        return _("The account is deactivated.")
    if notification.kind != Kind.MEETING_SUMMARY and mode_of(user) == Mode.NONE:
        return _("The person chose to receive no messages.")
    if notification.channel == Channel.EMAIL and not user.email.strip():
        return _("No email address.")
    return ""


def _compose_digest(digest: Notification) -> bool:
    """Write the digest's text from its waiting entries; return whether there are any."""
    entries = list(
        digest.entries.filter(status=Status.WAITING_DIGEST)
        .select_related("issue")
        .order_by("created_at")
    )
    if not entries:
        return False
    digest.text = messages.digest_text(user=digest.recipient, entries=entries)
    return True


def _send_email(notification: Notification) -> None:
    try:
        send_mail(
            notification.subject,
            notification.text,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email.strip()],
        )
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentFailure(_("The mail server refused the address.")) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure(
            _("The mail server could not be reached: %(error)s") % {"error": error}
        ) from error


def _send(notification: Notification) -> None:
    from . import line

    if notification.channel == Channel.EMAIL:
        _send_email(notification)
    else:
        line.notification_push(notification)


def _email_instead(notification: Notification) -> None:
    """Queue the same message by email when LINE refused it for the person (not
    linked any more, blocked the bot); a row of its own, sent once like any other."""
    fields = {
        field.name: getattr(notification, field.name)
        for field in Notification._meta.concrete_fields
        if field.name not in ("id", "key", "channel", "status", "tries", "error", "sent_at")
    }
    fields.update(channel=Channel.EMAIL, send_after=None)
    key = notification.key.rsplit(":", 1)[0] + f":{Channel.EMAIL}"
    fallback, created = Notification.objects.get_or_create(key=key, defaults=fields)
    if created:
        logger.info("Notification %s goes by email instead (%s)", notification.pk, fallback.pk)
        if notification.kind == Kind.DIGEST:
            notification.entries.filter(status=Status.WAITING_DIGEST).update(digest=fallback)
        enqueue(fallback.pk)


def _finish(notification: Notification, **fields) -> None:
    for name, value in fields.items():
        setattr(notification, name, value)
    notification.save(update_fields=list(fields))


def notification_send(*, notification_id) -> str:
    """Send one queued notification and record the outcome; return its status.

    A row that is not queued (sent, failed, already being sent) is left alone: a
    task run twice sends once. A temporary failure queues the next try after a
    growing wait (``BACKOFF``); after ``MAX_TRIES`` tries, or a refusal, it failed."""
    with transaction.atomic():
        notification = (
            # Only the row is locked: PostgreSQL refuses to lock the nullable side of
            # the outer join to its recipient.
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            logger.warning("Notification %s does not exist; nothing sent", notification_id)
            return "missing"
        if notification.status != Status.QUEUED:
            logger.info(
                "Notification %s is %s; not sent again", notification.pk, notification.status
            )
            return notification.status
        if notification.send_after and notification.send_after > timezone.now():
            logger.info(
                "Notification %s is not due before %s", notification.pk, notification.send_after
            )
            return notification.status
        if notification.kind == Kind.DIGEST and not _compose_digest(notification):
            _finish(notification, status=Status.SKIPPED, error=_("Nothing to tell that day."))
            return notification.status
        if problem := _problem(notification):
            logger.info("Notification %s not sent: %s", notification.pk, problem)
            _finish(notification, status=Status.SKIPPED, error=problem, text=notification.text)
            if notification.kind == Kind.DIGEST:
                notification.entries.filter(status=Status.WAITING_DIGEST).update(
                    status=Status.SKIPPED, error=problem
                )
            return notification.status
        _finish(
            notification,
            status=Status.SENDING,
            tries=notification.tries + 1,
            text=notification.text,
            tried_at=timezone.now(),
        )
    try:
        _send(notification)
    except TemporaryFailure as error:
        if notification.tries >= MAX_TRIES:
            logger.error(
                "Notification %s failed after %s tries: %s",
                notification.pk,
                notification.tries,
                error,
            )
            _finish(notification, status=Status.FAILED, error=str(error))
        else:
            wait = error.retry_after or BACKOFF[min(notification.tries, len(BACKOFF)) - 1]
            logger.warning("Notification %s: %s; next try in %s", notification.pk, error, wait)
            _finish(
                notification,
                status=Status.QUEUED,
                error=str(error),
                send_after=timezone.now() + wait,
            )
            enqueue(notification.pk, run_after=notification.send_after)
    except PermanentFailure as error:
        logger.error("Notification %s refused: %s", notification.pk, error)
        _finish(notification, status=Status.FAILED, error=str(error))
        if notification.channel == Channel.LINE and notification.recipient_id:
            _email_instead(notification)
    except Exception as error:
        # Not knowing what happened, the row must not stay "sending" for ever.
        logger.exception("Notification %s could not be sent", notification.pk)
        _finish(notification, status=Status.FAILED, error=f"{type(error).__name__}: {error}")
    else:
        now = timezone.now()
        _finish(notification, status=Status.SENT, sent_at=now, error="")
        if notification.kind == Kind.DIGEST:
            notification.entries.filter(status=Status.WAITING_DIGEST).update(
                status=Status.IN_DIGEST, sent_at=now
            )
        logger.info("Notification %s sent by %s", notification.pk, notification.channel)
    return notification.status
