"""Load benchmark: a meeting day's hundred signed-in users against gunicorn.

Run from the project folder (``make bench-load`` installs the ``bench`` extra first):

    .venv/bin/python bench/load.py [--duration 180] [--conn-max-age 0 60] [--sqlite]

It starts gunicorn with the project's ``gunicorn.conf.py`` and production settings
(``DEBUG=false``, static files collected into a temporary folder) on 127.0.0.1 only,
against ``huahin_bench_large`` (50,000 issues, made by ``bench/scale.py``; it is
never dropped or regenerated here), and drives it with locust:

- 100 users sign in through the login form (CSRF and all), in the roles of a
  meeting day: community leaders reading their community's report, issue list and
  issues; officers on their worklist, posting progress on their issues; the
  secretariat on the meeting page and the roll, marking it; the follow-up team on
  the board; admins on the dashboard. Each waits 1-5 s between pages.
- after ``--duration`` seconds of that, with the users still at it, the QR check-in
  rush: 100 people open the meeting's check-in link within 60 s, sign in and press
  "I am here". The attendance rows are counted afterwards: recorded/attempted.

It prints requests/s, p50/p95/p99 overall and per page, errors and the database
time per request, with the load average. ``--conn-max-age 0 60`` runs once per
value and prints one table of all runs.

The data it adds to the database is marked as bench data and reused: users named
``bench-load-…`` (password ``BENCH_PASSWORD``), one draft meeting dated today at the
venue ``LOAD_VENUE`` (its attendance rows are emptied at the start of each run), and
the progress notes the officers post (``BENCH_NOTE``, status unchanged).

``--worker`` also runs the task worker (``manage.py db_worker`` at nice 10, as the
README's unit does) with every bench leader's community report and each bench
admin's monthly summary printed before the run: the officers' progress notes then
make it lay those reports out again in the background (``reports.prints``) while
the users are at it. The media are in a temporary folder, so its first round lays
every one of them out: the worst case of a meeting day. It prints the worker's
rounds and CPU.

``--sqlite`` runs the check-in rush against a fresh SQLite database (the
out-of-the-box default) while community report PDFs render, and checks that no
request failed with "database is locked" and no check-in was lost.
"""

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

HOST = "127.0.0.1"  # the only address this script serves on and sends requests to
PG_PORT = 5432
DATABASE = "huahin_bench_large"
SCALE_MARKER = "huahin bench/scale.py: ready"
BENCH_PASSWORD = "bench-load-password-2569"
BENCH_NOTE = "ทดสอบภาระระบบ (bench/load.py)"
LOAD_VENUE = "ห้องประชุมทดสอบภาระ (bench/load.py)"
RUSH_PEOPLE = 100
RUSH_WINDOW_S = 60
ROLES_MIX = {"leader": 70, "officer": 14, "secretariat": 6, "follow_up": 6, "admin": 4}


# --------------------------------------------------------------------------------------
# Django side (child processes): the bench users and the plan of what each reads
# --------------------------------------------------------------------------------------


def server_environment(database_url: str, static_root: str, conn_max_age: int) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PG", "DJANGO_", "GUNICORN_")) and key != "DATABASE_URL"
    }
    environment.update(
        ENV_FILE="",
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-not-for-production",
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        CONN_MAX_AGE=str(conn_max_age),
        STATIC_ROOT=static_root,
        # Plain HTTP on loopback: no redirect to HTTPS, cookies sent without TLS.
        SECURE_SSL_REDIRECT="false",
        SECURE_PROXY_SSL_HEADER_ENABLED="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        TASKS_BACKEND="database",
        DJANGO_SETTINGS_MODULE="huahin_meetings.settings",
    )
    return environment


