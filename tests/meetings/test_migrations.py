"""The data migration that numbers meetings by calendar year and date."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("meetings", "0004_field_labels")]
AFTER = [("meetings", "0005_meeting_number_year")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def typed_out_of_order():
    """Meetings numbered the old way: by fiscal year, in the order they were typed."""
    apps = _migrate(BEFORE)
    Meeting = apps.get_model("meetings", "Meeting")
    rows = [
        (datetime.date(2025, 10, 1), 1, "published"),
        (datetime.date(2025, 11, 5), 2, "approved"),
        (datetime.date(2026, 3, 12), 3, "draft"),
        (datetime.date(2026, 1, 10), 4, "draft"),
        (datetime.date(2025, 12, 3), 5, "held"),
    ]
    meetings = [
        Meeting.objects.create(
            date=day, fiscal_year=2569, number=number, status=status, venue="ห้องประชุม"
        )
        for day, number, status in rows
    ]
    Meeting.objects.filter(pk=meetings[1].pk).update(minutes_approved_at=meetings[4])
    yield
    _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _labels(apps):
    Meeting = apps.get_model("meetings", "Meeting")
    return {
        meeting.date.isoformat(): f"{meeting.number}/{meeting.number_year}"
        for meeting in Meeting.objects.all()
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("typed_out_of_order")
def test_drafts_are_renumbered_by_date_and_signed_numbers_are_kept():
    apps = _migrate(AFTER)

    assert _labels(apps) == {
        # Approved and published: the number in the signed minutes stays.
        "2025-10-01": "1/2569",
        "2025-11-05": "2/2569",
        # The others count in their calendar year, by date.
        "2025-12-03": "1/2568",
        "2026-01-10": "3/2569",
        "2026-03-12": "4/2569",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("typed_out_of_order")
def test_the_migration_reverses_to_fiscal_numbers_in_date_order():
    _migrate(AFTER)
    apps = _migrate(BEFORE)

    Meeting = apps.get_model("meetings", "Meeting")
    numbers = {m.date.isoformat(): m.number for m in Meeting.objects.all()}
    assert numbers == {
        "2025-10-01": 1,
        "2025-11-05": 2,
        "2025-12-03": 3,
        "2026-01-10": 4,
        "2026-03-12": 5,
    }
