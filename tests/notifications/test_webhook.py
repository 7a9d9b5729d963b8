"""LINE's webhook: signatures computed for real from a test channel secret, and a
leader's taps on แก้ไขแล้ว / ยังไม่ได้แก้ไข. LINE's reply API is faked below the SDK."""

import base64
import hashlib
import hmac
import itertools
import json
import logging

import pytest
from django.urls import reverse

from issues import services as issue_services
from issues.models import Outcome, Status
from notifications.models import Notification, WebhookEvent

from .conftest import link_line

pytestmark = pytest.mark.django_db

SECRET = "test-channel-secret"
URL = "/line/webhook/"
_ids = itertools.count(1)


def sign(body: bytes, secret: str = SECRET) -> str:
    """What LINE puts in X-Line-Signature: base64 of HMAC-SHA256 of the body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def postback(data: str, *, user_id: str, event_id: str | None = None, redelivery=False) -> dict:
    return {
        "type": "postback",
        "mode": "active",
        "timestamp": 1764590000000,
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id or f"01JTESTEVENT{next(_ids):014d}",
        "deliveryContext": {"isRedelivery": redelivery},
        "replyToken": "a" * 32,
        "postback": {"data": data},
    }


def batch(*events) -> bytes:
    return json.dumps({"destination": "U" + "0" * 32, "events": list(events)}).encode()


def deliver(client, body: bytes, signature: str | None = "computed"):
    headers = {}
    if signature == "computed":
        headers["X-Line-Signature"] = sign(body)
    elif signature is not None:
        headers["X-Line-Signature"] = signature
    return client.post(URL, body, content_type="application/json", headers=headers)


@pytest.fixture
def resolved(new_issue, officer):
    """An issue of community 1 its department marked resolved."""
    issue = new_issue()
    for status in (Status.IN_PROGRESS, Status.RESOLVED):
        issue = issue_services.issue_update(
            issue=issue, actor=officer, version=None, to_status=status
        )
    return issue


def _data(action, issue):
    return f"action={action}&issue={issue.pk}&v={issue.version}"


def _reply_texts(line_api) -> list[str]:
    return [call.body["messages"][0]["text"] for call in line_api.replies()]


def test_the_webhook_is_at_its_documented_address():
    assert reverse("notifications:line_webhook") == URL


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "bm90IGEgc2lnbmF0dXJl",
        "ลายเซ็นปลอม",
        sign(b"another body"),
        "computed-with-another-secret",
    ],
    ids=["missing", "empty", "garbage", "not-ascii", "of-another-body", "another-secret"],
)
def test_a_forged_or_missing_signature_is_refused_and_changes_nothing(
    client, line_api, leader, resolved, signature, caplog
):
    uid = link_line(leader)
    body = batch(postback(_data("fixed", resolved), user_id=uid))
    if signature == "computed-with-another-secret":
        signature = sign(body, "not-the-channel-secret")
    with caplog.at_level(logging.WARNING, logger="notifications.views"):
        response = deliver(client, body, signature)

    assert response.status_code == 400
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    assert not WebhookEvent.objects.exists() and line_api.calls == []
    assert any("LINE webhook refused" in record.getMessage() for record in caplog.records)


def test_without_a_channel_secret_every_request_is_refused(client, line_api, settings):
    settings.LINE_CHANNEL_SECRET = ""
    body = batch()
    response = deliver(client, body, sign(body, ""))
    assert response.status_code == 400


def test_a_signed_body_that_is_not_a_batch_is_refused(client, line_api):
    for body in (b"not json", b'{"no": "events"}', b'{"events": "abc"}', b"\xff\xfe"):
        assert deliver(client, body).status_code == 400, body


def test_the_webhook_takes_only_posts(client, line_api):
    assert client.get(URL).status_code == 405


def test_a_signed_batch_is_accepted_even_when_nothing_in_it_concerns_us(client, line_api):
    message = {
        "type": "message",
        "mode": "active",
        "timestamp": 1764590000000,
        "source": {"type": "user", "userId": "U" + "1" * 32},
        "webhookEventId": "01JTESTMESSAGE000000000001",
        "deliveryContext": {"isRedelivery": False},
        "replyToken": "b" * 32,
        "message": {"id": "1", "type": "text", "text": "สวัสดี", "quoteToken": "q"},
    }
    assert deliver(client, batch()).status_code == 200  # LINE's "Verify" button
    unknown = dict(message, type="somethingNew", webhookEventId="01JTESTMESSAGE000000000002")
    broken = {"type": "postback", "webhookEventId": "01JTESTMESSAGE000000000003"}
    assert deliver(client, batch(message, unknown, broken, "not an event")).status_code == 200
    assert not WebhookEvent.objects.exists() and line_api.calls == []


def test_a_leaders_tap_on_fixed_closes_the_issue_as_fixed(
    client, line_api, leader, other_leader, resolved, django_capture_on_commit_callbacks
):
    uid = link_line(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, batch(postback(_data("fixed", resolved), user_id=uid)))

    assert response.status_code == 200
    resolved.refresh_from_db()
    assert (resolved.status, resolved.outcome) == (Status.CLOSED, Outcome.FIXED)
    last = resolved.updates.order_by("pk").last()
    assert last.actor == leader and last.is_public
    [event] = WebhookEvent.objects.all()
    assert "confirmed fixed" in event.outcome
    [text] = _reply_texts(line_api)
    assert resolved.reference in text and "แก้ไขแล้ว" in text
    # The leader who answered is not told of their own answer.
    assert not Notification.objects.filter(recipient=leader, issue_update=last).exists()


def test_a_leaders_tap_on_not_fixed_reopens_the_issue_with_the_reason(
    client, line_api, leader, resolved
):
    uid = link_line(leader)
    response = deliver(client, batch(postback(_data("not_fixed", resolved), user_id=uid)))

    assert response.status_code == 200
    resolved.refresh_from_db()
    assert resolved.status == Status.IN_PROGRESS and resolved.resolved_at is None
    last = resolved.updates.order_by("pk").last()
    assert last.note == "ผู้นำชุมชนแจ้งทาง LINE ว่ายังไม่ได้แก้ไข" and last.actor == leader
    [text] = _reply_texts(line_api)
    assert "ยังไม่ได้แก้ไข" in text and f"/issues/{resolved.pk}/" in text


def test_a_redelivered_event_acts_once(client, line_api, leader, resolved):
    uid = link_line(leader)
    event = postback(
        _data("not_fixed", resolved), user_id=uid, event_id="01JTESTREPLAY00000000000001"
    )
    assert deliver(client, batch(event)).status_code == 200
    resolved.refresh_from_db()
    updates = resolved.updates.count()

    again = dict(event, deliveryContext={"isRedelivery": True})
    assert deliver(client, batch(again)).status_code == 200
    assert deliver(client, batch(event)).status_code == 200  # the same request replayed

    assert resolved.updates.count() == updates
    assert WebhookEvent.objects.count() == 1
    assert len(line_api.replies()) == 1


def test_a_second_tap_on_the_same_buttons_changes_nothing(client, line_api, leader, resolved):
    uid = link_line(leader)
    data = _data("fixed", resolved)
    deliver(client, batch(postback(data, user_id=uid)))
    resolved.refresh_from_db()
    closed = (resolved.status, resolved.version, resolved.updates.count())

    response = deliver(client, batch(postback(data, user_id=uid)))

    assert response.status_code == 200
    resolved.refresh_from_db()
    assert (resolved.status, resolved.version, resolved.updates.count()) == closed
    outcome = WebhookEvent.objects.order_by("pk").last().outcome
    # The leader is told their first answer stands, not that someone else wrote.
    assert outcome.startswith("repeat")
    assert f"ท่านตอบเรื่อง {resolved.reference} ไปแล้ว" in _reply_texts(line_api)[-1]


def test_an_answer_for_an_issue_that_moved_on_changes_nothing(
    client, line_api, leader, officer, resolved
):
    uid = link_line(leader)
    reopened = issue_services.issue_update(
        issue=resolved,
        actor=officer,
        version=None,
        to_status=Status.IN_PROGRESS,
        note="พบว่ายังมีจุดที่ต้องซ่อมเพิ่ม",
    )
    # The button of a message sent when it was resolved, with today's version.
    response = deliver(client, batch(postback(_data("fixed", reopened), user_id=uid)))
    assert response.status_code == 200
    reopened.refresh_from_db()
    assert reopened.status == Status.IN_PROGRESS
    assert WebhookEvent.objects.get().outcome.startswith("refused: issue")
    assert "ไม่ได้รอการยืนยัน" in _reply_texts(line_api)[-1]


def test_a_leader_of_another_community_cannot_answer(client, line_api, other_leader, resolved):
    uid = link_line(other_leader)
    response = deliver(client, batch(postback(_data("fixed", resolved), user_id=uid)))
    assert response.status_code == 200
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    assert "not a leader" in WebhookEvent.objects.get().outcome
    assert "ไม่ได้เป็นผู้นำชุมชนของเรื่องนี้" in _reply_texts(line_api)[-1]


@pytest.mark.parametrize("who", ["officer", "staff"])
def test_only_leaders_answer_for_the_community(client, line_api, request, who, resolved):
    user = request.getfixturevalue("officer" if who == "officer" else "staff_user")
    uid = link_line(user)
    deliver(client, batch(postback(_data("fixed", resolved), user_id=uid)))
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_an_unlinked_or_deactivated_line_user_changes_nothing(client, line_api, leader, resolved):
    deliver(client, batch(postback(_data("fixed", resolved), user_id="U" + "9" * 32)))
    uid = link_line(leader)
    leader.is_active = False
    leader.save()
    deliver(client, batch(postback(_data("fixed", resolved), user_id=uid)))

    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    outcomes = list(WebhookEvent.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["refused: the LINE account is not linked to an active user"] * 2
    assert all("ยังไม่ได้เชื่อม" in text for text in _reply_texts(line_api))


@pytest.mark.parametrize(
    "data",
    [
        "",
        "action=delete&issue=1&v=1",
        "action=fixed&issue=abc&v=1",
        "action=fixed&issue=1",
        "x" * 300,
    ],
)
def test_a_postback_this_system_did_not_ask_for_is_ignored(
    client, line_api, leader, resolved, data
):
    uid = link_line(leader)
    assert deliver(client, batch(postback(data, user_id=uid))).status_code == 200
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    assert WebhookEvent.objects.get().outcome == "ignored: not an answer this system asked for"


def test_an_answer_for_an_issue_that_does_not_exist_is_told_so(client, line_api, leader):
    uid = link_line(leader)
    deliver(client, batch(postback("action=fixed&issue=999999&v=1", user_id=uid)))
    assert WebhookEvent.objects.get().outcome == "no such issue"


def test_line_failing_to_take_the_reply_keeps_the_answer(client, line_api, leader, resolved):
    uid = link_line(leader)
    line_api.answer("/v2/bot/message/reply", (500, {"message": "Internal error"}))
    response = deliver(client, batch(postback(_data("fixed", resolved), user_id=uid)))
    assert response.status_code == 200
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED


def test_the_buttons_of_a_pushed_message_answer_for_the_leader(
    client, line_api, leader, officer, new_issue, django_capture_on_commit_callbacks
):
    """The round trip: the push a leader receives, then their tap on its button."""
    uid = link_line(leader)
    issue = new_issue()
    issue = issue_services.issue_update(
        issue=issue, actor=officer, version=None, to_status=Status.IN_PROGRESS
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue_services.issue_update(
            issue=issue, actor=officer, version=None, to_status=Status.RESOLVED
        )
    push = line_api.pushes()[-1]
    fixed = push.body["messages"][1]["template"]["actions"][0]

    deliver(client, batch(postback(fixed["data"], user_id=uid)))

    issue.refresh_from_db()
    assert (issue.status, issue.outcome) == (Status.CLOSED, Outcome.FIXED)