def _setup_django() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def _bench_user(username: str, role: str, *, community=None, department=None, encoded: str):
    """The bench user ``username`` of ``role``, made on first use with BENCH_PASSWORD."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.models import Profile

    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": "ทดสอบ", "last_name": "load"}
    )
    if created:
        user.password = encoded
        user.is_staff = user.is_superuser = role == "admin"
        user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        if community or department:
            Profile.objects.create(user=user, community=community, department=department)
    return user


def _load_meeting(staff):
    """The one draft meeting of the benchmark, dated today, its roll emptied."""
    import datetime

    from django.utils import timezone

    from meetings import services
    from meetings.models import Attendance, Meeting

    today = timezone.localdate()
    meeting = Meeting.objects.filter(venue=LOAD_VENUE).first()
    if meeting is None:
        meeting = services.meeting_create(
            actor=staff,
            date=today,
            start_time=datetime.time(9, 30),
            end_time=datetime.time(12, 0),
            venue=LOAD_VENUE,
        )
    elif meeting.date != today:
        meeting = services.meeting_update(meeting=meeting, actor=staff, date=today)
    # Only this bench meeting's rows: the run counts the check-ins it records.
    Attendance.objects.filter(meeting=meeting).delete()
    return Meeting.objects.get(pk=meeting.pk)


def _participants(count: int, exclude=()) -> list:
    """``count`` participants without an account of someone else's: the latest
    held meeting's roll first, then bench participants made for the run."""
    from communities.models import Community, Participant, ParticipantRole
    from meetings.models import Attendance, Meeting

    latest = Meeting.objects.exclude(status="draft").exclude(venue=LOAD_VENUE).first()
    free = Participant.objects.filter(active=True).exclude(pk__in=exclude)
    free = free.filter(user__isnull=True) | free.filter(user__username__startswith="bench-load-")
    on_roll = []
    if latest is not None:
        ids = Attendance.objects.filter(meeting=latest).values_list("participant", flat=True)
        on_roll = list(free.filter(pk__in=ids).order_by("pk")[:count])
    chosen = on_roll + list(
        free.exclude(pk__in=[p.pk for p in on_roll]).order_by("pk")[: count - len(on_roll)]
    )
    communities = list(Community.objects.order_by("number"))
    for index in range(len(chosen), count):
        chosen.append(
            Participant.objects.create(
                name=f"ผู้เข้าประชุมทดสอบ {index + 1}",
                position="กรรมการชุมชน (bench/load.py)",
                role=ParticipantRole.COMMITTEE,
                community=communities[index % len(communities)],
            )
        )
    return chosen


