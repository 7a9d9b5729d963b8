import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from communities.models import Participant
from meetings import services
from meetings.models import (
    AgendaTemplateItem,
    Attendance,
    FiscalYear,
    Meeting,
    MeetingChange,
    MeetingPhoto,
)
from meetings.services import RollEntry
from tests.factories import ParticipantFactory

from .conftest import PAST_DAY, image_upload

pytestmark = pytest.mark.django_db


# Numbering ---------------------------------------------------------------------


def _numbers(*meetings: Meeting) -> list[str]:
    return [Meeting.objects.get(pk=meeting.pk).number_label for meeting in meetings]


def test_the_spec_example_2_december_2569_after_eleven_meetings_is_12_2569(make_meeting):
    earlier = [make_meeting(datetime.date(2026, month, 4)) for month in range(1, 12)]
    december = make_meeting(datetime.date(2026, 12, 2))

    assert december.number_label == "12/2569"
    assert december.number_label_thai_digits == "๑๒/๒๕๖๙"
    assert _numbers(*earlier)[0] == "1/2569"


def test_numbering_starts_again_at_one_on_1_january(make_meeting):
    make_meeting(datetime.date(2025, 10, 1))
    december = make_meeting(datetime.date(2025, 12, 31))
    january = make_meeting(datetime.date(2026, 1, 1))

    assert december.number_label == "2/2568"
    assert january.number_label == "1/2569"


def test_the_english_label_gives_the_same_year_in_ce(make_meeting):
    meeting = make_meeting(datetime.date(2026, 12, 2))
    with translation.override("en"):
        assert meeting.number_label == "1/2026"


def test_a_march_meeting_typed_before_a_january_one_comes_after_it(make_meeting):
    march = make_meeting(datetime.date(2026, 3, 12))
    january = make_meeting(datetime.date(2026, 1, 10))

    assert january.number_label == "1/2569"
    assert _numbers(march) == ["2/2569"]


def test_meetings_on_the_same_day_are_numbered_in_the_order_they_were_created(make_meeting):
    first = make_meeting(datetime.date(2026, 3, 4))
    second = make_meeting(datetime.date(2026, 3, 4), venue="ห้องประชุมชั้น 2")
    make_meeting(datetime.date(2026, 2, 4))

    assert _numbers(first, second) == ["2/2569", "3/2569"]


def test_moving_a_meeting_earlier_renumbers_the_meetings_it_passes(make_meeting, staff_user):
    january, february, march = (make_meeting(datetime.date(2026, m, 4)) for m in (1, 2, 3))

    services.meeting_update(meeting=march, actor=staff_user, date=datetime.date(2026, 1, 20))

    assert _numbers(january, march, february) == ["1/2569", "2/2569", "3/2569"]


def test_moving_a_meeting_into_the_next_year_renumbers_both_years(make_meeting, staff_user):
    november, december = (make_meeting(datetime.date(2026, m, 4)) for m in (11, 12))
    first_in_2570 = make_meeting(datetime.date(2027, 1, 13))

    services.meeting_update(meeting=november, actor=staff_user, date=datetime.date(2027, 1, 6))

    assert _numbers(december, november, first_in_2570) == ["1/2569", "1/2570", "2/2570"]


def test_inserting_a_meeting_before_one_with_approved_minutes_is_refused(make_meeting):
    # make_meeting creates the meeting of 1 April at which the March minutes are approved.
    march = make_meeting(datetime.date(2026, 3, 4), status=Meeting.Status.APPROVED)

    with pytest.raises(ValidationError) as error:
        make_meeting(datetime.date(2026, 2, 4))

    message = error.value.message_dict["date"][0]
    assert "ครั้งที่ 1/2569" in message and "4 มีนาคม 2569" in message
    assert "รับรองรายงานการประชุมแล้ว" in message
    assert Meeting.objects.count() == 2
    assert _numbers(march) == ["1/2569"]


def test_a_meeting_can_still_be_added_after_the_approved_ones(make_meeting):
    make_meeting(datetime.date(2026, 3, 4), status=Meeting.Status.APPROVED)
    may = make_meeting(datetime.date(2026, 5, 6))
    assert may.number_label == "3/2569"


