"""The words of each notification, in Thai whatever language the change was made
in: the people told are the municipality's leaders and officers."""

import datetime

from django.conf import settings
from django.utils import translation

from core.thaidates import format_date
from issues.models import Issue, IssueUpdate, Status

from .models import Kind

NOTE_QUOTED = 300  # A long note is quoted up to this many characters.


def _thai(label) -> str:
    with translation.override("th"):
        return str(label)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NOTE_QUOTED else text[: NOTE_QUOTED - 1].rstrip() + "…"


def issue_url(issue: Issue) -> str:
    return f"{settings.SITE_URL}{issue.get_absolute_url()}"


def _greeting(user) -> str:
    return f"เรียน คุณ{user.get_full_name() or user.username}"


def issue_message(*, kind: str, update: IssueUpdate, user) -> tuple[str, str]:
    """Return the subject and text telling ``user`` of ``update``."""
    issue = update.issue
    head = [
        _greeting(user),
        "",
        f"เรื่องเลขที่ {issue.reference} {' '.join(issue.title.split())}",
        f"ชุมชน {issue.community.number}. {issue.community.name_th}",
    ]
    if kind == Kind.ISSUE_ROUTED:
        department = update.to_department.name_th
        subject = f"เรื่องส่งถึง {department}: {issue.reference}"
        lines = [*head, f"ส่งให้ {department} ดำเนินการ"]
        if issue.target_date:
            lines.append(f"กำหนดแล้วเสร็จ: {format_date(issue.target_date, language='th')}")
    elif kind == Kind.ISSUE_REOPENED:
        subject = f"เรื่อง {issue.reference} เปิดดำเนินการอีกครั้ง: ยังแก้ไขไม่เรียบร้อย"
        who = update.actor.get_full_name() or update.actor.username if update.actor else ""
        lines = [
            *head,
            f"สถานะ: {_thai(Status(update.from_status).label)} → "
            f"{_thai(Status(update.to_status).label)}",
            f"แจ้งโดย {who} ว่ายังแก้ไขไม่เรียบร้อย" if who else "แจ้งว่ายังแก้ไขไม่เรียบร้อย",
        ]
    else:
        to_status = _thai(Status(update.to_status).label)
        subject = f"เรื่อง {issue.reference} ของชุมชน: {to_status}"
        lines = [*head]
        if update.from_status:
            lines.append(f"สถานะ: {_thai(Status(update.from_status).label)} → {to_status}")
        else:
            lines.append(f"สถานะ: {to_status}")
        if update.to_status == Status.RESOLVED:
            lines.append("ส่วนราชการแจ้งว่าแก้ไขแล้ว โปรดยืนยันว่าแก้ไขแล้วจริงหรือยัง")
    if update.note.strip():
        lines.append(f"หมายเหตุ: {_quote(update.note)}")
    lines += ["", f"ดูรายละเอียด: {issue_url(issue)}"]
    return subject, "\n".join(lines)


def digest_subject(day: datetime.date) -> str:
    return f"สรุปความเคลื่อนไหวของเรื่องร้องเรียน ประจำวันที่ {format_date(day, language='th')}"


def digest_text(*, user, entries) -> str:
    """One message telling ``user`` of every change in ``entries`` (notifications)."""
    lines = [_greeting(user), "", f"ความเคลื่อนไหว {len(entries)} รายการ"]
    for number, entry in enumerate(entries, start=1):
        lines += ["", f"{number}. {entry.subject}", f"   {issue_url(entry.issue)}"]
    return "\n".join(lines)