def _record_prints(users: list[dict], base_url: str) -> int:
    """Record the prints ``--worker`` starts from: each leader's community report and
    each admin's monthly summary of this month, as if printed just now."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from reports import prints

    by_name = get_user_model().objects.in_bulk(
        [user["username"] for user in users], field_name="username"
    )
    month = f"{timezone.localdate():%Y-%m}"
    recorded = 0
    for user in users:
        if user["role"] == "leader":
            prints.record_print(
                user=by_name[user["username"]],
                document=prints.Document.COMMUNITY_REPORT,
                argument=user["community"],
            )
        elif user["role"] == "admin":
            prints.record_print(
                user=by_name[user["username"]],
                document=prints.Document.MONTHLY_SUMMARY,
                argument=month,
                live_url=f"{base_url}/issues/?overdue=on",
            )
        else:
            continue
        recorded += 1
    return recorded


def prepare(result_path: str, printed_from: str = "") -> None:
    """Make the bench users and the meeting, and write the plan the users follow;
    with ``printed_from`` (the server's address), record the prints of ``--worker``."""
    _setup_django()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    # As bench/scale.py does: the schema of the code being measured.
    call_command("migrate", verbosity=0)
    from django.db import transaction
    from django.utils import timezone

    from communities.models import Department
    from issues.models import Issue, Status

    encoded = make_password(BENCH_PASSWORD)  # hashed once: every bench user has it
    with transaction.atomic():
        palad = Department.objects.filter(code="PALAD").first()
        follow_up_team = Department.objects.filter(kind=Department.Kind.FOLLOW_UP_TEAM).first()
        staff = [
            _bench_user(
                f"bench-load-secretariat-{n}", "secretariat", department=palad, encoded=encoded
            )
            for n in range(1, ROLES_MIX["secretariat"] + 1)
        ]
        meeting = _load_meeting(staff[0])

        # The rush: one account for each person on the roll, linked to them.
        people = _participants(RUSH_PEOPLE)
        rush = []
        for person in people:
            role = "leader" if person.community_id else "admin"
            user = _bench_user(
                f"bench-load-p{person.pk}", role, community=person.community, encoded=encoded
            )
            if person.user_id != user.pk:
                person.user = user
                person.save(update_fields=["user"])
            rush.append({"username": user.username, "participant": person.pk})
        # The roll the secretariat marks: people outside the rush, split between them
        # so that no two mark the same person.
        marked = _participants(2 * len(staff), exclude=[p.pk for p in people])

        # Officers where the work is: departments by their issues in progress.
        departments = sorted(
            Department.objects.filter(kind=Department.Kind.DEPARTMENT),
            key=lambda d: -Issue.objects.filter(department=d, status=Status.IN_PROGRESS).count(),
        )
        officers = []
        for n in range(ROLES_MIX["officer"]):
            department = departments[n % len(departments)]
            officers.append(
                (
                    _bench_user(
                        f"bench-load-officer-{n + 1}",
                        "officer",
                        department=department,
                        encoded=encoded,
                    ),
                    department,
                )
            )
        users = []
        leaders = [person for person in people if person.community_id][: ROLES_MIX["leader"]]
        for person in leaders:
            community = person.community
            issues = list(
                Issue.objects.filter(community=community)
                .order_by("-received_at")
                .values_list("pk", flat=True)[:40]
            )
            users.append(
                {
                    "username": f"bench-load-p{person.pk}",
                    "role": "leader",
                    "community": community.number,
                    "issues": issues,
                }
            )
        taken = set()
        for rank, (user, department) in enumerate(officers):
            same = [d for _u, d in officers].count(department)
            mine = rank // len(departments)  # this officer's share of the department's
            in_progress = Issue.objects.filter(
                department=department, status=Status.IN_PROGRESS
            ).order_by("pk")
            ids = [pk for pk in in_progress.values_list("pk", flat=True)[:400] if pk not in taken]
            ids = ids[mine::same][:30]
            taken.update(ids)
            users.append({"username": user.username, "role": "officer", "issues": ids})
        for index, user in enumerate(staff):
            users.append(
                {
                    "username": user.username,
                    "role": "secretariat",
                    "roll": [p.pk for p in marked[2 * index : 2 * index + 2]],
                }
            )
        open_ids = list(
            Issue.objects.filter(status__in=[Status.IN_PROGRESS, Status.FORWARDED])
            .order_by("-received_at")
            .values_list("pk", flat=True)[:200]
        )
        for n in range(1, ROLES_MIX["follow_up"] + 1):
            user = _bench_user(
                f"bench-load-followup-{n}",
                "follow_up",
                department=follow_up_team,
                encoded=encoded,
            )
            users.append({"username": user.username, "role": "follow_up", "issues": open_ids})
        for n in range(1, ROLES_MIX["admin"] + 1):
            user = _bench_user(f"bench-load-admin-{n}", "admin", encoded=encoded)
            users.append({"username": user.username, "role": "admin"})

    from meetings.models import Meeting
    from reports.models import PrintedDocument

    # Only the prints of a --worker run: none are left from an earlier one.
    PrintedDocument.objects.filter(user__username__startswith="bench-load-").delete()
    printed = _record_prints(users, printed_from) if printed_from else 0
    latest = Meeting.objects.exclude(status="draft").exclude(venue=LOAD_VENUE).first()
    today = timezone.localdate()
    plan = {
        "printed": printed,
        "password": BENCH_PASSWORD,
        "meeting": meeting.pk,
        "token": meeting.check_in_token,
        "latest": latest.pk if latest else meeting.pk,
        "month": f"{(latest.date if latest else today):%Y-%m}",
        "users": users,
        "rush": rush,
        "pdf_community": leaders[0].community.number if leaders else 1,
        "pdf_user": users[0]["username"],
    }
    Path(result_path).write_text(json.dumps(plan, ensure_ascii=False))


def count(plan_path: str, result_path: str) -> None:
    """Count what the run wrote: the check-ins recorded, the progress notes posted."""
    _setup_django()
    from issues.models import IssueUpdate
    from meetings.models import Attendance

    plan = json.loads(Path(plan_path).read_text())
    people = [entry["participant"] for entry in plan["rush"]]
    recorded = Attendance.objects.filter(
        meeting_id=plan["meeting"],
        participant_id__in=people,
        self_checked_in_at__isnull=False,
    ).count()
    notes = IssueUpdate.objects.filter(note=BENCH_NOTE).count()
    from django_tasks_db.models import DBTaskResult

    rounds = DBTaskResult.objects.filter(task_path="reports.tasks.refresh_printed_documents")
    finished = [
        (row.finished_at - row.started_at).total_seconds()
        for row in rounds.filter(status="SUCCESSFUL")
    ]
    rounds.delete()  # the queue as it was: a later run starts without them
    Path(result_path).write_text(
        json.dumps({"recorded": recorded, "notes_total": notes, "rounds": finished})
    )


# --------------------------------------------------------------------------------------
# The load (a child process with locust's gevent)
# --------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """Each form of a page as a browser would send it unchanged: (fields, action)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": {}, "names": set()})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            self.forms[-1]["names"].add(name)
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields[name] = attrs.get("value", "on")
                return
            fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.forms[-1]["names"].add(name)
            fields.setdefault(name, None)
        elif tag == "option" and self._select:
            if fields.get(self._select) is None or "selected" in attrs:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.forms[-1]["names"].add(name)
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def form_with(html: str, field: str) -> dict:
    """The fields of the page's first form that has ``field`` (prefix match)."""
    reader = FormReader()
    reader.feed(html)
    for form in reader.forms:
        if any(name.startswith(field) for name in form["names"]):
            return {k: v for k, v in form["fields"].items() if v is not None}
    raise LookupError(f"no form with {field} on the page")


def run_load(plan_path: str, base_url: str, result_path: str, options) -> None:
    """The users and the rush; every request's outcome written to ``result_path``."""
    import gevent
    from locust import HttpUser, between, events, task
    from locust.clients import HttpSession
    from locust.env import Environment

    plan = json.loads(Path(plan_path).read_text())
    if options.users < len(plan["users"]):  # a smaller hall, the same roles
        share = options.users / len(plan["users"])
        plan["users"] = [
            user
            for role in ROLES_MIX
            for user in [u for u in plan["users"] if u["role"] == role][
                : max(1, round(share * ROLES_MIX[role]))
            ]
        ]
    plan["rush"] = plan["rush"][: options.rush]
    password = plan["password"]
    samples = []  # (phase, name, ms, ok, db_ms, error)
    phase = {"now": "sign-in"}

    @events.request.add_listener
    def _record(request_type, name, response_time, response_length, response, exception, **_kw):
        db_ms = None
        if response is not None and getattr(response, "headers", None) is not None:
            value = response.headers.get("X-Bench-DB-ms")
            db_ms = float(value) if value else None
        error = ""
        if exception is not None:
            error = f"{type(exception).__name__}: {exception}"[:200]
        samples.append((phase["now"], name, response_time, exception is None, db_ms, error))

    def checked(response, what: str, *, expect_url: str = ""):
        """Fail the request if the page is not what the user expected."""
        if response.status_code >= 400:
            response.failure(f"{what}: HTTP {response.status_code}")
        elif expect_url and expect_url not in response.url:
            response.failure(f"{what}: ended at {response.url}")
        elif "database is locked" in response.text:
            response.failure(f"{what}: database is locked")
        elif 'class="warning"' in response.text or 'class="error"' in response.text:
            response.failure(f"{what}: refused ({response.url})")

    def sign_in(client, username: str, next_url: str = "") -> bool:
        query = f"?next={next_url}" if next_url else ""
        with client.get(f"/accounts/login/{query}", name="login page", catch_response=True) as page:
            checked(page, "login page")
        token = form_with(page.text, "csrfmiddlewaretoken")["csrfmiddlewaretoken"]
        data = {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": next_url,
        }
        with client.post(
            "/accounts/login/", data=data, name="login (POST)", catch_response=True
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"login of {username} refused")
                return False
            checked(response, "login")
        return True

    class MeetingDayUser(HttpUser):
        abstract = True
        wait_time = between(1, 5)
        host = base_url
        queue: list = []

        def on_start(self):
            # One connection a request, as nginx sends them to gunicorn: a kept-alive
            # connection that gunicorn closes after its 2 s keep-alive, just as the
            # user sends the next request, would show as an error no browser shows.
            self.client.headers["Connection"] = "close"
            self.me = self.queue.pop()
            self.rng = random.Random(self.me["username"])
            sign_in(self.client, self.me["username"])

        def get(self, url: str, name: str):
            with self.client.get(url, name=name, catch_response=True) as response:
                checked(response, name)
            return response

        def issue(self, name="issue detail"):
            if self.me.get("issues"):
                self.get(f"/issues/{self.rng.choice(self.me['issues'])}/", name)

    def queue_of(role):
        return [user for user in plan["users"] if user["role"] == role]

    class Leader(MeetingDayUser):
        fixed_count = len(queue_of("leader"))
        queue = queue_of("leader")

        @task(3)
        def community_report(self):
            self.get(f"/reports/communities/{self.me['community']}/", "community report")

        @task(3)
        def issue_list(self):
            self.get("/issues/", "issue list")

        @task(4)
        def detail(self):
            self.issue()

        @task(2)
        def home(self):
            self.get("/", "home")

        @task(1)
        def community_page(self):
            self.get(f"/communities/{self.me['community']}/", "community page")

    class Officer(MeetingDayUser):
        fixed_count = len(queue_of("officer"))
        queue = queue_of("officer")

        @task(4)
        def worklist(self):
            self.get("/issues/worklist/", "worklist")

        @task(3)
        def detail(self):
            self.issue()

        @task(1)
        def progress(self):
            """Post progress on one of their issues, status unchanged: it must save."""
            if not self.me["issues"]:
                return
            pk = self.rng.choice(self.me["issues"])
            page = self.get(f"/issues/{pk}/update/", "issue update form")
            if page.status_code != 200:
                return
            data = form_with(page.text, "to_status")
            data.update(to_status="", note=BENCH_NOTE, is_public="on")
            with self.client.post(
                f"/issues/{pk}/update/", data=data, name="issue update (POST)", catch_response=True
            ) as response:
                checked(response, "progress", expect_url=f"/issues/{pk}/")

    class Secretariat(MeetingDayUser):
        fixed_count = len(queue_of("secretariat"))
        queue = queue_of("secretariat")

        @task(2)
        def meeting(self):
            self.get(f"/meetings/{plan['meeting']}/", "meeting page (today)")

        @task(1)
        def latest(self):
            self.get(f"/meetings/{plan['latest']}/", "meeting page (latest held)")

        @task(3)
        def roll(self):
            self.get(f"/meetings/{plan['meeting']}/attendance/", "roll")

        @task(1)
        def mark(self):
            """Mark one of their people on the roll as the page shows it: it must save."""
            url = f"/meetings/{plan['meeting']}/attendance/"
            page = self.get(url, "roll")
            if page.status_code != 200 or not self.me["roll"]:
                return
            data = form_with(page.text, "status-")
            person = self.rng.choice(self.me["roll"])
            now = data.get(f"status-{person}", "")
            data[f"status-{person}"] = "late" if now == "present" else "present"
            with self.client.post(
                url, data=data, name="roll mark (POST)", catch_response=True
            ) as response:
                checked(response, "roll mark", expect_url=url)

        @task(1)
        def issue_list(self):
            self.get("/issues/", "issue list")

    class FollowUp(MeetingDayUser):
        fixed_count = len(queue_of("follow_up"))
        queue = queue_of("follow_up")

        @task(4)
        def board(self):
            self.get("/issues/board/", "board")

        @task(2)
        def detail(self):
            self.issue()

        @task(1)
        def issue_list(self):
            self.get("/issues/", "issue list")

    class Admin(MeetingDayUser):
        fixed_count = len(queue_of("admin"))
        queue = queue_of("admin")

        @task(4)
        def dashboard(self):
            self.get("/dashboard/", "dashboard")

        @task(1)
        def issue_list(self):
            self.get("/issues/", "issue list")

        @task(1)
        def monthly(self):
            self.get(f"/reports/monthly/{plan['month']}/", "monthly summary")

    def check_in(entry: dict, delay: float, outcome: dict):
        """One person in the hall: the QR link, the login it leads to, I am here."""
        gevent.sleep(delay)
        client = HttpSession(base_url, request_event=events.request, user=None)
        client.headers["Connection"] = "close"
        url = f"/meetings/{plan['meeting']}/check-in/{plan['token']}/"
        with client.get(url, name="check-in link (signed out)", catch_response=True) as r:
            checked(r, "check-in link", expect_url="/accounts/login/")
        if not sign_in(client, entry["username"], next_url=url):
            return
        with client.get(url, name="check-in page", catch_response=True) as page:
            checked(page, "check-in page", expect_url=url)
        try:
            token = form_with(page.text, "csrfmiddlewaretoken")["csrfmiddlewaretoken"]
        except LookupError:
            return
        with client.post(
            url, data={"csrfmiddlewaretoken": token}, name="check-in (POST)", catch_response=True
        ) as response:
            checked(response, "check-in", expect_url=url)
            outcome["answered"] += 1
            if response.status_code < 400:
                outcome["sent"] += 1

    def pdf_reader(stop_at: float, outcome: dict):
        """Someone downloading the community report PDF again and again."""
        client = HttpSession(base_url, request_event=events.request, user=None)
        client.headers["Connection"] = "close"
        sign_in(client, plan["pdf_user"])
        while time.monotonic() < stop_at:
            with client.get(
                f"/reports/communities/{plan['pdf_community']}.pdf",
                name="community report PDF",
                catch_response=True,
            ) as response:
                checked(response, "PDF")
                outcome["pdfs"] += 1

    environment = Environment(
        user_classes=[Leader, Officer, Secretariat, FollowUp, Admin], events=events
    )

    def progress():
        while True:
            gevent.sleep(15)
            failed = sum(1 for s in samples if not s[3])
            print(f"   {phase['now']}: {len(samples)} requests, {failed} failed", flush=True)

    gevent.spawn(progress)
    outcome = {"sent": 0, "answered": 0, "pdfs": 0, "attempted": len(plan["rush"])}
    timeline = {}
    rush_rng = random.Random(2569)

    def rush_greenlets(window: float):
        return [
            gevent.spawn(check_in, entry, rush_rng.uniform(0, window), outcome)
            for entry in plan["rush"]
        ]

    if options.sqlite:
        # The rush alone, with PDFs rendering all through it.
        phase["now"] = "rush"
        stop_at = time.monotonic() + options.rush_window + 30
        readers = [gevent.spawn(pdf_reader, stop_at, outcome) for _ in range(2)]
        timeline["rush_start"] = time.time()
        rushers = rush_greenlets(options.rush_window)
        gevent.joinall(rushers, timeout=options.rush_window + 240)
        timeline["rush_end"] = time.time()
        gevent.joinall(readers, timeout=120)
    else:
        runner = environment.create_local_runner()
        users = len(plan["users"])
        timeline["sign_in_start"] = time.time()
        runner.start(users, spawn_rate=options.spawn_rate)
        # Signing in is a password hash each: wait until every user is in.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            gevent.sleep(1)
            signed = sum(1 for s in samples if s[1] == "login (POST)")
            if runner.user_count >= users and signed >= users:
                break
        phase["now"] = "mix"
        timeline["mix_start"] = time.time()
        gevent.sleep(options.duration)
        timeline["mix_end"] = time.time()
        phase["now"] = "rush"
        timeline["rush_start"] = time.time()
        rushers = rush_greenlets(options.rush_window)
        gevent.joinall(rushers, timeout=options.rush_window + 240)
        timeline["rush_end"] = time.time()
        phase["now"] = "stopping"
        runner.quit()
    Path(result_path).write_text(
        json.dumps({"samples": samples, "outcome": outcome, "timeline": timeline})
    )


# --------------------------------------------------------------------------------------
# Measuring the server
# --------------------------------------------------------------------------------------


def _ticks(pid: int, children: bool = False) -> int:
    """CPU ticks used by the process (and by its children it has reaped)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    used = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        used += int(fields[13]) + int(fields[14])  # cutime, cstime
    return used


def _process_tree(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        with contextlib.suppress(OSError):
            todo += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return found


def cpu_seconds(root: int) -> float:
    """CPU time of the process tree under ``root``, with the children it reaped."""
    tree = _process_tree(root)
    ticks = _ticks(root, children=True) + sum(_ticks(pid) for pid in tree[1:])
    return ticks / os.sysconf("SC_CLK_TCK")


def postmaster_pid() -> int | None:
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = status.read_bytes().split(b"\0")
            parent = int(Path(status.parent, "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        is_postgres = words and Path(words[0].decode(errors="ignore")).name in (
            "postgres",
            "postmaster",
        )
        # The postmaster: the postgres process whose parent is not one.
        if is_postgres and not Path(f"/proc/{parent}/cmdline").read_bytes().startswith(words[0]):
            return int(status.parent.name)
    return None


def pg_active_ms(database: str) -> float | None:
    """pg_stat_database.active_time of the database: time its backends spent
    running statements (PostgreSQL 14+), all clients of that database."""
    import psycopg

    try:
        with psycopg.connect(
            host=HOST,
            port=PG_PORT,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        ) as connection:
            row = connection.execute(
                "SELECT active_time FROM pg_stat_database WHERE datname = %s", [database]
            ).fetchone()
            return float(row[0]) if row and row[0] is not None else None
    except psycopg.Error:
        return None


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --------------------------------------------------------------------------------------
# One run
# --------------------------------------------------------------------------------------


def _child(args: list[str], environment: dict, log=None) -> None:
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        check=True,
        cwd=PROJECT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )


def _wait_for(url: str, process, seconds: int = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {process.returncode}); see its log above")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    sys.exit(f"gunicorn did not answer {url} within {seconds} s")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(samples: list, seconds: float, phase: str) -> dict:
    chosen = [s for s in samples if s[0] == phase]
    pages = {}
    for _phase, name, ms, ok, db_ms, error in chosen:
        page = pages.setdefault(name, {"ms": [], "errors": 0, "db": [], "messages": set()})
        page["ms"].append(ms)
        page["errors"] += 0 if ok else 1
        if error:
            page["messages"].add(error)
        if db_ms is not None:
            page["db"].append(db_ms)

    def line(ms, errors, db):
        return {
            "requests": len(ms),
            "rps": len(ms) / seconds if seconds else 0,
            "p50": percentile(ms, 0.50),
            "p95": percentile(ms, 0.95),
            "p99": percentile(ms, 0.99),
            "errors": errors,
            "db_ms": statistics.mean(db) if db else None,
        }

    every = [s for s in chosen]
    return {
        "all": line(
            [s[2] for s in every],
            sum(0 if s[3] else 1 for s in every),
            [s[4] for s in every if s[4] is not None],
        ),
        "pages": {
            name: line(page["ms"], page["errors"], page["db"])
            for name, page in sorted(pages.items())
        },
        "messages": sorted({m for page in pages.values() for m in page["messages"]})[:20],
    }


def one_run(options, conn_max_age: int, folder: Path) -> dict:
    label = f"CONN_MAX_AGE={conn_max_age}"
    if options.sqlite:
        database_url = f"sqlite:///{folder / 'load.sqlite3'}"
    else:
        database_url = f"postgres://postgres@{HOST}:{PG_PORT}/{DATABASE}"
    static_root = folder / "static"
    environment = server_environment(database_url, str(static_root), conn_max_age)
    if options.worker:
        # Shared by gunicorn and the worker, empty at the start: the worst case.
        media = Path(tempfile.mkdtemp(dir=folder, prefix="media-"))
        environment.update(MEDIA_ROOT=str(media), TASKS_BACKEND="database")
    log_path = folder / f"gunicorn-{conn_max_age}.log"
    plan_path, out_path, count_path = (folder / f"{n}.json" for n in ("plan", "out", "count"))
    print(f"\n== {label}: preparing ({database_url.split('@')[-1]})", flush=True)
    with open(folder / "setup.log", "a") as log:
        if options.sqlite and not (folder / "load.sqlite3").exists():
            for command in (["migrate", "--no-input"], ["load_reference_data"], ["seed_demo"]):
                subprocess.run(
                    [sys.executable, "manage.py", *command],
                    check=True,
                    cwd=PROJECT,
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
        # Each run: the static files of the code being measured.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--clear"],
            check=True,
            cwd=PROJECT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        printed_from = [f"--printed-from=http://{HOST}:{options.port}"] if options.worker else []
        _child(["--prepare", str(plan_path), *printed_from], environment, log)

    gunicorn_environment = {
        **environment,
        "GUNICORN_BIND": f"{HOST}:{options.port}",
        "PYTHONPATH": str(PROJECT / "bench"),
    }
    for name, value in (
        ("GUNICORN_WORKERS", options.workers),
        ("GUNICORN_THREADS", options.threads),
        ("GUNICORN_WORKER_CLASS", options.worker_class),
    ):
        if value:
            gunicorn_environment[name] = str(value)
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(PROJECT / "gunicorn.conf.py"),
                "--access-logfile",
                "/dev/null",
                "load_wsgi:application",
            ],
            cwd=PROJECT,
            env=gunicorn_environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = None
    if options.worker:
        with open(folder / "worker.log", "w") as log:
            worker = subprocess.Popen(
                [
                    *("nice", "-n", "10", sys.executable, "manage.py", "db_worker"),
                    *("--no-reload", "--interval", "1"),
                ],
                cwd=PROJECT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
    try:
        try:
            _wait_for(f"http://{HOST}:{options.port}/healthz", server)
        except SystemExit:
            print(log_path.read_text()[-3000:], file=sys.stderr)
            raise
        postmaster = postmaster_pid() if not options.sqlite else None
        before = {
            "worker": cpu_seconds(worker.pid) if worker else None,
            "app": cpu_seconds(server.pid),
            "pg": cpu_seconds(postmaster) if postmaster else None,
            "pg_active": None if options.sqlite else pg_active_ms(DATABASE),
            "load": load_average(),
            "at": time.time(),
        }
        print(
            f"== {label}: gunicorn up (pid {server.pid}); load average {before['load']}; "
            f"{'rush with PDFs' if options.sqlite else f'{options.duration} s of the mix, then the rush'}",
            flush=True,
        )
        _child(
            [
                "--load",
                str(plan_path),
                "--base-url",
                f"http://{HOST}:{options.port}",
                "--result",
                str(out_path),
                "--duration",
                str(options.duration),
                "--spawn-rate",
                str(options.spawn_rate),
                "--rush-window",
                str(options.rush_window),
                "--users",
                str(options.users),
                "--rush",
                str(options.rush),
            ]
            + (["--sqlite"] if options.sqlite else []),
            environment,
        )
        after = {
            "worker": cpu_seconds(worker.pid) if worker else None,
            "app": cpu_seconds(server.pid),
            "pg": cpu_seconds(postmaster) if postmaster else None,
            "pg_active": None if options.sqlite else pg_active_ms(DATABASE),
            "load": load_average(),
            "at": time.time(),
        }
    finally:
        for process in (server, worker):
            if process is None:
                continue
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    _child(["--count", str(plan_path), str(count_path)], environment)
    data = json.loads(out_path.read_text())
    counted = json.loads(count_path.read_text())
    timeline = data["timeline"]
    result = {
        "label": label,
        "conn_max_age": conn_max_age,
        "load_before": before["load"],
        "load_after": after["load"],
        "outcome": data["outcome"],
        "counted": counted,
    }
    samples = data["samples"]
    if "mix_start" in timeline:
        mix_s = timeline["mix_end"] - timeline["mix_start"]
        result["mix"] = summarise(samples, mix_s, "mix")
        result["mix_s"] = mix_s
    result["rush"] = summarise(samples, timeline["rush_end"] - timeline["rush_start"], "rush")
    result["sign_in"] = summarise(samples, 1, "sign-in")
    every = len(samples)
    wall = after["at"] - before["at"]
    result["requests_total"] = every
    result["app_cpu_ms"] = (after["app"] - before["app"]) * 1000 / max(every, 1)
    if before["pg"] is not None:
        result["pg_cpu_ms"] = (after["pg"] - before["pg"]) * 1000 / max(every, 1)
    if before["pg_active"] is not None and after["pg_active"] is not None:
        result["pg_active_ms"] = (after["pg_active"] - before["pg_active"]) / max(every, 1)
    result["wall_s"] = wall
    if worker is not None:
        result["worker"] = {
            "printed": json.loads(plan_path.read_text())["printed"],
            "cpu_s": after["worker"] - before["worker"],
            "rounds": counted["rounds"],
        }
    locked = [m for m in result["rush"]["messages"] if "locked" in m]
    result["database_locked"] = len(locked)
    return result


def fmt(value, digits=0) -> str:
    if value is None or value != value:
        return "—"
    return f"{value:,.{digits}f}"


def report(results: list[dict], options) -> None:
    print()
    for result in results:
        print(
            f"### {result['label']}  (load average {result['load_before']} at the start, "
            f"{result['load_after']} at the end)"
        )
        for phase in ("mix", "rush"):
            if phase not in result:
                continue
            summary = result[phase]
            what = (
                f"the mix, {fmt(result['mix_s'])} s after every user signed in"
                if phase == "mix"
                else "the check-in rush (the mix still running)"
                if not options.sqlite
                else "the check-in rush, with community report PDFs rendering"
            )
            print(f"\n{what}:\n")
            print("| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors | DB ms/request |")
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            rows = [("**all**", summary["all"]), *summary["pages"].items()]
            for name, row in rows:
                print(
                    f"| {name} | {row['requests']} | {fmt(row['rps'], 1)} | {fmt(row['p50'])} "
                    f"| {fmt(row['p95'])} | {fmt(row['p99'])} | {row['errors']} "
                    f"| {fmt(row['db_ms'], 1)} |"
                )
            for message in summary["messages"]:
                print(f"  error: {message}")
        outcome, counted = result["outcome"], result["counted"]
        unfinished = outcome["attempted"] - outcome.get("answered", outcome["sent"])
        print(
            f"\ncheck-ins recorded/attempted: {counted['recorded']}/{outcome['attempted']}"
            f" ({outcome['sent']} answered saved"
            + (f"; {unfinished} not answered within the time bound" if unfinished else "")
            + ")"
        )
        if "worker" in result:
            worker = result["worker"]
            print(
                f"task worker (nice 10), {worker['printed']} prints recorded: "
                f"{len(worker['rounds'])} rounds finished ("
                + ", ".join(f"{seconds:.0f} s" for seconds in worker["rounds"])
                + f"), {fmt(worker['cpu_s'])} s of CPU during the run"
            )
        if options.sqlite:
            print(
                f"community report PDFs rendered meanwhile: {outcome['pdfs']}; "
                f"'database is locked' errors: {result['database_locked']}"
            )
        print(
            f"per request, over all {result['requests_total']} requests: app (gunicorn) CPU "
            f"{fmt(result['app_cpu_ms'], 1)} ms"
            + (
                f"; PostgreSQL server CPU {fmt(result['pg_cpu_ms'], 1)} ms (every database)"
                if "pg_cpu_ms" in result
                else ""
            )
            + (
                f"; PostgreSQL statement time {fmt(result['pg_active_ms'], 1)} ms "
                f"(pg_stat_database.active_time of {DATABASE}, all its clients)"
                if "pg_active_ms" in result
                else ""
            )
        )
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration",
        type=int,
        default=180,
        help="seconds of the meeting-day mix, after sign-in (default 180)",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        nargs="+",
        default=[0],
        help="CONN_MAX_AGE of the server; several values: one run each",
    )
    parser.add_argument(
        "--rush-window",
        type=float,
        default=RUSH_WINDOW_S,
        help="seconds within which the 100 check-ins start (default 60)",
    )
    parser.add_argument(
        "--users",
        type=int,
        default=100,
        help="signed-in users of the mix (default 100, in the roles' shares)",
    )
    parser.add_argument(
        "--rush",
        type=int,
        default=RUSH_PEOPLE,
        help="people checking in during the rush (default 100)",
    )
    parser.add_argument("--port", type=int, default=8014, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users signing in a second")
    parser.add_argument("--workers", type=int, help="GUNICORN_WORKERS (default: the config's)")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (default: the config's)")
    parser.add_argument("--worker-class", help="GUNICORN_WORKER_CLASS (default: the config's)")
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="the check-in rush on a fresh SQLite database while PDFs render",
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--worker",
        action="store_true",
        help="also run the task worker, with the reports printed before (see above)",
    )
    parser.add_argument("--printed-from", default="", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--count", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        prepare(options.prepare, options.printed_from)
        return
    if options.count:
        count(*options.count)
        return
    if options.load:
        if not options.base_url.startswith(f"http://{HOST}:"):
            sys.exit(f"refusing {options.base_url}: this benchmark only loads {HOST}")
        run_load(options.load, options.base_url, options.result, options)
        return
    if not 1024 <= options.port <= 65535:
        sys.exit("--port must be 1024-65535")
    for name in ("PGHOST", "PGHOSTADDR", "PGPORT", "PGSERVICE", "PGSERVICEFILE", "PGDATABASE"):
        os.environ.pop(name, None)  # 127.0.0.1 only, whatever the environment says
    if not options.sqlite:
        import psycopg

        with psycopg.connect(
            host=HOST,
            port=PG_PORT,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        ) as connection:
            row = connection.execute(
                "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
                "FROM pg_database WHERE datname = %s",
                [DATABASE],
            ).fetchone()
        if not row or not row[0].startswith(SCALE_MARKER):
            sys.exit(
                f"{DATABASE} is not ready: make it first with "
                ".venv/bin/python bench/scale.py --size large --reuse"
            )
    results = []
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as name:
        folder = Path(name)
        values = [0] if options.sqlite and options.conn_max_age == [0] else options.conn_max_age
        for value in values:
            results.append(one_run(options, value, folder))
            report(results[-1:], options)  # each run's figures as soon as it ends
            if options.json:
                Path(options.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"total {time.time() - started:.0f} s")
    failed = any(
        r["counted"]["recorded"] < r["outcome"]["attempted"]
        or r["rush"]["all"]["errors"]
        or ("mix" in r and r["mix"]["all"]["errors"])
        for r in results
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