def test_moving_a_meeting_before_one_with_approved_minutes_is_refused(make_meeting, staff_user):
    march = make_meeting(datetime.date(2026, 3, 4), status=Meeting.Status.APPROVED)
    may = make_meeting(datetime.date(2026, 5, 6))

    with pytest.raises(ValidationError) as error:
        services.meeting_update(meeting=may, actor=staff_user, date=datetime.date(2026, 2, 25))

    assert "ครั้งที่ 1/2569" in error.value.message_dict["date"][0]
    may.refresh_from_db()
    assert (may.date, may.number_label) == (datetime.date(2026, 5, 6), "3/2569")
    assert _numbers(march) == ["1/2569"]


def test_an_approved_meeting_whose_number_would_change_cannot_be_moved(make_meeting, staff_user):
    march = make_meeting(datetime.date(2026, 3, 4), status=Meeting.Status.APPROVED)

    with pytest.raises(ValidationError) as error:
        services.meeting_update(meeting=march, actor=staff_user, date=datetime.date(2026, 4, 8))

    assert "ครั้งที่ 1/2569" in error.value.message_dict["date"][0]
    march.refresh_from_db()
    assert march.date == datetime.date(2026, 3, 4)


def test_an_approved_meeting_may_be_redated_when_no_number_changes(make_meeting, staff_user):
    march = make_meeting(datetime.date(2026, 3, 4), status=Meeting.Status.APPROVED)
    march = services.meeting_update(meeting=march, actor=staff_user, date=datetime.date(2026, 3, 5))
    assert (march.date, march.number_label) == (datetime.date(2026, 3, 5), "1/2569")


@pytest.fixture
def fiscal_numbering(settings):
    settings.MEETING_NUMBERING = "fiscal"


@pytest.mark.usefixtures("fiscal_numbering")
def test_first_meeting_of_a_fiscal_year_is_number_one_and_the_next_follows(make_meeting):
    october = make_meeting(datetime.date(2025, 10, 1))
    november = make_meeting(datetime.date(2025, 11, 5))

    assert (october.fiscal_year, october.number) == (2569, 1)
    assert (november.fiscal_year, november.number) == (2569, 2)
    assert november.number_label == "2/2569"


@pytest.mark.usefixtures("fiscal_numbering")
def test_numbering_starts_again_in_a_new_fiscal_year(make_meeting):
    make_meeting(datetime.date(2026, 9, 2))
    october = make_meeting(datetime.date(2026, 10, 7))
    assert (october.fiscal_year, october.number) == (2570, 1)


@pytest.mark.usefixtures("fiscal_numbering")
def test_with_fiscal_numbering_the_count_runs_from_october_in_date_order(make_meeting):
    january = make_meeting(datetime.date(2026, 1, 7))
    december = make_meeting(datetime.date(2025, 12, 3))

    assert december.number_label == "1/2569"
    assert _numbers(january) == ["2/2569"]


@pytest.mark.usefixtures("fiscal_numbering")
def test_number_label_in_thai_digits(make_meeting):
    meeting = make_meeting(datetime.date(2025, 10, 1))
    assert meeting.number_label_thai_digits == "๑/๒๕๖๙"


# Bad input -----------------------------------------------------------------------


def test_meeting_in_a_closed_fiscal_year_is_refused(staff_user):
    FiscalYear.objects.create(year=2568, is_closed=True)

    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=staff_user, date=datetime.date(2025, 3, 5), venue="ห้อง")

    assert "ปีงบประมาณ 2568 ปิดแล้ว" in error.value.message_dict["date"][0]
    assert Meeting.objects.count() == 0


def test_end_time_before_start_is_refused_in_thai(staff_user):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=staff_user,
            date=PAST_DAY,
            venue="ห้อง",
            start_time=datetime.time(13, 0),
            end_time=datetime.time(9, 0),
        )
    assert error.value.message_dict["end_time"] == ["เวลาเลิกประชุมต้องอยู่หลังเวลาเริ่มประชุม"]
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize("day", [datetime.date(1990, 1, 1), datetime.date(2099, 1, 1)])
def test_absurd_dates_are_refused(staff_user, day):
    with pytest.raises(ValidationError):
        services.meeting_create(actor=staff_user, date=day, venue="ห้อง")
    assert Meeting.objects.count() == 0


