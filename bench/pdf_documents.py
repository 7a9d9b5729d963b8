"""Time the official PDFs: the minutes and the monthly summary, at demo size and for a
large meeting, against WeasyPrint rendering one plain Thai page in the same process.

Run from the project folder (it builds its own throw-away SQLite database):

    .venv/bin/python bench/pdf_documents.py [--runs 5] [--backlog 2000] [--out DIR]

The large meeting has 118 people on the roll, 60 issues raised and ``--backlog`` open
issues carried forward from earlier meetings. It prints seconds per PDF (median of
``--runs``), pages, seconds per page and that figure over the floor's. ``--out`` keeps
the PDFs, to look at (pdftoppm -png).
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

import fontpkg_sarabun
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

PLAIN_PAGE = (
    "<!doctype html><html lang='th'><body><h1>รายงานการประชุม</h1>"
    + "<p>ที่ประชุมรับทราบว่ากองช่างได้ดำเนินการซ่อมแซมถนนในชุมชนแล้ว ส่วนปัญหาน้ำท่วมขัง"
    "บริเวณอ่างเก็บน้ำให้ผู้นำชุมชนประสานกองสาธารณสุขภายในเดือนมีนาคม</p>" * 12 + "</body></html>"
)


def _plain_weasyprint_page(html: str) -> bytes:
    """The floor: WeasyPrint alone, Sarabun 16 pt, no text layer, tags or PDF/A."""
    font_config = FontConfiguration()
    face = (fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").as_uri()
    css = CSS(
        string=f'@font-face {{ font-family: Sarabun; src: url("{face}"); }}'
        "@page { size: A4; margin: 2.5cm 2cm 2cm 3cm; } html { font: 16pt Sarabun; }",
        font_config=font_config,
    )
    return HTML(string=html).write_pdf(stylesheets=[css], font_config=font_config)


def _timed(render, runs: int) -> tuple[float, bytes]:
    timings, content = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        content = render()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), content


def _report(cases, options, *, floor: float | None) -> float:
    """Print a line per document; return the floor's seconds per page."""
    from pypdf import PdfReader

    for name, render in cases:
        seconds, content = _timed(render, options.runs)
        pages = len(PdfReader(io.BytesIO(content)).pages)
        per_page = seconds / pages
        floor = floor or per_page
        print(f"{name:28} {seconds:7.2f} {pages:6d} {per_page:7.3f} {per_page / floor:8.1f}")
        if options.out:
            options.out.mkdir(parents=True, exist_ok=True)
            slug = name.replace(" ", "-").replace(",", "").replace("(", "").replace(")", "")
            (options.out / f"{slug}.pdf").write_bytes(content)
    return floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backlog", type=int, default=2000)
    parser.add_argument("--out", type=Path)
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

    from communities.models import Community, IssueCategory, Participant
    from issues import services
    from issues.models import Issue
    from meetings import services as meeting_services
    from meetings.models import Meeting
    from reports import documents, minutes
    from tests.factories import make_user

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo", password="bench-password-2569", stdout=io.StringIO())
    staff = make_user("bench-staff", role="secretariat", department_code="PALAD")
    demo_meeting = Meeting.objects.exclude(status="draft").order_by("-date").first()
    month = demo_meeting.date
    demo_cases = [
        ("plain Thai page (floor)", lambda: _plain_weasyprint_page(PLAIN_PAGE)),
        ("minutes, demo", lambda: minutes.minutes_pdf(meeting=demo_meeting)),
        (
            "monthly summary, demo",
            lambda: documents.monthly_summary_pdf(year=month.year, month=month.month),
        ),
    ]

    print(f"{'document':28} {'s/PDF':>7} {'pages':>6} {'s/page':>7} {'× floor':>8}")
    floor = _report(demo_cases, options, floor=None)
    today = timezone.localdate()
    large = meeting_services.meeting_create(
        actor=staff, date=today, venue="ห้องประชุมเทศบาลนครหัวหิน ชั้น ๓", start_time=datetime.time(9, 30)
    )
    people = list(Participant.objects.filter(active=True).order_by("pk")[:118])
    meeting_services.attendance_record(
        meeting=large,
        actor=staff,
        entries=[meeting_services.RollEntry(person.pk, "present") for person in people],
    )
    communities = list(Community.objects.all())
    categories = list(IssueCategory.objects.select_related("default_department"))
    at = timezone.now()
    for n in range(60):
        services.issue_create(
            actor=staff,
            community=communities[n % len(communities)],
            category=categories[n % len(categories)],
            title=f"น้ำท่วมขังและท่อระบายน้ำอุดตัน ซอย {n + 1}",
            meeting=large,
            at=at,
        )
    earlier = Meeting.objects.exclude(pk=large.pk).order_by("-date").first()
    Issue.objects.bulk_create(
        Issue(
            fiscal_year=2560,
            number=n + 1,
            community=communities[n % len(communities)],
            category=categories[n % len(categories)],
            department=categories[n % len(categories)].default_department,
            title=f"ปัญหาค้างจากการประชุมก่อน ลำดับที่ {n + 1}",
            status="in_progress",
            received_at=at - datetime.timedelta(days=40 + n % 300),
            created_by=staff,
            meeting=earlier,
            channel="meeting",
        )
        for n in range(options.backlog)
    )
    print(
        f"Demo: meeting {demo_meeting.number_label}. Large: {len(people)} people, 60 issues "
        f"raised, {options.backlog} carried forward."
    )

    large_cases = [
        ("minutes, large", lambda: minutes.minutes_pdf(meeting=large)),
        (
            "monthly summary, large",
            lambda: documents.monthly_summary_pdf(year=today.year, month=today.month),
        ),
    ]
    _report(large_cases, options, floor=floor)


if __name__ == "__main__":
    main()
