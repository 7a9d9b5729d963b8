"""The meeting summary for the community chairs' LINE group.

LINE Notify ended in March 2025; a group is now reached through a Messaging API
bot invited into it. The background worker pushes the summary
(``notifications.services.meeting_summary_push``).
"""

import unicodedata
from dataclasses import dataclass, field

from django.conf import settings

from communities.models import Community
from core.thaidates import format_date, format_time
from issues.selectors import carried_forward_count, carried_forward_first
from meetings import selectors
from meetings.models import Meeting

LINE_MESSAGE_LIMIT = 5000  # LINE's limit for one text message.
CARRIED_FORWARD_LISTED = 5  # The count says how many; the first few remind the chairs.
# Resolutions are free text of any length; a summary quotes the first part of each.
# The caps shrink, and lists may empty, until the message fits (see ``line_summary``).
_SHORTENING_STEPS = ((400, 5), (200, 0))  # (longest quoted text, entries each list keeps)
_LEADING_VOWELS = "เแโใไ"  # Written before the consonant they follow in speech.


def message_length(text: str) -> int:
    """Return the length of ``text`` as LINE counts it, in UTF-16 code units: an
    emoji counts twice, Thai letters once."""
    return len(text.encode("utf-16-le")) // 2


def line_configured() -> bool:
    """Return whether a channel token and a group id are set, so pushing can work."""
    return bool(settings.LINE_CHANNEL_ACCESS_TOKEN and settings.LINE_GROUP_ID)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _shorten(text: str, limit: int) -> str:
    """Return ``text`` on one line, at most ``limit`` characters, ending in ``…``
    when cut. Thai has no spaces between words, but it has them between phrases:
    cut at the last space, or else never between a letter and its vowel or tone mark."""
    text = _one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    else:
        while cut and unicodedata.category(text[len(cut)]) == "Mn":
            cut = cut[:-1]
        cut = cut.rstrip(_LEADING_VOWELS)
    return cut.rstrip() + "…"


@dataclass
class _Section:
    """Lines always shown, then entries that may be left off from the end."""

    head: list[str]
    entries: list[str] = field(default_factory=list)
    total: int | None = None  # How many the entries stand for, if more than listed.
    shown: int = 0

    def __post_init__(self):
        self.total = len(self.entries) if self.total is None else self.total
        self.shown = len(self.entries)

    def lines(self) -> list[str]:
        lines = [*self.head, *self.entries[: self.shown]]
        if self.total > self.shown:
            lines.append(f"… และอีก {self.total - self.shown} เรื่อง")
        return lines


def _compose(sections: list[_Section]) -> str:
    return "\n".join(line for section in sections for line in section.lines())


def _fits(text: str) -> bool:
    # Strictly under the limit, as the specification asks.
    return message_length(text) < LINE_MESSAGE_LIMIT


def _issue_line(issue) -> str:
    line = f"- {issue.reference} · {issue.community.number}. {issue.community.name_th}: "
    line += _one_line(issue.title)
    if issue.department:
        line += f" → {issue.department.name_th}"
    return line


@dataclass
class _Facts:
    """What the message tells, read once however often it is composed."""

    meeting: Meeting
    people: selectors.MinutesPeople
    community_count: int
    agenda: list
    raised: list
    carried: list  # the first CARRIED_FORWARD_LISTED
    carried_count: int


def _facts(*, meeting: Meeting) -> _Facts:
    return _Facts(
        meeting=meeting,
        people=selectors.minutes_people(meeting=meeting),
        community_count=Community.objects.filter(active=True).count(),
        agenda=selectors.meeting_agenda(meeting=meeting),
        raised=list(
            meeting.issues.select_related("community", "department").order_by(
                "fiscal_year", "number"
            )
        ),
        # Only public progress: the message leaves the municipality.
        carried=carried_forward_first(meeting=meeting, limit=CARRIED_FORWARD_LISTED),
        carried_count=carried_forward_count(meeting=meeting),
    )


