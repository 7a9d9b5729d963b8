"""LINE through the Messaging API (the official ``line-bot-sdk``): pushes to a
person or to the chairs' group, replies in the webhook, and who a LINE user is.

Failures become ``TemporaryFailure`` (429, 5xx, no connection: try again later)
or ``PermanentFailure`` (any other refusal) with a message for the log; the
channel token never appears in one.
"""

import json
import logging

import urllib3
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.utils.translation import gettext as _
from linebot.v3.messaging import (
    ApiClient,
    ButtonsTemplate,
    Configuration,
    MessagingApi,
    PostbackAction,
    PushMessageRequest,
    ReplyMessageRequest,
    TemplateMessage,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException

from accounts.line import LINE_PROVIDER, line_user_id
from issues.models import Status

from .models import Channel, Kind, Notification
from .services import PermanentFailure, TemporaryFailure

logger = logging.getLogger(__name__)

LINE_TIMEOUT_SECONDS = 10
TEXT_LIMIT = 5000  # LINE's limit for one text message.
BUTTONS_TEXT_LIMIT = 160  # A buttons template without a title or image.
# What the two buttons under a resolved issue post back to the webhook.
FIXED, NOT_FIXED = "fixed", "not_fixed"


def line_user_configured() -> bool:
    """Return whether a channel token is set, so messages to people can be pushed."""
    return bool(settings.LINE_CHANNEL_ACCESS_TOKEN)


def line_id_of(user) -> str | None:
    """Return the LINE user id ``user`` linked by logging in with LINE, if any."""
    return line_user_id(user)


def line_ids_of(users) -> dict[int, str]:
    """Return the LINE user id of each of ``users`` who linked LINE, by user pk: what
    ``line_id_of`` gives one by one, read at once."""
    ids: dict[int, str] = {}
    accounts = (
        SocialAccount.objects.filter(
            provider=LINE_PROVIDER, user_id__in=[user.pk for user in users]
        )
        .order_by("pk")
        .values_list("user_id", "uid")
    )
    for user_id, uid in accounts:
        ids.setdefault(user_id, uid)
    return ids


def line_user(line_id: str):
    """Return the active user who linked the LINE account ``line_id``, or ``None``."""
    account = (
        SocialAccount.objects.filter(provider=LINE_PROVIDER, uid=line_id, user__is_active=True)
        .select_related("user__profile")
        .order_by("pk")
        .first()
    )
    return account.user if account else None


def _api(client: ApiClient) -> MessagingApi:
    return MessagingApi(client)


def _client() -> ApiClient:
    return ApiClient(Configuration(access_token=settings.LINE_CHANNEL_ACCESS_TOKEN))


def _detail(error: ApiException) -> str:
    """LINE explains a refusal in a JSON body: {"message": "...", "details": [...]}."""
    try:
        body = json.loads(error.body or b"{}")
        detail = str(body.get("message", ""))
        extra = [str(item.get("message", "")) for item in body.get("details") or []]
    except (ValueError, TypeError, AttributeError):
        detail, extra = "", []
    return " ".join(part for part in [detail, *extra] if part)[:300] or str(error.reason or "")


def _failure(error: ApiException) -> Exception:
    status = error.status or 0
    text = _("LINE answered HTTP %(status)s: %(detail)s") % {
        "status": status,
        "detail": _detail(error),
    }
    if status == 429 and "monthly limit" in text.lower():
        # The plan's messages for the month are used up: no retry today helps.
        return PermanentFailure(
            _("LINE's monthly message limit is reached (LINE_MONTHLY_QUOTA). %(text)s")
            % {"text": text}
        )
    if status == 0 or status == 429 or status >= 500:
        return TemporaryFailure(text)
    return PermanentFailure(text)


def _unreachable(error: Exception) -> TemporaryFailure:
    return TemporaryFailure(_("LINE could not be reached: %(reason)s") % {"reason": error})


def push(*, to: str, messages: list, retry_key: str) -> None:
    """Push ``messages`` to ``to`` (a user or group id) once: LINE accepts a retry
    with the same ``retry_key`` only if the first try did not arrive."""
    try:
        with _client() as client:
            _api(client).push_message(
                PushMessageRequest(to=to, messages=messages),
                x_line_retry_key=retry_key,
                _request_timeout=LINE_TIMEOUT_SECONDS,
            )
    except ApiException as error:
        if error.status == 409:
            # "The retry key is already accepted": an earlier try arrived.
            logger.info("LINE had already accepted push %s", retry_key)
            return
        raise _failure(error) from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise _unreachable(error) from error


def group_member_count(group_id: str) -> int | None:
    """Return how many people are in the group (what a push to it costs), or
    ``None`` when LINE does not say."""
    try:
        with _client() as client:
            return (
                _api(client)
                .get_group_member_count(group_id, _request_timeout=LINE_TIMEOUT_SECONDS)
                .count
            )
    except (ApiException, urllib3.exceptions.HTTPError, OSError) as error:
        logger.warning(
            "LINE did not give the group's member count: %s", getattr(error, "status", error)
        )
        return None


def reply(*, reply_token: str, text: str) -> None:
    """Answer a webhook event with a text (replies do not count against the plan)."""
    if not line_user_configured():
        return
    try:
        with _client() as client:
            _api(client).reply_message(
                ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text)]),
                _request_timeout=LINE_TIMEOUT_SECONDS,
            )
    except ApiException as error:
        logger.warning("LINE refused the reply: HTTP %s %s", error.status, _detail(error))
    except (urllib3.exceptions.HTTPError, OSError) as error:
        logger.warning("LINE could not be reached for a reply: %s", error)


