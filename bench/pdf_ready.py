"""The PDF reports made ready by the background worker: print, change, print again.

Run from the project folder, with ``huahin_bench_large`` made by ``bench/scale.py``:

    .venv/bin/python bench/pdf_ready.py [--changes 3]

It starts ``manage.py db_worker`` against that database (media in a temporary folder)
and, for the longest community report (``scale.busiest``) printed by its leader and the current month's
summary printed by an admin, times through Django's test client:

- the first print (laid out in the request);
- a print made right after a change to what the document shows, before the
  worker's round (laid out in the request, as every such print was before);
- a print made after the round that change queued (``reports.prints``).

Each change renames one issue the document lists, with a title never used before,
and the title is put back at the end; the prints and rounds of the run are removed.
Each round is forgotten once it has run, so that the next change is laid out 30 s
after it (``prints.REFRESH_AFTER``) rather than five minutes after the previous
round started (``prints.ROUND_EVERY``): what is timed is the print, not the pace.
Stopped half-way (Ctrl-C or a kill), it still puts the title back.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.scale import SIZES, busiest, setup_django  # noqa: E402

TASK = "reports.tasks.refresh_printed_documents"


def _timed_get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - started) * 1000


def _round_after(changed):
    """Wait for the worker's round that started after ``changed``; return it."""
    from django_tasks_db.models import DBTaskResult

    rounds = DBTaskResult.objects.filter(
        task_path=TASK, status="SUCCESSFUL", started_at__gt=changed
    )
    while not rounds.exists():
        time.sleep(0.5)
    return rounds.first()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=3)
    options = parser.parse_args()
    # A kill unwinds like Ctrl-C: the titles are put back and the worker stopped.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
    os.environ.update(TASKS_BACKEND="database", MEDIA_ROOT=tempfile.mkdtemp())
    setup_django(SIZES["large"])
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from issues.models import Issue
    from reports import kpis
    from reports.models import PrintedDocument

    call_command("migrate", verbosity=0)  # the schema of the code being measured
    users = get_user_model().objects
    today = timezone.localdate()
    longest = busiest()[0].number  # the community whose report lists the most issues
    leader = users.filter(profile__community__number=longest, groups__name="leader").first()
    admin = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    cases = [
        (
            f"community report {longest} (leader)",
            leader,
            f"/reports/communities/{longest}.pdf",
            Issue.objects.filter(community__number=longest, status="in_progress").first(),
        ),
        (
            f"monthly summary {today:%Y-%m} (admin)",
            admin,
            f"/reports/monthly/{today:%Y-%m}.pdf",
            kpis.overdue_issues(as_of=today, limit=1)[0],
        ),
    ]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "1"],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print("| document | first print | right after a change | after the worker's round | round |")
    print("| --- | ---: | ---: | ---: | ---: |")
    try:
        for name, user, url, issue in cases:
            title = issue.title
            client = Client()
            client.force_login(user)
            first = _timed_get(client, url)
            right_after, ready, rounds = [], [], []
            try:
                for change in range(options.changes):
                    issue.title = f"{title} ({change}, {time.time():.0f})"
                    issue.save()
                    right_after.append(_timed_get(client, url))
                    issue.title = f"{title} [{change}, {time.time():.0f}]"
                    issue.save()
                    done = _round_after(timezone.now())
                    rounds.append((done.finished_at - done.started_at).total_seconds())
                    ready.append(_timed_get(client, url))
                    DBTaskResult.objects.filter(task_path=TASK).exclude(status="READY").delete()
            finally:
                issue.title = title
                issue.save()
            print(
                f"| {name} | {first:,.0f} ms | {statistics.median(right_after):,.0f} ms"
                f" | {statistics.median(ready):,.0f} ms | {statistics.median(rounds):.1f} s |"
            )
    finally:
        worker.terminate()
        worker.wait()
        PrintedDocument.objects.filter(user__in=[leader, admin]).delete()
        DBTaskResult.objects.filter(task_path=TASK).delete()


if __name__ == "__main__":
    main()
