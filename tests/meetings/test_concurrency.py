"""Concurrent writes, which only a server database can show: SQLite serialises
every write, so these run on PostgreSQL (``.ci/run`` runs the suite there)."""

import datetime
import threading

import pytest
from django.db import connection

from meetings import services
from meetings.models import AgendaItem, Attendance, Meeting
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"
)


@pytest.mark.django_db(transaction=True)
def test_meetings_created_at_once_get_different_numbers(staff_user):
    barrier = threading.Barrier(4)
    errors = []

    def create(day):
        try:
            barrier.wait()
            services.meeting_create(actor=staff_user, date=day, venue="ห้องประชุม")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    days = [datetime.date(2026, 3, 4) + datetime.timedelta(days=7 * n) for n in range(4)]
    threads = [threading.Thread(target=create, args=(day,)) for day in days]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Meeting.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


def _at_once(*calls):
    """Run ``calls`` in threads released together; return their results and errors."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_rolls_saved_at_once_both_land_and_the_shared_person_is_reported(staff_user):
    meeting = services.meeting_create(
        actor=staff_user, date=datetime.date(2026, 3, 4), venue="ห้องประชุม"
    )
    both, only_a, only_b = (
        ParticipantFactory(name=name, role="executive", community=None)
        for name in ("นายร่วม กัน", "นายเอ หนึ่ง", "นางบี สอง")
    )
    new = (0, "", "")  # nobody was recorded when both pages were opened
    roll_a = [
        services.RollEntry(both.pk, "present", seen=new),
        services.RollEntry(only_a.pk, "present", seen=new),
    ]
    roll_b = [
        services.RollEntry(both.pk, "absent", "ป่วย", seen=new),
        services.RollEntry(only_b.pk, "late", seen=new),
    ]

    results, errors = _at_once(
        lambda: services.attendance_record(meeting=meeting, actor=staff_user, entries=roll_a),
        lambda: services.attendance_record(meeting=meeting, actor=staff_user, entries=roll_b),
    )

    assert errors == []
    rows = {row.participant_id: row for row in Attendance.objects.filter(meeting=meeting)}
    assert rows[only_a.pk].status == "present"
    assert rows[only_b.pk].status == "late"
    # Whichever came second was told about the shared person instead of overwriting.
    reported = [[c.name for c in result.conflicts] for result in results]
    assert sorted(reported) == [[], ["นายร่วม กัน"]]
    first = 0 if reported[1] else 1
    expected = ("present", "") if first == 0 else ("absent", "ป่วย")
    assert (rows[both.pk].status, rows[both.pk].absence_reason) == expected


@pytest.mark.django_db(transaction=True)
def test_two_minutes_saves_of_one_item_at_once_refuse_one(staff_user):
    meeting = services.meeting_create(
        actor=staff_user, date=datetime.date(2026, 3, 4), venue="ห้องประชุม"
    )
    # Transactional tests start without the shipped agenda template.
    item = AgendaItem.objects.create(
        meeting=meeting, order=1, kind="announcements", title="เรื่องที่ประธานแจ้ง"
    )
    seen = {item.pk: item.minutes_fingerprint}

    def save(text):
        return lambda: services.minutes_update(
            meeting=meeting, actor=staff_user, texts={item.pk: (text, "")}, seen=seen
        )

    _results, errors = _at_once(save("ฉบับของคนแรก"), save("ฉบับของคนที่สอง"))

    assert [type(error) for error in errors] == [services.StaleMeeting]
    item.refresh_from_db()
    assert item.discussion in ("ฉบับของคนแรก", "ฉบับของคนที่สอง")


@pytest.mark.django_db(transaction=True)
def test_two_meeting_edits_at_once_refuse_one(staff_user):
    meeting = services.meeting_create(
        actor=staff_user, date=datetime.date(2026, 3, 4), venue="ห้องประชุม"
    )

    def edit(**fields):
        return lambda: services.meeting_update(
            meeting=Meeting.objects.get(pk=meeting.pk),
            actor=staff_user,
            version=meeting.version,
            **fields,
        )

    _results, errors = _at_once(edit(venue="หอประชุม"), edit(minute_taker="นางสาวจด บันทึก"))

    assert [type(error) for error in errors] == [services.StaleMeeting]
    meeting.refresh_from_db()
    assert meeting.version == 2
    assert (meeting.venue == "หอประชุม") != (meeting.minute_taker == "นางสาวจด บันทึก")


@pytest.mark.django_db(transaction=True)
def test_six_meetings_created_at_once_all_succeed_numbered_by_date(staff_user):
    # Latest first, so that a meeting numbered in order of arrival would show.
    days = [datetime.date(2026, 7, 1) - datetime.timedelta(days=7 * n) for n in range(6)]

    _results, errors = _at_once(
        *(
            lambda day=day: services.meeting_create(actor=staff_user, date=day, venue="ห้องประชุม")
            for day in days
        )
    )

    assert errors == []
    numbers = Meeting.objects.order_by("date").values_list("number", flat=True)
    assert list(numbers) == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db(transaction=True)
def test_meetings_created_and_moved_at_once_keep_distinct_numbers_in_date_order(staff_user):
    march, may = (
        services.meeting_create(actor=staff_user, date=day, venue="ห้องประชุม")
        for day in (datetime.date(2026, 3, 4), datetime.date(2026, 5, 6))
    )

    _results, errors = _at_once(
        lambda: services.meeting_update(
            meeting=Meeting.objects.get(pk=may.pk), actor=staff_user, date=datetime.date(2026, 2, 4)
        ),
        lambda: services.meeting_create(
            actor=staff_user, date=datetime.date(2026, 4, 1), venue="ห้องประชุม"
        ),
        lambda: services.meeting_create(
            actor=staff_user, date=datetime.date(2026, 1, 7), venue="ห้องประชุม"
        ),
    )

    assert errors == []
    numbers = Meeting.objects.order_by("date").values_list("number", flat=True)
    assert list(numbers) == [1, 2, 3, 4]
    assert Meeting.objects.get(pk=march.pk).number == 3