def postback_data(*, action: str, issue) -> str:
    return f"action={action}&issue={issue.pk}&v={issue.version}"


def _fix_question(issue) -> TemplateMessage:
    """The two buttons a leader answers a resolved issue with."""
    text = f"เรื่อง {issue.reference} แก้ไขแล้วจริงหรือไม่"
    return TemplateMessage(
        alt_text=f"โปรดยืนยันว่าเรื่อง {issue.reference} แก้ไขแล้วหรือยัง",
        template=ButtonsTemplate(
            text=text[:BUTTONS_TEXT_LIMIT],
            actions=[
                PostbackAction(
                    label="แก้ไขแล้ว",
                    data=postback_data(action=FIXED, issue=issue),
                    display_text="แก้ไขแล้ว",
                ),
                PostbackAction(
                    label="ยังไม่ได้แก้ไข",
                    data=postback_data(action=NOT_FIXED, issue=issue),
                    display_text="ยังไม่ได้แก้ไข",
                ),
            ],
        ),
    )


def notification_push(notification: Notification) -> None:
    """Send ``notification`` by LINE, to its person or to the chairs' group."""
    if not line_user_configured():
        raise PermanentFailure(_("LINE is not set up: the channel token is missing."))
    messages = [TextMessage(text=notification.text[:TEXT_LIMIT])]
    if notification.channel == Channel.LINE_GROUP:
        to = notification.address
        if not to:
            raise PermanentFailure(_("LINE is not set up: the group id is missing."))
    else:
        to = line_id_of(notification.recipient)
        if not to:
            raise PermanentFailure(_("The person no longer has LINE linked."))
        issue = notification.issue
        if (
            notification.kind == Kind.ISSUE_STATUS
            and issue is not None
            and issue.status == Status.RESOLVED
            and notification.issue_update.to_status == Status.RESOLVED
        ):
            messages.append(_fix_question(issue))
    push(to=to, messages=messages, retry_key=str(notification.pk))
    if notification.channel == Channel.LINE_GROUP:
        count = group_member_count(to)
        if count:
            notification.recipients_count = count
            notification.save(update_fields=["recipients_count"])
