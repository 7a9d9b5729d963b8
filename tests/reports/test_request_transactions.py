"""Which requests run in a transaction of their own (ATOMIC_REQUESTS).

On SQLite every transaction takes the write lock from its start (IMMEDIATE), so a
request that spends seconds in one — a PDF rendering, a password being checked —
makes every check-in and roll saved meanwhile wait behind it. The pages and PDFs
that only read, and the login, run outside; what writes still runs in one."""

import pkgutil
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from communities.models import Participant, ParticipantRole
from tests.factories import PASSWORD


def _request_transactions() -> int:
    """The transactions open now, beyond the one each test runs in."""
    return sum(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _spy(target: str):
    """Patch ``target`` with a wrapper that calls it and notes the open transactions."""
    seen = []
    real = pkgutil.resolve_name(target)

    def spy(*args, **kwargs):
        seen.append(_request_transactions())
        return real(*args, **kwargs)

    return mock.patch(target, side_effect=spy), seen


@pytest.fixture
def fake_pdf():
    """The PDF engine replaced by a stub that notes whether a transaction is open."""
    seen = []

    def render(html, **kwargs):
        seen.append(_request_transactions())
        return b"%PDF-1.7 stub"

    with mock.patch("core.pdf.html_to_pdf", side_effect=render):
        yield seen


@pytest.mark.django_db
def test_the_pdfs_render_outside_a_transaction(
    client, admin_user, staff_user, make_meeting, fake_pdf
):
    meeting = make_meeting(status="held")
    client.force_login(admin_user)
    urls = [
        reverse("reports:community_pdf", args=[1]),
        reverse("reports:monthly_pdf", args=[2026, 3]),
        reverse("reports:minutes_pdf", args=[meeting.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content == b"%PDF-1.7 stub"
    assert fake_pdf == [0, 0, 0]


@pytest.mark.django_db
def test_the_report_pages_read_outside_a_transaction(client, admin_user):
    client.force_login(admin_user)
    year = timezone.localdate().year + 543
    urls = [
        reverse("reports:dashboard"),
        reverse("reports:monthly", args=[2026, 3]),
        reverse("reports:community", args=[1]),
        reverse("reports:department", args=["ENG"]),
        reverse("reports:open_data"),
        reverse("reports:open_data_download", args=[year, "statistics", "csv"]),
    ]
    rendered, seen = _spy("reports.views.render")
    written, seen_csv = _spy("reports.open_data.as_csv")
    with rendered, written:
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert seen == [0] * 5
    assert seen_csv == [0]


@pytest.mark.django_db
def test_a_password_is_checked_outside_a_transaction(client, leader_user):
    patched, seen = _spy("django.contrib.auth.base_user.check_password")
    with patched:
        response = client.post(
            reverse("login"), {"username": leader_user.username, "password": PASSWORD}
        )
    assert response.status_code == 302
    assert seen == [0]
    leader_user.refresh_from_db()
    assert leader_user.last_login is not None  # what the login writes is still saved


@pytest.mark.django_db
def test_a_check_in_and_the_roll_still_save_in_one_transaction(
    client, staff_user, leader_user, make_meeting
):
    meeting = make_meeting(day=timezone.localdate())
    Participant.objects.create(
        name="นายผู้นำ ชุมชน", role=ParticipantRole.CHAIR, community_id=1, user=leader_user
    )
    check_in, seen_check_in = _spy("meetings.services.check_in")
    with check_in:
        client.force_login(leader_user)
        response = client.post(
            reverse("meetings:check_in", args=[meeting.pk, meeting.check_in_token])
        )
    assert response.status_code == 200
    assert meeting.attendances.filter(self_checked_in_at__isnull=False).count() == 1
    assert seen_check_in == [1]

    other = Participant.objects.create(
        name="นายกรรมการ ชุมชน", role=ParticipantRole.COMMITTEE, community_id=1
    )
    roll, seen_roll = _spy("meetings.services.attendance_record")
    with roll:
        client.force_login(staff_user)
        response = client.post(
            reverse("meetings:attendance", args=[meeting.pk]), {f"status-{other.pk}": "present"}
        )
    assert response.status_code == 302
    assert meeting.attendances.filter(participant=other, status="present").exists()
    assert seen_roll == [1]
