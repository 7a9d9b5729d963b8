"""What LINE posts to ``/line/webhook/``: a leader's tap on แก้ไขแล้ว / ยังไม่ได้แก้ไข
under a resolved issue (a postback), done as on the issue's page.

Each outcome is logged and recorded with the event's id (``WebhookEvent``), so that
LINE's redelivery of an event acts once; the issue's version in the postback makes
a second tap on the same buttons change nothing either.
"""

import logging
from dataclasses import dataclass
from urllib.parse import parse_qs

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from linebot.v3.webhooks import PostbackEvent

from core.numbers import parse_int
from issues import services as issue_services
from issues.models import Issue

from . import line, messages
from .models import WebhookEvent

logger = logging.getLogger(__name__)

DISPUTE_REASON = "ผู้นำชุมชนแจ้งทาง LINE ว่ายังไม่ได้แก้ไข"


@dataclass(frozen=True)
class Answer:
    action: str
    issue_id: int
    version: int


def answer_parse(data: str) -> Answer | None:
    """Return the answer a postback's ``data`` carries (``line.postback_data``), or
    ``None`` for anything else."""
    fields = parse_qs(data, strict_parsing=False, max_num_fields=5)
    action = (fields.get("action") or [""])[0]
    issue_id = parse_int((fields.get("issue") or [""])[0], min_value=1, max_value=2**63 - 1)
    version = parse_int((fields.get("v") or [""])[0], min_value=1, max_value=2**31 - 1)
    if action not in (line.FIXED, line.NOT_FIXED) or issue_id is None or version is None:
        return None
    return Answer(action, issue_id, version)


def _answer(answer: Answer, user) -> tuple[str, str]:
    """Do ``answer`` for ``user``; return the outcome for the log and the reply."""
    issue = Issue.objects.filter(pk=answer.issue_id).select_related("community").first()
    if issue is None:
        return "no such issue", "ไม่พบเรื่องนี้ในระบบ"
    link = messages.issue_url(issue)
    try:
        if answer.action == line.FIXED:
            issue_services.leader_confirm_fix(issue=issue, actor=user, version=answer.version)
        else:
            issue_services.leader_dispute_fix(
                issue=issue, actor=user, reason=DISPUTE_REASON, version=answer.version
            )
    except PermissionDenied:
        return (
            f"refused: user {user.pk} is not a leader of the community of issue {issue.pk}",
            "ท่านไม่ได้เป็นผู้นำชุมชนของเรื่องนี้ จึงยืนยันผลแทนชุมชนไม่ได้",
        )
    except issue_services.AlreadyAnswered:
        return (
            f"repeat: user {user.pk} answered about issue {issue.pk} before",
            f"ท่านตอบเรื่อง {issue.reference} ไปแล้ว ระบบบันทึกคำตอบแรกไว้ ดูสถานะล่าสุดที่ {link}",
        )
    except issue_services.StaleIssue:
        return (
            f"stale: issue {issue.pk} changed since the message (version {answer.version})",
            f"เรื่อง {issue.reference} มีความเคลื่อนไหวใหม่หลังจากข้อความนี้ "
            f"ระบบไม่ได้บันทึกคำตอบนี้ โปรดดูสถานะล่าสุดที่ {link}",
        )
    except ValidationError:
        return (
            f"refused: issue {issue.pk} is no longer waiting for the community's answer",
            f"เรื่อง {issue.reference} ไม่ได้รอการยืนยันจากชุมชนแล้ว ดูสถานะล่าสุดที่ {link}",
        )
    if answer.action == line.FIXED:
        return (
            f"issue {issue.pk} confirmed fixed by user {user.pk}",
            f"ขอบคุณที่ยืนยัน บันทึกแล้วว่าเรื่อง {issue.reference} แก้ไขแล้ว และปิดเรื่องเรียบร้อย",
        )
    return (
        f"issue {issue.pk} reopened by user {user.pk}",
        f"บันทึกแล้วว่าเรื่อง {issue.reference} ยังไม่ได้แก้ไข เรื่องกลับไปให้ส่วนราชการดำเนินการต่อ "
        f"เพิ่มรายละเอียดหรือรูปภาพได้ที่ {link}",
    )


def event_handle(data) -> str:
    """Handle one event (its JSON) of a correctly signed batch; return its outcome."""
    kind = data.get("type", "unknown") if isinstance(data, dict) else "unknown"
    if kind != "postback":
        return f"ignored: {str(kind)[:40]} event"
    try:
        event = PostbackEvent.from_dict(data)
    except (ValueError, TypeError, AttributeError):
        return "ignored: a postback event LINE's SDK cannot read"
    event_id = event.webhook_event_id
    reply = ""
    with transaction.atomic():
        record, created = WebhookEvent.objects.get_or_create(event_id=event_id)
        if not created:
            outcome = "ignored: this event was handled before"
            if event.delivery_context.is_redelivery:
                outcome += " (a redelivery)"
            return outcome
        answer = answer_parse(event.postback.data)
        line_id = getattr(event.source, "user_id", None)
        user = line.line_user(line_id) if line_id else None
        if answer is None:
            outcome = "ignored: not an answer this system asked for"
        elif user is None:
            outcome = "refused: the LINE account is not linked to an active user"
            reply = (
                "บัญชี LINE นี้ยังไม่ได้เชื่อมกับระบบติดตามการประชุม "
                "โปรดเข้าสู่ระบบด้วย LINE ในเว็บไซต์ก่อน แล้วจึงตอบอีกครั้ง"
            )
        else:
            outcome, reply = _answer(answer, user)
        record.outcome = outcome[:300]
        record.save(update_fields=["outcome"])
    # After the commit: the answer is on record whatever LINE says to the reply.
    if reply and event.reply_token:
        line.reply(reply_token=event.reply_token, text=reply)
    return outcome
