"""Time the monthly summary PDF of a busy month: 60 issues and 100 attendees.

Run from the project folder (it builds its own throw-away SQLite database):

    .venv/bin/python bench/monthly_summary_pdf.py [--runs 5]

It prints the seconds per PDF and per page; the target is well under 2 seconds.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ.update(
        ENV_FILE="", DEBUG="true", SECRET_KEY="bench-only", DATABASE_URL=f"sqlite:///{database}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huahin_meetings.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from pypdf import PdfReader

    from communities.models import Community, IssueCategory, Participant
    from demo.people import demo_data_create
    from issues import services
    from meetings import services as meeting_services
    from reports import documents
    from tests.factories import make_user

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    demo_data_create(password="bench-password-2569")
    staff = make_user("bench-staff", role="secretariat")
    officer = make_user("bench-officer", role="officer", department_code="ENG")

    day = datetime.date(2026, 3, 4)
    meeting = meeting_services.meeting_create(
        actor=staff, date=day, venue="ห้องประชุมเทศบาลนครหัวหิน", start_time=datetime.time(9, 30)
    )
    people = list(Participant.objects.filter(active=True).order_by("pk")[:100])
    meeting_services.attendance_record(
        meeting=meeting,
        actor=staff,
        entries=[meeting_services.RollEntry(person.pk, "present") for person in people],
    )
    meeting_services.meeting_transition(meeting=meeting, to_status="held", actor=staff)
    communities = list(Community.objects.all())
    categories = list(IssueCategory.objects.all())
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))
    for n in range(60):
        issue = services.issue_create(
            actor=staff,
            community=communities[n % len(communities)],
            category=categories[n % len(categories)],
            title=f"น้ำท่วมขังและท่อระบายน้ำอุดตัน ซอย {n + 1}",
            meeting=meeting,
            at=at,
        )
        if n % 3 == 0 and issue.department.code == "ENG":
            services.issue_update(
                issue=issue, actor=officer, version=None, to_status="in_progress", at=at
            )
    print(f"Month: March 2026 · {len(people)} attendees · 60 issues")

    timings, pages = [], 0
    for _ in range(options.runs):
        started = time.perf_counter()
        content = documents.monthly_summary_pdf(
            year=2026, month=3, today=datetime.date(2026, 4, 30)
        )
        timings.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(content)).pages)
    median = statistics.median(timings)
    print(f"runs: {options.runs} · pages: {pages} · size: {len(content) // 1024} KB")
    print(
        f"seconds per PDF: median {median:.2f}, best {min(timings):.2f}, worst {max(timings):.2f}"
    )
    print(f"seconds per page: {median / pages:.3f}")


if __name__ == "__main__":
    main()
