"""Concurrent writes, which only a server database can show: SQLite serialises
every write, so these run on PostgreSQL (``.ci/run`` runs the suite there)."""

import datetime
import threading

import pytest
from django.db import connection

from meetings import services
from meetings.models import Meeting

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