def test_only_the_secretariat_creates_meetings(officer_user, leader_user, kpt_user):
    for user in (officer_user, leader_user, kpt_user):
        with pytest.raises(PermissionDenied):
            services.meeting_create(actor=user, date=PAST_DAY, venue="ห้อง")
    assert Meeting.objects.count() == 0


# Agenda --------------------------------------------------------------------------


def test_agenda_has_the_five_official_items_and_item_two_names_the_previous_meeting(
    make_meeting,
):
    earlier = make_meeting(datetime.date(2026, 2, 4))
    meeting = make_meeting(PAST_DAY)

    items = list(meeting.agenda_items.order_by("order"))
    assert [item.title for item in items] == [
        "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
        "เรื่องรับรองรายงานการประชุมครั้งที่แล้ว",
        "เรื่องสืบเนื่อง",
        "เรื่องเพื่อพิจารณา",
        "เรื่องอื่น ๆ",
    ]
    assert items[1].refers_to_meeting == earlier
    assert earlier.agenda_items.get(order=2).refers_to_meeting is None


def test_admins_edit_the_agenda_template_for_new_meetings(make_meeting):
    AgendaTemplateItem.objects.create(order=6, kind="other", title="เรื่องแจ้งจากส่วนราชการ")
    AgendaTemplateItem.objects.filter(order=5).update(active=False)

    meeting = make_meeting()

    titles = list(meeting.agenda_items.values_list("title", flat=True))
    assert titles[-1] == "เรื่องแจ้งจากส่วนราชการ"
    assert "เรื่องอื่น ๆ" not in titles


def test_sub_items_are_numbered_under_their_item(make_meeting, staff_user):
    meeting = make_meeting()
    parent = meeting.agenda_items.get(order=4)
    first = services.agenda_sub_item_add(
        meeting=meeting, actor=staff_user, parent=parent, title="ไฟฟ้าส่องสว่างซอย 5"
    )
    second = services.agenda_sub_item_add(
        meeting=meeting, actor=staff_user, parent=parent, title="ท่อระบายน้ำอุดตัน"
    )
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(ValidationError):
        services.agenda_sub_item_add(meeting=meeting, actor=staff_user, parent=first, title="x")


def test_minutes_refuse_items_of_another_meeting(make_meeting, staff_user):
    meeting = make_meeting()
    other = make_meeting(datetime.date(2026, 4, 1))
    foreign = other.agenda_items.first()

    with pytest.raises(ValidationError):
        services.minutes_update(meeting=meeting, actor=staff_user, texts={foreign.pk: ("แก้", "มติ")})
    foreign.refresh_from_db()
    assert foreign.discussion == ""


# Lifecycle -----------------------------------------------------------------------


def test_meeting_moves_draft_held_approved_published(make_meeting, staff_user):
    meeting = make_meeting()
    next_meeting = make_meeting(datetime.date(2026, 4, 1))

    for status, approved_at in (("held", None), ("approved", next_meeting), ("published", None)):
        meeting = services.meeting_transition(
            meeting=meeting, to_status=status, actor=staff_user, approved_at=approved_at
        )
        assert meeting.status == status
    assert meeting.minutes_approved_at == next_meeting


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("draft", "approved"),
        ("draft", "published"),
        ("held", "published"),
        ("held", "draft"),
        ("published", "held"),
        ("draft", "cancelled"),
    ],
)
def test_skipping_or_reversing_a_step_is_refused(
    make_meeting, staff_user, admin_user, start, target
):
    meeting = make_meeting(status=start)
    actor = admin_user if start == "published" else staff_user
    with pytest.raises(ValidationError):
        services.meeting_transition(meeting=meeting, to_status=target, actor=actor)
    meeting.refresh_from_db()
    assert meeting.status == start


def test_a_future_meeting_cannot_be_held(make_meeting, staff_user, today):
    meeting = make_meeting(today + datetime.timedelta(days=3))
    with pytest.raises(ValidationError, match="ยังไม่ถึงวันประชุม"):
        services.meeting_transition(meeting=meeting, to_status="held", actor=staff_user)


