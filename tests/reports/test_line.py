import datetime
import logging
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from communities.models import Community, IssueCategory, ParticipantRole
from issues import services as issue_services
from meetings import services
from meetings.models import AgendaItem
from meetings.services import RollEntry
from notifications.models import Channel, Kind, Notification
from notifications.models import Status as Sent
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


# Pushing to LINE: through the background worker and the notification log ----------


def _messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def _push(client, url, *, number=1, again=False):
    data = {"push": str(number)}
    if again:
        data["again"] = "1"
    return client.post(url, data, follow=True)


def test_push_sends_the_summary_to_the_group_through_the_worker(
    client, staff_user, full_meeting, line_api, django_capture_on_commit_callbacks
):
    meeting = full_meeting[0]
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])

    page = client.get(url)
    assert 'id="line-push"' in page.content.decode()
    assert 'name="again"' not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _push(client, url)

    assert response.redirect_chain == [(url, 302)]
    assert [level for level, _text in _messages(response)] == ["success"]
    [row] = Notification.objects.filter(meeting=meeting, kind=Kind.MEETING_SUMMARY)
    assert (row.channel, row.status, row.tries) == (Channel.LINE_GROUP, Sent.SENT, 1)
    assert row.requested_by == staff_user and row.recipients_count == 37
    [push] = line_api.pushes()
    assert push.headers["Authorization"] == "Bearer channel-token-123"
    assert push.headers["X-Line-Retry-Key"] == str(row.pk)
    assert push.body["to"] == "C0123456789abcdef0123456789abcdef"
    assert push.body["messages"] == [{"type": "text", "text": page.context["text"]}]
    assert "ครั้งที่ 1/2569" in push.body["messages"][0]["text"]

    shown = client.get(url).content.decode()
    assert "ส่งแล้ว" in shown and "37" in shown


def test_the_page_does_not_wait_for_line(
    client, staff_user, meeting, line_api, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _push(client, url)
    assert [level for level, _text in _messages(response)] == ["success"]
    assert line_api.calls == [] and len(callbacks) == 1
    assert Notification.objects.get(meeting=meeting).status == Sent.QUEUED


def test_the_same_meeting_is_pushed_again_only_when_confirmed(
    client, staff_user, meeting, line_api, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        _push(client, url)
    page = client.get(url)
    assert page.context["next_push"] == 2
    assert 'name="again"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        refused = _push(client, url, number=2)
    [(level, text)] = _messages(refused)
    assert level == "error" and "อีกครั้ง" in text
    assert Notification.objects.filter(meeting=meeting).count() == 1
    assert len(line_api.pushes()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        _push(client, url, number=2, again=True)
    assert Notification.objects.filter(meeting=meeting, status=Sent.SENT).count() == 2
    assert len(line_api.pushes()) == 2


def test_a_form_sent_twice_pushes_once(
    client, staff_user, meeting, line_api, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        _push(client, url)
        _push(client, url)
    assert Notification.objects.filter(meeting=meeting).count() == 1
    assert len(line_api.pushes()) == 1


def test_a_push_line_refuses_shows_on_the_page_and_in_the_log(
    client, staff_user, meeting, line_api, django_capture_on_commit_callbacks, caplog
):
    line_api.answer(
        "/v2/bot/message/push",
        (401, {"message": "Authentication failed. Confirm that the access token"}),
    )
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])
    with (
        caplog.at_level(logging.ERROR, logger="notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _push(client, url)

    row = Notification.objects.get(meeting=meeting)
    assert row.status == Sent.FAILED and "401" in row.error
    assert "Authentication failed" in row.error and "channel-token-123" not in row.error
    page = client.get(url).content.decode()
    assert "Authentication failed" in page and "ส่งไม่สำเร็จ" in page
    # A failed push is no reason to ask for a confirmation.
    assert 'name="again"' not in page
    records = [record for record in caplog.records if record.name == "notifications.services"]
    assert records and all("channel-token-123" not in record.getMessage() for record in records)


def test_a_bad_push_form_sends_nothing(client, staff_user, meeting, line_api):
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])
    response = client.post(url, {"push": "๒x"}, follow=True)
    assert [level for level, _text in _messages(response)] == ["error"]
    assert not Notification.objects.exists() and line_api.calls == []


@pytest.mark.parametrize("fixture", OTHERS)
def test_other_roles_cannot_push(client, request, fixture, published, line_api):
    _login(client, request, fixture)
    response = client.post(reverse("reports:line_summary", args=[published.pk]), {"push": "1"})
    assert response.status_code == 403
    assert line_api.calls == [] and not Notification.objects.exists()


def test_push_without_line_settings_says_so_and_sends_nothing(
    client, staff_user, meeting, line_api, settings
):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    settings.LINE_GROUP_ID = ""
    client.force_login(staff_user)
    url = reverse("reports:line_summary", args=[meeting.pk])

    page = client.get(url).content.decode()
    assert 'id="line-push"' not in page
    # Staff are told whom to ask; the names of the settings are the administrator's.
    assert "ยังไม่ได้ตั้งค่า LINE — โปรดติดต่อผู้ดูแลระบบ" in page
    assert "LINE_CHANNEL_ACCESS_TOKEN" not in page and "LINE_GROUP_ID" not in page

    response = _push(client, url)
    assert [level for level, _text in _messages(response)] == ["error"]
    assert line_api.calls == [] and not Notification.objects.exists()
    assert not line.line_configured()
