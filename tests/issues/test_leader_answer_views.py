"""The leader's two buttons on a resolved issue: "แก้ไขแล้ว" and "ยังไม่ได้แก้ไข"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from issues.models import Outcome, Status
from tests.factories import make_user
from tests.issues.test_double_submit import once_token
from tests.issues.test_leader_answers import jpeg

pytestmark = pytest.mark.django_db

FIXED = "แก้ไขแล้ว"
NOT_FIXED = "ยังไม่ได้แก้ไข"


@pytest.fixture
def resolved(make_issue):
    return make_issue(Status.RESOLVED)


def _urls(issue):
    return (
        reverse("issues:confirm_fix", args=[issue.pk]),
        reverse("issues:dispute_fix", args=[issue.pk]),
    )


def test_the_leader_of_the_community_sees_both_buttons(client, leader_user, resolved):
    client.force_login(leader_user)
    page = client.get(resolved.get_absolute_url()).content.decode()
    confirm, dispute = _urls(resolved)
    assert f'action="{confirm}"' in page and f'action="{dispute}"' in page
    assert f">{FIXED}</button>" in page
    assert f">{NOT_FIXED}</button>" in page
    assert 'accept="image/*"' in page and 'capture="environment"' in page


@pytest.mark.parametrize("role", ["staff_user", "officer_user", "kpt_user", "admin_user"])
def test_other_roles_do_not_get_the_buttons_and_are_refused(client, request, role, resolved):
    client.force_login(request.getfixturevalue(role))
    confirm, dispute = _urls(resolved)
    page = client.get(resolved.get_absolute_url()).content.decode()
    assert confirm not in page and dispute not in page
    history = resolved.updates.count()

    assert client.post(confirm, {"version": resolved.version}).status_code == 403
    assert client.post(dispute, {"version": resolved.version, "reason": "ยัง"}).status_code == 403

    resolved.refresh_from_db()
    assert (resolved.status, resolved.updates.count()) == (Status.RESOLVED, history)


def test_a_leader_of_another_community_finds_nothing(client, resolved):
    client.force_login(make_user(username="leader2", role="leader", community_number=2))
    confirm, dispute = _urls(resolved)
    assert client.post(confirm, {"version": resolved.version}).status_code == 404
    assert client.post(dispute, {"version": resolved.version, "reason": "ยัง"}).status_code == 404
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_anonymous_visitors_are_sent_to_log_in(client, resolved):
    confirm, dispute = _urls(resolved)
    assert client.post(confirm, {"version": resolved.version}).status_code == 302
    assert client.post(dispute, {"version": resolved.version, "reason": "ยัง"}).status_code == 302
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_no_buttons_on_an_issue_not_resolved(client, leader_user, make_issue):
    issue = make_issue(Status.IN_PROGRESS)
    client.force_login(leader_user)
    page = client.get(issue.get_absolute_url()).content.decode()
    confirm, dispute = _urls(issue)
    assert confirm not in page and dispute not in page


def test_fixed_closes_the_issue(client, leader_user, resolved):
    client.force_login(leader_user)
    confirm, _ = _urls(resolved)
    response = client.post(confirm, {"version": resolved.version}, follow=True)
    assert response.redirect_chain[-1][0] == resolved.get_absolute_url()
    resolved.refresh_from_db()
    assert (resolved.status, resolved.outcome) == (Status.CLOSED, Outcome.FIXED)
    page = response.content.decode()
    assert "ชุมชนยืนยันว่าแก้ไขปัญหาแล้ว" in page  # the history entry
    assert f">{FIXED}</button>" not in page


def test_not_fixed_reopens_with_the_reason_and_a_photo(client, leader_user, resolved):
    client.force_login(leader_user)
    _, dispute = _urls(resolved)
    response = client.post(
        dispute,
        {"version": resolved.version, "reason": "ท่อยังรั่วอยู่", "photos": [jpeg()]},
        follow=True,
    )
    assert response.status_code == 200
    resolved.refresh_from_db()
    assert resolved.status == Status.IN_PROGRESS
    entry = resolved.updates.last()
    assert (entry.note, entry.photos.count(), entry.is_public) == ("ท่อยังรั่วอยู่", 1, True)
    assert "ท่อยังรั่วอยู่" in response.content.decode()


def test_not_fixed_without_a_reason_is_refused_in_thai(client, leader_user, resolved):
    client.force_login(leader_user)
    _, dispute = _urls(resolved)
    history = resolved.updates.count()
    response = client.post(dispute, {"version": resolved.version, "reason": "  "})
    assert response.status_code == 400
    assert "กรุณาระบุส่วนที่ยังไม่ได้แก้ไข" in response.content.decode()
    resolved.refresh_from_db()
    assert (resolved.status, resolved.updates.count()) == (Status.RESOLVED, history)


def test_a_bad_photo_is_named_and_the_reason_kept(client, leader_user, resolved):
    client.force_login(leader_user)
    _, dispute = _urls(resolved)
    history = resolved.updates.count()
    fake = SimpleUploadedFile("drain.jpg", b"not a photo at all", content_type="image/jpeg")
    response = client.post(
        dispute, {"version": resolved.version, "reason": "น้ำยังท่วมขัง", "photos": [fake]}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "drain.jpg" in page
    assert "น้ำยังท่วมขัง</textarea>" in page
    resolved.refresh_from_db()
    assert (resolved.status, resolved.updates.count()) == (Status.RESOLVED, history)


def test_a_stale_answer_is_refused_in_thai_and_changes_nothing(
    client, leader_user, officer_user, resolved
):
    from issues import services

    client.force_login(leader_user)
    seen = resolved.version
    services.issue_update(issue=resolved, actor=officer_user, version=seen, note="ตรวจซ้ำแล้ว")
    history = resolved.updates.count()
    confirm, dispute = _urls(resolved)

    for url, data in ((confirm, {}), (dispute, {"reason": "ยังรั่ว"})):
        response = client.post(url, {"version": seen, **data})
        assert response.status_code == 400
        page = response.content.decode()
        assert "มีผู้อื่นปรับปรุงเรื่องนี้" in page
    assert "ยังรั่ว</textarea>" in page  # what was typed is kept
    resolved.refresh_from_db()
    assert (resolved.status, resolved.updates.count()) == (Status.RESOLVED, history)


def test_fixed_sent_twice_is_recorded_once(client, leader_user, resolved):
    client.force_login(leader_user)
    confirm, _ = _urls(resolved)
    page = client.get(resolved.get_absolute_url()).content.decode()
    data = {"version": resolved.version, "once": once_token(page, confirm)}

    client.post(confirm, data)
    second = client.post(confirm, data, follow=True)

    assert second.status_code == 200
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED
    assert resolved.updates.filter(to_status=Status.CLOSED).count() == 1


def test_not_fixed_sent_twice_is_recorded_once(client, leader_user, resolved):
    client.force_login(leader_user)
    _, dispute = _urls(resolved)
    page = client.get(resolved.get_absolute_url()).content.decode()
    data = {"version": resolved.version, "reason": "ยังรั่ว", "once": once_token(page, dispute)}

    client.post(dispute, data)
    second = client.post(dispute, data, follow=True)

    assert second.status_code == 200
    assert resolved.updates.filter(note="ยังรั่ว").count() == 1


def test_a_get_is_not_an_answer(client, leader_user, resolved):
    client.force_login(leader_user)
    confirm, dispute = _urls(resolved)
    assert client.get(confirm).status_code == 405
    assert client.get(dispute).status_code == 405