def test_minutes_are_approved_only_at_a_later_meeting(make_meeting, staff_user):
    earlier = make_meeting(datetime.date(2026, 2, 4))
    meeting = make_meeting(status="held")
    with pytest.raises(ValidationError):
        services.meeting_transition(
            meeting=meeting, to_status="approved", actor=staff_user, approved_at=earlier
        )
    with pytest.raises(ValidationError):
        services.meeting_transition(meeting=meeting, to_status="approved", actor=staff_user)


def test_published_minutes_are_locked_for_staff(make_meeting, staff_user):
    meeting = make_meeting(status="published")
    item = meeting.agenda_items.first()
    with pytest.raises(PermissionDenied):
        services.minutes_update(meeting=meeting, actor=staff_user, texts={item.pk: ("ใหม่", "")})
    with pytest.raises(PermissionDenied):
        services.meeting_update(meeting=meeting, actor=staff_user, venue="ที่อื่น")
    meeting.refresh_from_db()
    assert meeting.venue != "ที่อื่น"


def test_an_admin_change_after_publishing_is_recorded(make_meeting, admin_user):
    meeting = make_meeting(status="published")
    item = meeting.agenda_items.get(order=1)

    services.minutes_update(
        meeting=meeting, actor=admin_user, texts={item.pk: ("แก้ไขถ้อยคำ", "รับทราบ")}
    )
    services.meeting_update(meeting=meeting, actor=admin_user, venue="หอประชุมใหม่")

    changes = list(MeetingChange.objects.filter(meeting=meeting).order_by("changed_at"))
    assert [change.changed_by for change in changes] == [admin_user, admin_user]
    assert changes[0].after == {str(item.pk): ["แก้ไขถ้อยคำ", "รับทราบ"]}
    assert changes[1].before["venue"] != "หอประชุมใหม่"
    assert changes[1].after["venue"] == "หอประชุมใหม่"


def test_changes_before_publishing_are_not_logged(make_meeting, staff_user):
    meeting = make_meeting()
    services.meeting_update(meeting=meeting, actor=staff_user, venue="ห้องอื่น")
    assert MeetingChange.objects.count() == 0


def test_a_held_meeting_cannot_move_to_another_fiscal_year(make_meeting, staff_user):
    meeting = make_meeting(status="held")
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, actor=staff_user, date=datetime.date(2026, 10, 7))


def test_a_draft_moved_to_another_year_is_renumbered(make_meeting, staff_user):
    make_meeting(datetime.date(2026, 10, 7))
    meeting = make_meeting(datetime.date(2026, 9, 2))
    meeting = services.meeting_update(
        meeting=meeting, actor=staff_user, date=datetime.date(2026, 11, 4)
    )
    assert (meeting.fiscal_year, meeting.number) == (2570, 2)


# Attendance ----------------------------------------------------------------------


def _roll(participants, status="present"):
    return [RollEntry(person.pk, status) for person in participants]


def test_roll_of_100_people_saves_once_and_resaves_without_duplicates(
    make_meeting, staff_user, hundred_participants
):
    meeting = make_meeting()
    assert len(hundred_participants) == 100

    assert (
        services.attendance_record(
            meeting=meeting, actor=staff_user, entries=_roll(hundred_participants)
        ).saved
        == 100
    )
    changed = _roll(hundred_participants)
    changed[0] = RollEntry(hundred_participants[0].pk, "represented", "นางสาวแทน ใจดี")
    changed[1] = RollEntry(hundred_participants[1].pk, "absent", "ป่วย")
    result = services.attendance_record(meeting=meeting, actor=staff_user, entries=changed)
    assert result.saved == 2

    assert Attendance.objects.filter(meeting=meeting).count() == 100
    first = Attendance.objects.get(meeting=meeting, participant=hundred_participants[0])
    assert (first.status, first.substitute_name) == ("represented", "นางสาวแทน ใจดี")
    assert Attendance.objects.get(participant=hundred_participants[1]).absence_reason == "ป่วย"


def test_unknown_participant_on_the_roll_changes_nothing(
    make_meeting, staff_user, hundred_participants
):
    meeting = make_meeting()
    entries = [*_roll(hundred_participants[:5]), RollEntry(999_999, "present")]

    with pytest.raises(ValidationError, match="999999"):
        services.attendance_record(meeting=meeting, actor=staff_user, entries=entries)
    assert Attendance.objects.count() == 0


