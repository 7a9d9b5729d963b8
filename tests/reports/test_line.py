import datetime
import io
import json
import logging
import unicodedata
import urllib.error
import urllib.request

import pytest
from django.urls import resolve, reverse
from django.utils import timezone, translation

from communities.models import Community, IssueCategory, ParticipantRole
from issues import services as issue_services
from meetings import services
from meetings.models import AgendaItem
from meetings.services import RollEntry
from reports import line

from .conftest import PAST_DAY

pytestmark = pytest.mark.django_db

ALL_ROLES = ["admin_user", "staff_user", "officer_user", "kpt_user", "leader_user"]
SECRETARIAT = {"admin_user", "staff_user"}
OTHERS = ["officer_user", "kpt_user", "leader_user"]
CLOSING = "ดูรายละเอียดและติดตามความคืบหน้าทุกเรื่องได้ในระบบติดตามการประชุม"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _issue(actor, *, title, meeting=None, at, community_number=1):
    return issue_services.issue_create(
        actor=actor,
        community=Community.objects.get(number=community_number),
        category=IssueCategory.objects.get(code="road"),
        title=title,
        meeting=meeting,
        at=at,
    )


def _resolve(meeting, actor, resolutions: dict[int, str]) -> None:
    """Write a resolution under the top-level agenda items numbered 1-5."""
    items = {item.order: item for item in meeting.agenda_items.filter(parent__isnull=True).all()}
    texts = {items[order].pk: ("", text) for order, text in resolutions.items()}
    services.minutes_update(meeting=meeting, actor=actor, texts=texts)


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(PAST_DAY, end_time=datetime.time(12, 0))


@pytest.fixture
def published(make_meeting):
    return make_meeting(datetime.date(2026, 1, 7), status="published")


@pytest.fixture
def full_meeting(meeting, staff_user, hundred_participants):
    """Meeting 1/2569 with resolutions, a sub-item, attendance and issues."""
    _resolve(meeting, staff_user, {1: "ที่ประชุมรับทราบ", 4: "เห็นชอบให้จัดงานวันเด็ก"})
    parent = meeting.agenda_items.get(parent__isnull=True, order=4)
    sub = services.agenda_sub_item_add(
        meeting=meeting, actor=staff_user, parent=parent, title="การจัดงานสงกรานต์ 2569"
    )
    services.minutes_update(
        meeting=meeting, actor=staff_user, texts={sub.pk: ("", "มอบกองสาธารณสุขดูแลความสะอาด")}
    )
    chairs = [p for p in hundred_participants if p.role == ParticipantRole.CHAIR][:3]
    department = next(p for p in hundred_participants if p.role == ParticipantRole.DEPARTMENT)
    services.attendance_record(
        meeting=meeting,
        actor=staff_user,
        entries=[RollEntry(person.pk, "present") for person in [*chairs, department]],
    )
    carried = _issue(staff_user, title="ไฟส่องสว่างดับทั้งซอย", at=_at(datetime.date(2026, 2, 2)))
    raised = _issue(
        staff_user,
        title="ถนนชำรุดเป็นหลุมบ่อหน้าโรงเรียน",
        meeting=meeting,
        at=_at(PAST_DAY),
        community_number=2,
    )
    return meeting, raised, carried


# The text ------------------------------------------------------------------------


def test_summary_tells_the_meeting_in_thai(full_meeting):
    meeting, raised, carried = full_meeting

    text = line.line_summary(meeting=meeting, url="https://example.go.th/meetings/1/")

    lines = text.split("\n")
    assert lines[0] == "สรุปการประชุมผู้นำชุมชนในเขตเทศบาลนครหัวหิน"
    assert lines[1] == "ครั้งที่ 1/2569"
    assert lines[2] == "วันที่ 4 มีนาคม 2569 เวลา 09.30 น. – 12.00 น."
    assert lines[3] == "ณ ห้องประชุมเทศบาลนครหัวหิน ชั้น 3"
    assert "ชุมชนมาร่วมประชุม 3/42 ชุมชน ผู้เข้าประชุมทั้งหมด 4 คน" in text
    assert "วาระที่ 1 เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ\nมติ: ที่ประชุมรับทราบ" in text
    assert "วาระที่ 4 เรื่องเพื่อพิจารณา\nมติ: เห็นชอบให้จัดงานวันเด็ก" in text
    assert "  4.1 การจัดงานสงกรานต์ 2569\n  มติ: มอบกองสาธารณสุขดูแลความสะอาด" in text
    assert "เรื่องที่ชุมชนเสนอในการประชุมครั้งนี้ 1 เรื่อง" in text
    community = Community.objects.get(number=2)
    assert (
        f"- {raised.reference} · 2. {community.name_th}: ถนนชำรุดเป็นหลุมบ่อหน้าโรงเรียน"
        f" → {raised.department.name_th}"
    ) in text
    assert "เรื่องสืบเนื่องที่ยังไม่ปิด 1 เรื่อง" in text
    assert f"- {carried.reference} · 1. ชุมชน" in text
    assert text.endswith(f"{CLOSING}: https://example.go.th/meetings/1/")
    assert "… และอีก" not in text