def _sections(facts: _Facts, *, url: str, text_cap: int) -> list[_Section]:
    """Return the message in sections, quoting free text up to ``text_cap`` characters."""
    meeting, people = facts.meeting, facts.people
    when = f"วันที่ {format_date(meeting.date, language='th')}"
    if meeting.start_time:
        when += f" เวลา {format_time(meeting.start_time, language='th')}"
        if meeting.end_time:
            when += f" – {format_time(meeting.end_time, language='th')}"
    sections = [
        _Section(
            [
                f"สรุปการประชุมผู้นำชุมชนในเขต{settings.MUNICIPALITY_NAME}",
                # The Buddhist-Era year whatever the sender's language: this is for Thai chairs.
                f"ครั้งที่ {meeting.number}/{meeting.number_year}",
                when,
                f"ณ {_one_line(meeting.venue)}",
                "",
                f"ผู้เข้าร่วม: ชุมชนมาร่วมประชุม {people.communities_attended}/"
                f"{facts.community_count} ชุมชน "
                f"ผู้เข้าประชุมทั้งหมด {len(people.present) + len(people.attending)} คน",
                "",
                "ระเบียบวาระการประชุม",
            ]
        )
    ]
    for number, item in enumerate(facts.agenda, start=1):
        head = [f"วาระที่ {number} {_one_line(item.title)}"]
        if item.resolution.strip():
            head.append(f"มติ: {_shorten(item.resolution, text_cap)}")
        entries = []
        for sub_number, sub in enumerate(item.sub_items.all(), start=1):
            entry = f"  {number}.{sub_number} {_one_line(sub.title)}"
            if sub.resolution.strip():
                entry += f"\n  มติ: {_shorten(sub.resolution, text_cap)}"
            entries.append(entry)
        sections.append(_Section(head, entries))
    if facts.raised:
        sections.append(
            _Section(
                ["", f"เรื่องที่ชุมชนเสนอในการประชุมครั้งนี้ {len(facts.raised)} เรื่อง"],
                [_issue_line(issue) for issue in facts.raised],
            )
        )
    if facts.carried_count:
        sections.append(
            _Section(
                ["", f"เรื่องสืบเนื่องที่ยังไม่ปิด {facts.carried_count} เรื่อง"],
                [_issue_line(row.issue) for row in facts.carried],
                total=facts.carried_count,
            )
        )
    closing = "ดูรายละเอียดและติดตามความคืบหน้าทุกเรื่องได้ในระบบติดตามการประชุม"
    sections.append(_Section(["", f"{closing}: {url}" if url else closing]))
    return sections


def _cut_at_lines(text: str, closing: list[str]) -> str:
    """Keep whole lines of ``text`` while they fit, then the closing lines."""
    tail = "\n".join(["…", *closing])
    kept: list[str] = []
    for line in text.split("\n"):
        if not _fits("\n".join([*kept, line, tail])):
            break
        kept.append(line)
    return "\n".join([*kept, tail])


def line_summary(*, meeting: Meeting, url: str = "") -> str:
    """Return the meeting's summary for the chairs' LINE group, in Thai, under
    ``LINE_MESSAGE_LIMIT`` characters; ``url`` is where the system shows the meeting.

    When the whole message is too long, long resolutions are quoted shorter (cut
    between phrases, ending in ``…``) and the longest lists lose whole entries from
    their end, each list then saying how many more there are."""
    # Thai names and dates are asked for explicitly (``name_th``, ``language="th"``):
    # the message is Thai whatever language the sender reads the site in.
    facts = _facts(meeting=meeting)
    for text_cap, keep in _SHORTENING_STEPS:
        sections = _sections(facts, url=url, text_cap=text_cap)
        text = _compose(sections)
        while not _fits(text):
            candidates = [section for section in sections if section.shown > keep]
            if not candidates:
                break
            # The longest list gives way first; on a tie the later, less central one.
            longest = max(reversed(candidates), key=lambda section: section.shown)
            longest.shown -= 1
            text = _compose(sections)
        if _fits(text):
            return text
    # Only a pathological agenda (dozens of main items) gets here.
    return _cut_at_lines(text, sections[-1].head)