def test_represented_needs_the_substitutes_name(make_meeting, staff_user, hundred_participants):
    meeting = make_meeting()
    person = hundred_participants[0]
    entries = [*_roll(hundred_participants[1:4]), RollEntry(person.pk, "represented", "  ")]

    with pytest.raises(ValidationError) as error:
        services.attendance_record(meeting=meeting, actor=staff_user, entries=entries)
    assert f"โปรดระบุชื่อผู้มาประชุมแทน {person.name}" in error.value.messages
    assert Attendance.objects.count() == 0


def test_walk_in_guest_is_present_but_not_on_later_rolls(make_meeting, staff_user):
    meeting = make_meeting()
    attendance = services.guest_add(
        meeting=meeting, actor=staff_user, name="นายแขก มาเยือน", position="สภ.หัวหิน"
    )
    assert attendance.status == "present"
    assert attendance.participant.role == "guest"
    assert not attendance.participant.active


# Photos --------------------------------------------------------------------------


def test_photos_are_reencoded_with_thumbnails_and_no_location(make_meeting, staff_user):
    meeting = make_meeting()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    photos = services.photos_add(
        meeting=meeting,
        actor=staff_user,
        files=[
            image_upload(size=(3000, 2000), exif=exif),
            image_upload("b.png", image_format="PNG"),
        ],
        caption="บรรยากาศการประชุม",
    )
    assert len(photos) == 2
    first = MeetingPhoto.objects.get(pk=photos[0].pk)
    with Image.open(first.image.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 2560
        assert not stored.getexif()
    with Image.open(first.thumbnail.path) as thumb:
        assert max(thumb.size) == 480
    assert first.caption == "บรรยากาศการประชุม"


def test_a_text_file_named_jpg_is_refused_and_nothing_is_saved(make_meeting, staff_user):
    meeting = make_meeting()
    fake = SimpleUploadedFile("photo.jpg", b"not really a picture", content_type="image/jpeg")

    with pytest.raises(ValidationError) as error:
        services.photos_add(meeting=meeting, actor=staff_user, files=[image_upload(), fake])
    assert "photo.jpg ไม่ใช่รูปภาพ" in error.value.message_dict["images"][0]
    assert MeetingPhoto.objects.count() == 0


def test_an_oversized_file_is_refused(make_meeting, staff_user, settings):
    settings.PHOTO_MAX_BYTES = 1000
    meeting = make_meeting()
    big = image_upload(size=(800, 800), image_format="PNG")
    big.size = 5000
    with pytest.raises(ValidationError, match="ขนาดใหญ่เกินไป"):
        services.photos_add(meeting=meeting, actor=staff_user, files=[big])
    assert MeetingPhoto.objects.count() == 0


def test_a_decompression_bomb_is_refused_before_decoding(make_meeting, staff_user, settings):
    settings.PHOTO_MAX_PIXELS = 10_000
    buffer = io.BytesIO()
    Image.new("1", (2000, 2000)).save(buffer, format="PNG")  # tiny file, 4 million pixels
    bomb = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    assert bomb.size < 2000

    with pytest.raises(ValidationError, match="พิกเซลมากเกินไป"):
        services.photos_add(meeting=make_meeting(), actor=staff_user, files=[bomb])


def test_a_gif_is_not_accepted(make_meeting, staff_user):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    gif = SimpleUploadedFile("a.gif", buffer.getvalue(), content_type="image/gif")
    with pytest.raises(ValidationError):
        services.photos_add(meeting=make_meeting(), actor=staff_user, files=[gif])


# Self check-in -------------------------------------------------------------------


@pytest.fixture
def leader_participant(leader_user):
    return ParticipantFactory(user=leader_user, role="chair", name="นายผู้นำ ชุมชนหนึ่ง")


def test_leader_checks_in_on_the_meeting_day(make_meeting, leader_user, leader_participant, today):
    meeting = make_meeting(today)
    attendance = services.check_in(meeting=meeting, user=leader_user, token=meeting.check_in_token)
    assert attendance.participant == leader_participant
    assert attendance.status == "present"
    assert attendance.self_checked_in_at is not None
    assert Attendance.objects.count() == 1


def test_check_in_needs_the_current_code(
    make_meeting, staff_user, leader_user, leader_participant, today
):
    meeting = make_meeting(today)
    old = meeting.check_in_token
    services.check_in_code_renew(meeting=meeting, actor=staff_user)
    with pytest.raises(services.CheckInRefused):
        services.check_in(meeting=meeting, user=leader_user, token=old)
    with pytest.raises(services.CheckInRefused):
        services.check_in(meeting=meeting, user=leader_user, token="")
    assert Attendance.objects.count() == 0


def test_check_in_works_only_on_the_day(make_meeting, leader_user, leader_participant, today):
    meeting = make_meeting(today - datetime.timedelta(days=1))
    with pytest.raises(services.CheckInRefused, match="เฉพาะในวันประชุม"):
        services.check_in(meeting=meeting, user=leader_user, token=meeting.check_in_token)


def test_a_user_without_a_participant_record_cannot_check_in(make_meeting, kpt_user, today):
    meeting = make_meeting(today)
    with pytest.raises(services.CheckInRefused):
        services.check_in(meeting=meeting, user=kpt_user, token=meeting.check_in_token)


def test_staff_roll_keeps_the_self_check_in_mark(
    make_meeting, staff_user, leader_user, leader_participant, today
):
    meeting = make_meeting(today)
    services.check_in(meeting=meeting, user=leader_user, token=meeting.check_in_token)
    services.attendance_record(
        meeting=meeting, actor=staff_user, entries=[RollEntry(leader_participant.pk, "late")]
    )
    row = Attendance.objects.get(meeting=meeting, participant=leader_participant)
    assert row.status == "late"
    assert row.self_checked_in_at is not None


def test_checking_in_twice_keeps_one_row(make_meeting, leader_user, leader_participant, today):
    meeting = make_meeting(today)
    services.check_in(meeting=meeting, user=leader_user, token=meeting.check_in_token)
    services.check_in(meeting=meeting, user=leader_user, token=meeting.check_in_token)
    assert Attendance.objects.filter(participant=leader_participant).count() == 1
    assert Participant.objects.filter(user=leader_user).count() == 1


def test_a_too_long_caption_on_new_photos_saves_nothing(make_meeting, staff_user):
    meeting = make_meeting()
    with pytest.raises(ValidationError) as refusal:
        services.photos_add(
            meeting=meeting, actor=staff_user, files=[image_upload()], caption="ก" * 301
        )
    assert "300" in str(refusal.value.message_dict["caption"])
    assert not MeetingPhoto.objects.exists()


def test_an_approved_meetings_attendance_is_locked_for_staff_and_recorded_for_admins(
    make_meeting, staff_user, admin_user
):
    """Found from outside: staff changed the roll of an approved meeting, unrecorded."""
    from meetings.models import Attendance, MeetingChange
    from tests.factories import ParticipantFactory

    person = ParticipantFactory(role="chair")
    meeting = make_meeting()
    services.attendance_record(
        meeting=meeting, actor=staff_user, entries=[services.RollEntry(person.pk, "present")]
    )
    meeting.status = "approved"
    meeting.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="รับรองแล้ว"):
        services.attendance_record(
            meeting=meeting, actor=staff_user, entries=[services.RollEntry(person.pk, "absent")]
        )
    with pytest.raises(ValidationError, match="รับรองแล้ว"):
        services.guest_add(meeting=meeting, actor=staff_user, name="นายแขก ผู้มาเยือน")
    assert Attendance.objects.get(meeting=meeting, participant=person).status == "present"

    services.attendance_record(
        meeting=meeting,
        actor=admin_user,
        entries=[services.RollEntry(person.pk, "absent", "ติดราชการ")],
    )
    change = MeetingChange.objects.get(meeting=meeting)
    assert change.changed_by == admin_user and change.after == {str(person.pk): "absent"}


def test_changes_to_approved_minutes_are_recorded(make_meeting, staff_user):
    from meetings.models import MeetingChange

    meeting = make_meeting()
    meeting.status = "approved"
    meeting.save(update_fields=["status"])
    item = meeting.agenda_items.first()
    services.minutes_update(
        meeting=meeting, actor=staff_user, texts={item.pk: ("ประธานแจ้งที่ประชุม", "รับทราบ")}
    )
    change = MeetingChange.objects.get(meeting=meeting)
    assert change.after == {str(item.pk): ["ประธานแจ้งที่ประชุม", "รับทราบ"]}