def test_summary_is_thai_even_for_a_user_reading_english(full_meeting):
    meeting, _raised, _carried = full_meeting
    with translation.override("en"):
        text = line.line_summary(meeting=meeting)
    assert "ครั้งที่ 1/2569" in text
    assert "4 มีนาคม 2569" in text
    assert text.endswith(CLOSING)


def test_summary_of_sixty_long_issues_stays_under_lines_limit(meeting, staff_user, reference_data):
    long_resolution = " ".join(["ที่ประชุมมีมติเห็นชอบให้ดำเนินการตามที่เสนอโดยเร่งด่วน"] * 80)
    _resolve(meeting, staff_user, dict.fromkeys(range(1, 6), long_resolution))
    titles = []
    for index in range(60):
        title = f"เรื่องที่ {index + 1:02d} " + "ถนนชำรุดเป็นหลุมบ่อน้ำท่วมขัง" * 9
        titles.append(title[:300])
        _issue(
            staff_user,
            title=title[:300],
            meeting=meeting,
            at=_at(PAST_DAY),
            community_number=index % 42 + 1,
        )

    text = line.line_summary(meeting=meeting, url="https://example.go.th/meetings/1/")

    assert len(text) < line.LINE_MESSAGE_LIMIT
    assert line.message_length(text) < line.LINE_MESSAGE_LIMIT == 5000
    assert text.endswith(f"{CLOSING}: https://example.go.th/meetings/1/")
    assert "ครั้งที่ 1/2569" in text
    assert "เรื่องที่ชุมชนเสนอในการประชุมครั้งนี้ 60 เรื่อง" in text
    # Whole issues are left off, never half a line: each listed title is complete.
    listed = [title for title in titles if title in text]
    assert 0 < len(listed) < 60
    assert listed == titles[: len(listed)]
    assert f"… และอีก {60 - len(listed)} เรื่อง" in text
    # Long resolutions are quoted shorter, cut between phrases.
    resolutions = [row for row in text.split("\n") if row.startswith("มติ: ")]
    assert len(resolutions) == 5
    for row in resolutions:
        quoted = row.removeprefix("มติ: ")
        assert quoted.endswith("…")
        assert long_resolution.startswith(quoted.removesuffix("…"))
        assert long_resolution[len(quoted) - 1] == " "


def test_many_long_sub_items_give_way_and_resolutions_get_shorter(meeting, staff_user):
    parent = meeting.agenda_items.get(parent__isnull=True, order=4)
    long_resolution = " ".join(["มอบหมายกองช่างสำรวจพื้นที่และจัดทำประมาณการ"] * 40)
    for index in range(30):
        sub = services.agenda_sub_item_add(
            meeting=meeting, actor=staff_user, parent=parent, title=f"เรื่องย่อยที่ {index + 1}"
        )
        services.minutes_update(
            meeting=meeting, actor=staff_user, texts={sub.pk: ("", long_resolution)}
        )

    text = line.line_summary(meeting=meeting)

    assert line.message_length(text) < line.LINE_MESSAGE_LIMIT
    assert text.endswith(CLOSING)
    shown = sum(f"  4.{index} เรื่องย่อยที่ {index}\n" in text for index in range(1, 31))
    assert 0 < shown < 30
    assert f"… และอีก {30 - shown} เรื่อง" in text


def test_a_huge_agenda_is_cut_between_lines_and_keeps_the_closing(meeting):
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=order, kind="other", title=f"{order} " + "ก" * 290)
        for order in range(6, 46)
    )

    text = line.line_summary(meeting=meeting, url="https://example.go.th/m/1/")

    assert line.message_length(text) < line.LINE_MESSAGE_LIMIT
    assert text.startswith("สรุปการประชุมผู้นำชุมชนในเขตเทศบาลนครหัวหิน\nครั้งที่ 1/2569")
    assert text.endswith(f"…\n\n{CLOSING}: https://example.go.th/m/1/")
    for row in text.split("\n"):
        if row.startswith("วาระที่ "):
            assert row.endswith("ก" * 290) or len(row) < 100


def test_text_without_spaces_is_never_cut_before_a_vowel_or_tone_mark():
    text = "น้ำท่วมขังเป็นเวลานานเพราะท่อระบายน้ำอุดตัน" * 10
    for limit in range(5, 60):
        short = line._shorten(text, limit)
        kept = short.removesuffix("…")
        assert len(short) <= limit
        assert text.startswith(kept)
        assert unicodedata.category(text[len(kept)]) != "Mn"
        assert kept[-1] not in "เแโใไ"


# Who may open it -----------------------------------------------------------------


