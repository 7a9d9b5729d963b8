"""Approved minutes keep the names they were approved with.

An administrator edits a participant in the Django admin (a new name after a
marriage, a new position after an election); the minutes of meetings already
approved still print the person as they were, on the meeting page and in the PDF,
while the rolls and minutes still being written show the change."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from reports.minutes import minutes_pdf
from tests.factories import ParticipantFactory
from tests.pdf_text import pdf_text
from tests.test_admin import change_url, post_change_form

pytestmark = pytest.mark.django_db

OLD_NAME, OLD_POSITION = "นางมาลี ใจดี", "กรรมการชุมชนบ่อฝ้าย"
NEW_NAME, NEW_POSITION = "นางมาลี ศรีสวัสดิ์", "ประธานชุมชนบ่อฝ้าย"
CHAIR, CHAIR_POSITION = "นายปรีชา ชื่นบาน", "นายกเทศมนตรีนครหัวหิน"
NEW_CHAIR = "นายปรีชา ชื่นบานใหม่"


@pytest.fixture
def member():
    return ParticipantFactory(name=OLD_NAME, position=OLD_POSITION, role="committee")


@pytest.fixture
def chair():
    return ParticipantFactory(name=CHAIR, position=CHAIR_POSITION, role="executive")


def _meeting_with(make_meeting, staff_user, member, chair, *, status, day=None):
    meeting = make_meeting(day=day or datetime.date(2026, 3, 4), chair=chair)
    services.attendance_record(
        meeting=meeting, actor=staff_user, entries=[services.RollEntry(member.pk, "present")]
    )
    steps = [Meeting.Status.HELD, Meeting.Status.APPROVED, Meeting.Status.PUBLISHED]
    later = make_meeting(day=meeting.date + datetime.timedelta(days=28))
    for step in steps[: steps.index(status) + 1]:
        meeting = services.meeting_transition(
            meeting=meeting, to_status=step, actor=staff_user, approved_at=later
        )
    return meeting


@pytest.fixture
def superuser_client(client, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin_user)
    return client


def _page(user, meeting) -> str:
    """The meeting page as the secretariat reads it (a client of its own: the
    admin's client carries the admin's "saved" message to its next page)."""
    reader = Client()
    reader.force_login(user)
    return reader.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()


def _rename_in_admin(client, person, name, position):
    response = post_change_form(client, change_url(person), name=name, position=position)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.name, person.position) == (name, position)


def test_an_admin_edit_does_not_rewrite_published_minutes(
    make_meeting, staff_user, member, chair, superuser_client
):
    meeting = _meeting_with(
        make_meeting, staff_user, member, chair, status=Meeting.Status.PUBLISHED
    )
    _rename_in_admin(superuser_client, member, NEW_NAME, NEW_POSITION)
    _rename_in_admin(superuser_client, chair, NEW_CHAIR, CHAIR_POSITION)

    page = _page(staff_user, meeting)
    assert OLD_NAME in page and OLD_POSITION in page
    assert NEW_NAME not in page and NEW_POSITION not in page
    assert CHAIR in page and NEW_CHAIR not in page

    written = "".join(pdf_text(minutes_pdf(meeting=meeting)).split())
    assert "".join(OLD_NAME.split()) in written and "".join(NEW_NAME.split()) not in written
    assert "".join(CHAIR.split()) + "".join(CHAIR_POSITION.split()) in written
    assert "".join(NEW_CHAIR.split()) not in written


def test_minutes_not_yet_approved_show_the_corrected_name(
    make_meeting, staff_user, member, chair, superuser_client
):
    meeting = _meeting_with(make_meeting, staff_user, member, chair, status=Meeting.Status.HELD)
    _rename_in_admin(superuser_client, member, NEW_NAME, NEW_POSITION)

    page = _page(staff_user, meeting)
    assert NEW_NAME in page and OLD_NAME not in page
    written = "".join(pdf_text(minutes_pdf(meeting=meeting)).split())
    assert "".join(NEW_NAME.split()) in written

    # Approval writes the names of that day into the minutes.
    later = make_meeting(day=meeting.date + datetime.timedelta(days=28))
    services.meeting_transition(
        meeting=meeting, to_status=Meeting.Status.APPROVED, actor=staff_user, approved_at=later
    )
    _rename_in_admin(superuser_client, member, "นางมาลี อีกครั้ง", NEW_POSITION)
    page = _page(staff_user, meeting)
    assert NEW_NAME in page and "นางมาลี อีกครั้ง" not in page


def test_people_added_to_approved_minutes_enter_with_their_name_of_that_day(
    make_meeting, staff_user, member, chair, admin_user, superuser_client
):
    meeting = _meeting_with(make_meeting, staff_user, member, chair, status=Meeting.Status.APPROVED)
    latecomer = ParticipantFactory(name="นายสมชาย ศรีสุข", position="ประธานชุมชนสวนสน")
    services.attendance_record(
        meeting=meeting, actor=admin_user, entries=[services.RollEntry(latecomer.pk, "present")]
    )
    services.guest_add(meeting=meeting, actor=admin_user, name="นายแขก หนึ่ง", position="ผู้สังเกตการณ์")
    _rename_in_admin(superuser_client, latecomer, "นายสมชาย เปลี่ยนชื่อ", "ประธานชุมชนสวนสน")

    page = _page(staff_user, meeting)
    assert "นายสมชาย ศรีสุข" in page and "นายสมชาย เปลี่ยนชื่อ" not in page
    assert "นายแขก หนึ่ง" in page


def test_a_new_chair_set_by_an_admin_on_approved_minutes_is_printed(
    make_meeting, staff_user, member, chair, admin_user
):
    meeting = _meeting_with(make_meeting, staff_user, member, chair, status=Meeting.Status.APPROVED)
    deputy = ParticipantFactory(name="นางสุดา รองนายก", position="รองนายกเทศมนตรี", role="executive")
    meeting = services.meeting_update(meeting=meeting, actor=admin_user, chair=deputy)
    written = "".join(pdf_text(minutes_pdf(meeting=meeting)).split())
    assert "นางสุดารองนายกรองนายกเทศมนตรี" in written and "".join(CHAIR.split()) not in written


BEFORE = [("meetings", "0005_meeting_number_year")]
AFTER = [("meetings", "0006_names_on_record")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_names_of_minutes_already_approved(reference_data):
    apps = _migrate(BEFORE)
    Meeting_ = apps.get_model("meetings", "Meeting")
    Attendance = apps.get_model("meetings", "Attendance")
    Participant = apps.get_model("communities", "Participant")
    community = apps.get_model("communities", "Community").objects.get(number=1)
    person = Participant.objects.create(
        name=OLD_NAME, position=OLD_POSITION, role="committee", community=community
    )
    head = Participant.objects.create(name=CHAIR, position=CHAIR_POSITION, role="executive")
    rows = {}
    for day, status in [
        (datetime.date(2025, 10, 1), "published"),
        (datetime.date(2025, 11, 5), "held"),
    ]:
        meeting = Meeting_.objects.create(
            date=day,
            fiscal_year=2569,
            number_year=2025,
            number=day.month,
            status=status,
            venue="ห้องประชุม",
            chair=head,
        )
        Attendance.objects.create(meeting=meeting, participant=person, status="present")
        rows[status] = meeting.pk
    try:
        _migrate(AFTER)
        published = Meeting.objects.get(pk=rows["published"])
        held = Meeting.objects.get(pk=rows["held"])
        assert (published.chair_name_on_record, published.chair_position_on_record) == (
            CHAIR,
            CHAIR_POSITION,
        )
        on_record = published.attendances.get()
        assert (on_record.name_on_record, on_record.position_on_record) == (OLD_NAME, OLD_POSITION)
        assert held.chair_name_on_record == "" and held.attendances.get().name_on_record == ""
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())