def _login(client, request, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    return user


@pytest.mark.parametrize("fixture", ALL_ROLES)
def test_only_the_secretariat_opens_the_summary_of_a_published_meeting(
    client, request, fixture, published
):
    _login(client, request, fixture)
    response = client.get(reverse("reports:line_summary", args=[published.pk]))
    assert response.status_code == (200 if fixture in SECRETARIAT else 403)
    if fixture in SECRETARIAT:
        page = response.content.decode()
        assert "ครั้งที่ 1/2569" in response.context["text"]
        assert "<textarea" in page and "readonly" in page
        assert "js/copy.js" in page
        assert response.context["length"] == line.message_length(response.context["text"])


@pytest.mark.parametrize("fixture", ALL_ROLES)
def test_the_summary_of_a_draft_does_not_exist_outside_the_secretariat(
    client, request, fixture, meeting
):
    _login(client, request, fixture)
    response = client.get(reverse("reports:line_summary", args=[meeting.pk]))
    assert response.status_code == (200 if fixture in SECRETARIAT else 404)


def test_meeting_page_links_to_the_summary_for_the_secretariat(client, staff_user, meeting):
    client.force_login(staff_user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("reports:line_summary", args=[meeting.pk]) in page


# Pushing to LINE -----------------------------------------------------------------


class FakeLine:
    """Stands in for ``urllib.request.urlopen``: records each request."""

    def __init__(self, error=None):
        self.error = error
        self.calls = []

    def __call__(self, request, timeout=None):
        self.calls.append((request, timeout))
        if self.error:
            raise self.error
        return io.BytesIO(b"{}")


@pytest.fixture
def line_settings(settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN = "channel-token-123"
    settings.LINE_GROUP_ID = "C0123456789abcdef"
    return settings


def _fake(monkeypatch, error=None) -> FakeLine:
    fake = FakeLine(error)
    monkeypatch.setattr(line.urllib.request, "urlopen", fake)
    return fake


def _messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def test_push_sends_the_summary_to_the_group(
    client, staff_user, full_meeting, line_settings, monkeypatch
):
    meeting = full_meeting[0]
    fake = _fake(monkeypatch)
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])

    page = client.get(url)
    assert 'id="line-push"' in page.content.decode()
    response = client.post(url, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert [level for level, _text in _messages(response)] == ["success"]
    [(sent, timeout)] = fake.calls
    assert timeout == 10
    assert sent.full_url == "https://api.line.me/v2/bot/message/push"
    assert sent.get_method() == "POST"
    assert sent.get_header("Authorization") == "Bearer channel-token-123"
    assert sent.get_header("Content-type").startswith("application/json")
    body = json.loads(sent.data.decode("utf-8"))
    assert body == {
        "to": "C0123456789abcdef",
        "messages": [{"type": "text", "text": page.context["text"]}],
    }
    assert "ครั้งที่ 1/2569" in body["messages"][0]["text"]


def test_push_runs_outside_the_request_transaction():
    url = reverse("reports:line_summary", args=[1])
    assert "default" in resolve(url).func._non_atomic_requests


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            urllib.error.HTTPError(
                "https://api.line.me/v2/bot/message/push",
                401,
                "Unauthorized",
                {},
                io.BytesIO(b'{"message":"Authentication failed. Confirm that the access token"}'),
            ),
            ["401", "Authentication failed"],
        ),
        (urllib.error.URLError("[Errno -3] Temporary failure in name resolution"), ["name"]),
        (TimeoutError("The read operation timed out"), ["timed out"]),
    ],
)
def test_a_failed_push_is_shown_and_logged(
    client, staff_user, meeting, line_settings, monkeypatch, caplog, error, shown
):
    fake = _fake(monkeypatch, error)
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])

    with caplog.at_level(logging.ERROR, logger="reports.line"):
        response = client.post(url, follow=True)

    assert len(fake.calls) == 1
    [(level, text)] = _messages(response)
    assert level == "error"
    for part in shown:
        assert part in text
    assert "channel-token-123" not in text
    records = [record for record in caplog.records if record.name == "reports.line"]
    assert records and records[0].levelno == logging.ERROR
    assert all("channel-token-123" not in record.getMessage() for record in records)


def test_push_error_names_the_problem_without_django(line_settings, monkeypatch):
    _fake(monkeypatch, urllib.error.URLError("connection refused"))
    with pytest.raises(line.LinePushError, match="connection refused"):
        line.line_push(text="ทดสอบ")


@pytest.mark.parametrize("fixture", OTHERS)
def test_other_roles_cannot_push(client, request, fixture, published, line_settings, monkeypatch):
    fake = _fake(monkeypatch)
    _login(client, request, fixture)
    response = client.post(reverse("reports:line_summary", args=[published.pk]))
    assert response.status_code == 403
    assert fake.calls == []


def test_push_without_line_settings_says_so_and_sends_nothing(
    client, staff_user, meeting, settings, monkeypatch
):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    settings.LINE_GROUP_ID = ""
    fake = _fake(monkeypatch)
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])

    page = client.get(url).content.decode()
    assert 'id="line-push"' not in page
    assert "LINE_CHANNEL_ACCESS_TOKEN" in page and "LINE_GROUP_ID" in page

    response = client.post(url, follow=True)
    assert [level for level, _text in _messages(response)] == ["error"]
    assert fake.calls == []
    assert not line.line_configured()
