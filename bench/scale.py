"""Scale benchmark: the main pages with ten years of a large municipality's data.

Run from the project folder, with PostgreSQL on 127.0.0.1:5432 (user postgres):

    .venv/bin/python bench/scale.py [--repeat 5] [--reuse] [--size both|small|large]
        [--pages "issue list"]

It creates two databases of its own, ``huahin_bench_large`` (42 communities, 120
monthly meetings with 100 people on each roll, 50,000 issues with 2-5 history
entries each, over ten years) and ``huahin_bench_small`` (a tenth: the last 12
meetings and 5,000 issues), filled with ``bulk_create``, not through the services.
``--reuse`` keeps a database this script generated before; otherwise it is dropped
and generated again. A database of the same name it did not create is never touched.

Each page is then requested through Django's test client as the user who reads it,
once to count its SQL queries and ``--repeat`` times to take the median server
time, and the script prints a markdown table of both sizes: queries, medians, how
the time grew with ten times the data and the large time as a multiple of the
dashboard's, of a bare view rendering base.html (the floor) and, for the issue
list and its searches, of the Django admin changelist on the same data. ``--pages``
times only the pages whose name contains its text (with the floor and their
changelist). The community and department reports are read for the community whose
report lists the most issues and the department with the most open issues, by their
leader and their officer. A page whose query count differs between the sizes does
work per row: it is flagged with a WARNING.
``--drop`` removes both databases at the end.
"""

import argparse
import datetime
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

HOST = "127.0.0.1"  # the only server this script connects to
PORT = 5432
USER = "postgres"
# The marker in the database's comment that says this script created it.
MARKER = "huahin bench/scale.py"


@dataclass(frozen=True)
class Size:
    name: str
    database: str
    meetings: int
    issues: int


SIZES = {
    "small": Size("small", "huahin_bench_small", meetings=12, issues=5_000),
    "large": Size("large", "huahin_bench_large", meetings=120, issues=50_000),
}
ATTENDANCE_PER_MEETING = 100
SEED = 2569


# --------------------------------------------------------------------------------------
# The databases (the parent process; no Django)
# --------------------------------------------------------------------------------------


def _server():
    import psycopg

    return psycopg.connect(
        host=HOST, port=PORT, user=USER, dbname="postgres", autocommit=True, connect_timeout=10
    )


def _comment(cursor, name: str) -> str | None:
    """Return the database's comment, '' if it has none, None if it does not exist."""
    cursor.execute(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
        "FROM pg_database WHERE datname = %s",
        [name],
    )
    row = cursor.fetchone()
    return None if row is None else row[0]


def _set_comment(cursor, name: str, text: str) -> None:
    from psycopg import sql

    cursor.execute(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(text))
    )


def _drop(cursor, name: str) -> None:
    """Drop ``name`` if this script created it; refuse any other database."""
    from psycopg import sql

    comment = _comment(cursor, name)
    if comment is None:
        return
    if not comment.startswith(MARKER):
        sys.exit(
            f"Database {name} exists and was not created by this script; "
            "drop or rename it yourself, or choose another name."
        )
    cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))


def prepare_database(size: Size, *, reuse: bool) -> bool:
    """Make sure the size's database exists; return whether it must be generated."""
    from psycopg import sql

    with _server() as server, server.cursor() as cursor:
        comment = _comment(cursor, size.database)
        if reuse and comment == f"{MARKER}: ready, {size.issues} issues":
            return False
        if reuse and comment is not None:
            # Another run may be generating it now: never drop it from under that run.
            sys.exit(
                f"Database {size.database} is not ready ({comment or 'no comment'}); "
                "wait for the run generating it, or run without --reuse to generate it again."
            )
        _drop(cursor, size.database)
        cursor.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(size.database)
            )
        )
        _set_comment(cursor, size.database, f"{MARKER}: being generated")
    return True


def mark_ready(size: Size) -> None:
    with _server() as server, server.cursor() as cursor:
        _set_comment(cursor, size.database, f"{MARKER}: ready, {size.issues} issues")


def drop_databases(sizes) -> None:
    with _server() as server, server.cursor() as cursor:
        for size in sizes:
            _drop(cursor, size.database)
            print(f"dropped {size.database}")


# --------------------------------------------------------------------------------------
# Inside one database (a child process with Django set up on it)
# --------------------------------------------------------------------------------------


def setup_django(size: Size) -> None:
    os.environ.update(
        ENV_FILE="",
        DEBUG="false",  # production settings: cached templates, no debug cursor
        SECRET_KEY="bench-only-secret-key-not-for-production",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"postgres://{USER}@{HOST}:{PORT}/{size.database}",
        CONN_MAX_AGE="600",  # one connection for the run: time the pages, not connecting
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        STATIC_MANIFEST="false",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="huahin_meetings.settings",
    )
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def _months_back(year: int, month: int, back: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - back
    return index // 12, index % 12 + 1


def _first_wednesday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(2 - day.weekday()) % 7)


def meeting_dates(count: int, today: datetime.date) -> list[datetime.date]:
    """One meeting a month, on the first Wednesday, the last one on or before today."""
    year, month = today.year, today.month
    if _first_wednesday(year, month) > today:
        year, month = _months_back(year, month, 1)
    return [_first_wednesday(*_months_back(year, month, back)) for back in range(count - 1, -1, -1)]


TITLES = {
    "road": ("ถนนชำรุดเป็นหลุมเป็นบ่อ", "ทางเท้าแตกร้าว เดินไม่สะดวก", "ขอให้ลาดยางถนนใหม่"),
    "drainage": (
        "ท่อระบายน้ำอุดตัน น้ำท่วมขังหลังฝนตก",
        "ฝาท่อระบายน้ำชำรุด",
        "ขอให้ลอกท่อระบายน้ำ",
        "น้ำท่วมขังหน้าบ้าน ท่อระบายน้ำไม่พอ",
    ),
    "street_light": ("ไฟฟ้าส่องสว่างดับหลายจุด", "ขอติดตั้งไฟส่องสว่างเพิ่ม"),
    "garbage": ("ขยะไม่มีการจัดเก็บหลายวัน", "ขอถังขยะเพิ่ม", "มีการลักลอบทิ้งขยะ"),
    "stray_animals": ("สุนัขจรจัดจำนวนมาก", "ขอให้จับสุนัขจรจัดไปทำหมัน"),
    "trees": ("กิ่งไม้พาดสายไฟ", "ต้นไม้ล้มขวางทาง", "ขอให้ตัดแต่งกิ่งไม้"),
    "water_supply": ("น้ำประปาไหลอ่อน", "ท่อประปาแตก", "น้ำประปาขุ่น"),
    "electricity": ("เสาไฟฟ้าเอียง", "ไฟฟ้าตกบ่อย"),
    "safety": ("มีกลุ่มวัยรุ่นมั่วสุม", "ขอติดตั้งกล้องวงจรปิด"),
    "public_health": ("ยุงลายชุกชุม ขอพ่นหมอกควัน", "ขอรถพยาบาลรับส่งผู้ป่วยติดเตียง"),
    "nuisance": ("เสียงดังจากสถานบันเทิงยามดึก", "กลิ่นเหม็นจากบ่อบำบัด", "ควันจากการเผาขยะ"),
    "encroachment": ("แผงลอยรุกล้ำทางเท้า", "จอดรถกีดขวางทางเข้าออก"),
    "disaster": ("ขอถังดับเพลิงประจำชุมชน", "ต้นไม้เสี่ยงล้มช่วงมรสุม"),
    "welfare": ("ขอเบี้ยยังชีพผู้สูงอายุ", "ขอซ่อมบ้านผู้พิการ"),
    "other": ("ขอป้ายชื่อซอย", "ขอใช้สถานที่จัดกิจกรรมชุมชน"),
}
CATEGORY_WEIGHTS = {"road": 14, "drainage": 12, "street_light": 11, "garbage": 10, "trees": 7}
PLACES = ("ซอยหัวหิน", "ถนนเพชรเกษม ซอย", "ถนนสระสรง ซอย", "ถนนชมสินธุ์ ซอย", "หมู่บ้าน ซอย")
NOTES = (
    "เจ้าหน้าที่ลงพื้นที่ตรวจสอบแล้ว",
    "อยู่ระหว่างจัดหาวัสดุ",
    "ประสานผู้รับจ้างเข้าดำเนินการ",
    "ดำเนินการแล้วเสร็จบางส่วน",
    "รอตั้งงบประมาณปีถัดไป",
)
REFERRALS = {"electricity": "PEA", "street_light": "PEA", "water_supply": "PWA", "road": "DOH"}


def person_name(index: int) -> str:
    """The demo's names, each with the title its first name takes."""
    from demo.people import person_name as demo_person_name

    return demo_person_name(index)


class Generator:
    """Ten years (or one) of meetings and issues, written with ``bulk_create``."""

    def __init__(self, size: Size, users: dict):
        from django.utils import timezone

        self.size = size
        self.users = users
        self.random = random.Random(SEED)
        self.now = timezone.now()
        self.today = timezone.localdate()

    def aware(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        from django.utils import timezone

        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def run(self) -> dict:
        from django.db import connection, transaction

        with transaction.atomic():
            people = self.participants()
            meetings = self.meetings(people)
            counts = self.issues(meetings)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would soon after a load
        return {"participants": len(people), "meetings": len(meetings), **counts}

    def participants(self) -> list:
        from communities.models import Community, Department, Participant, ParticipantRole

        people = [
            Participant(
                name=person_name(100 + n), position=position, role=ParticipantRole.EXECUTIVE
            )
            for n, position in enumerate(
                ("นายกเทศมนตรีนครหัวหิน", "รองนายกเทศมนตรี", "รองนายกเทศมนตรี", "ปลัดเทศบาล")
            )
        ]
        people += [
            Participant(
                name=person_name(200 + n), position="สมาชิกสภาเทศบาล", role=ParticipantRole.COUNCIL
            )
            for n in range(12)
        ]
        for community in Community.objects.order_by("number"):
            people.append(
                Participant(
                    name=person_name(community.number),
                    position=f"ประธาน{community.name_th}",
                    role=ParticipantRole.CHAIR,
                    community=community,
                )
            )
            people.append(
                Participant(
                    name=person_name(500 + community.number),
                    position=f"กรรมการ{community.name_th}",
                    role=ParticipantRole.COMMITTEE,
                    community=community,
                )
            )
        for department in Department.objects.exclude(kind=Department.Kind.EXTERNAL):
            people.append(
                Participant(
                    name=person_name(300 + department.pk),
                    position=f"ผู้แทน{department.name_th}",
                    role=ParticipantRole.DEPARTMENT,
                    department=department,
                )
            )
        return Participant.objects.bulk_create(people)

    def meetings(self, people: list) -> list:
        from core.thaidates import fiscal_year
        from meetings.models import (
            AgendaItem,
            AgendaKind,
            AgendaTemplateItem,
            Attendance,
            Meeting,
            number_year,
        )

        staff = self.users["staff"]
        dates = meeting_dates(self.size.meetings, self.today)
        numbers: dict[int, int] = {}
        meetings = []
        for index, day in enumerate(dates):
            year = number_year(day)
            numbers[year] = numbers.get(year, 0) + 1
            last = index == len(dates) - 1
            status = "held" if last else "approved" if index == len(dates) - 2 else "published"
            meetings.append(
                Meeting(
                    fiscal_year=fiscal_year(day),
                    number_year=year,
                    number=numbers[year],
                    date=day,
                    start_time=datetime.time(9, 30),
                    end_time=datetime.time(12, 0),
                    venue="ห้องประชุมเทศบาลนครหัวหิน",
                    chair=people[0],
                    minute_taker="นางสาวสุดารัตน์ ธุรการดี",
                    minute_taker_position="เจ้าพนักงานธุรการ",
                    status=status,
                    check_in_token=f"bench-{index}",
                    created_by=staff,
                )
            )
        meetings = Meeting.objects.bulk_create(meetings)
        for meeting, later in itertools.pairwise(meetings):
            if meeting.status != "held":
                meeting.minutes_approved_at = later
        Meeting.objects.bulk_update(meetings[:-1], ["minutes_approved_at"])

        templates = list(AgendaTemplateItem.objects.filter(active=True).order_by("order"))
        items, rolls = [], []
        for index, meeting in enumerate(meetings):
            previous = meetings[index - 1] if index else None
            for position, template in enumerate(templates, start=1):
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        order=position,
                        kind=template.kind,
                        title=template.title,
                        discussion="ที่ประชุมรับทราบและร่วมกันพิจารณา" if index else "",
                        resolution="ที่ประชุมรับทราบ",
                        refers_to_meeting=previous
                        if template.kind == AgendaKind.PREVIOUS_MINUTES
                        else None,
                    )
                )
            for person in people[:ATTENDANCE_PER_MEETING]:
                draw = self.random.random()
                status = (
                    "absent"
                    if draw < 0.08
                    else "late"
                    if draw < 0.14
                    else "represented"
                    if draw < 0.17
                    else "present"
                )
                rolls.append(
                    Attendance(
                        meeting=meeting,
                        participant=person,
                        status=status,
                        substitute_name="นายตัวแทน ชุมชน" if status == "represented" else "",
                        absence_reason="ติดภารกิจ" if status == "absent" else "",
                        recorded_by=staff,
                    )
                )
        AgendaItem.objects.bulk_create(items)
        Attendance.objects.bulk_create(rolls, batch_size=5000)
        return meetings

    def issue_times(self, meetings: list) -> list[tuple[datetime.datetime, object]]:
        """When each issue was received and at which meeting (None: sent by a leader),
        oldest first; a little more each year."""
        slots = []
        weights = [1 + 0.5 * index / max(len(meetings) - 1, 1) for index in range(len(meetings))]
        total = sum(weights)
        for index, meeting in enumerate(meetings):
            count = round(self.size.issues * weights[index] / total)
            start = self.aware(meeting.date, 10)
            end = (
                self.aware(meetings[index + 1].date, 9)
                if index + 1 < len(meetings)
                else self.now - datetime.timedelta(hours=1)
            )
            for _ in range(count):
                if self.random.random() < 0.85:
                    slots.append(
                        (start + datetime.timedelta(seconds=self.random.randrange(7200)), meeting)
                    )
                else:
                    at = start + (end - start) * self.random.random()
                    slots.append((at, None))
        # Rounding may leave a few too many or too few: trim or repeat the last meeting's.
        slots = slots[: self.size.issues]
        while len(slots) < self.size.issues:
            slots.append((self.aware(meetings[-1].date, 11), meetings[-1]))
        slots.sort(key=lambda slot: slot[0])
        return slots

    def life(self, received: datetime.datetime) -> list[tuple[str, float]]:
        """The statuses an issue goes through after being forwarded, as (status, days
        after receipt), including those still to come; cut at today by the caller."""
        draw = self.random.random
        days = self.random.uniform
        if draw() < 0.03:
            return [("duplicate", days(1, 14))]
        if draw() < 0.03:
            return [("withdrawn", days(5, 60))]
        if draw() < 0.04:
            referred = days(3, 20)
            steps = [("referred", referred)]
            if draw() < 0.85:  # the agency fixed it; the community confirmed it
                resolved = referred + days(30, 400)
                steps += [("resolved", resolved), ("closed", resolved + days(10, 45))]
            return steps
        if draw() < 0.04:
            # Awaiting budget: most are merged into a budgeted project later (withdrawn
            # here), the rest still wait.
            planned = days(7, 30)
            steps = [("planned", planned)]
            if draw() < 0.75:
                steps.append(("withdrawn", planned + days(180, 1000)))
            return steps
        first = days(2, 30)
        steps = [("surveyed" if draw() < 0.3 else "in_progress", first)]
        resolved = first + self.random.lognormvariate(3.0, 0.7)  # median about 20 days
        steps.append(("resolved", resolved))
        if draw() < 0.995:
            steps.append(("closed", resolved + days(10, 45)))
        return steps

    def issues(self, meetings: list) -> dict:
        from django.db import connection

        from communities.models import Community, Department, IssueCategory
        from core.thaidates import fiscal_year
        from issues.models import Issue, IssueCounter, IssueUpdate

        communities = list(Community.objects.order_by("number"))
        categories = list(IssueCategory.objects.select_related("default_department"))
        weights = [CATEGORY_WEIGHTS.get(category.code, 4) for category in categories]
        agencies = {d.code: d for d in Department.objects.filter(kind=Department.Kind.EXTERNAL)}
        staff, officer = self.users["staff"], self.users["officer"]
        draw, pick = self.random.random, self.random.choice
        issues, updates = [], []
        numbers: dict[int, int] = {}
        latest_in: dict[int, int] = {}  # community pk -> the latest issue's pk
        timestamps = {
            "surveyed": "surveyed_at",
            "in_progress": "in_progress_at",
            "resolved": "resolved_at",
        }
        for pk, (received, meeting) in enumerate(self.issue_times(meetings), start=1):
            community = pick(communities)
            category = self.random.choices(categories, weights)[0]
            year = fiscal_year(received)
            numbers[year] = numbers.get(year, 0) + 1
            priority = self.random.choices((1, 2, 3, 4), (15, 60, 20, 5))[0]
            issue = Issue(
                pk=pk,
                fiscal_year=year,
                number=numbers[year],
                community=community,
                category=category,
                title=f"{pick(TITLES.get(category.code, TITLES['other']))} "
                f"{pick(PLACES)} {self.random.randint(1, 120)}",
                description="ชาวบ้านได้รับความเดือดร้อน ขอให้เทศบาลเข้าตรวจสอบและแก้ไข"
                + (" น้ำไม่ลงท่อระบายน้ำ" if draw() < 0.05 else ""),
                location_text=f"{community.name_th} {pick(PLACES)} {self.random.randint(1, 120)}",
                meeting=meeting,
                channel="meeting" if meeting else "staff",
                raised_by=f"ประธาน{community.name_th}",
                department=category.default_department,
                follow_up_team=draw() < 0.15,
                priority=priority,
                target_date=(
                    received + datetime.timedelta(days=(120, 60, 30, 14)[priority - 1])
                ).date()
                if draw() < 0.75
                else None,
                created_by=staff,
                received_at=received,
                forwarded_at=received,
                status="forwarded",
            )
            history = [
                IssueUpdate(
                    issue=issue,
                    kind="created",
                    actor=staff,
                    created_at=received,
                    to_status="received",
                ),
            ]
            if meeting is None and received > self.now - datetime.timedelta(days=20):
                # Sent by a leader since the last meeting: not yet on an agenda.
                issue.status, issue.forwarded_at, issue.awaiting_meeting = "received", None, True
                issue.department = None
                history.append(
                    IssueUpdate(
                        issue=issue,
                        kind="progress",
                        actor=staff,
                        created_at=min(received + datetime.timedelta(hours=2), self.now),
                        note="รับแจ้งแล้ว จะเสนอเข้าที่ประชุมครั้งถัดไป",
                        is_public=False,
                    )
                )
            else:
                history.append(
                    IssueUpdate(
                        issue=issue,
                        kind="routed",
                        actor=staff,
                        created_at=received,
                        from_status="received",
                        to_status="forwarded",
                        to_department=issue.department,
                    )
                )
                for status, after in self.life(received):
                    at = received + datetime.timedelta(days=after)
                    if at >= self.now:
                        break
                    if status == "duplicate" and community.pk not in latest_in:
                        status = "withdrawn"  # nothing earlier to be a duplicate of
                    actor = staff if status == "closed" else officer
                    note = "" if status in ("closed", "duplicate") else pick(NOTES)
                    history.append(
                        IssueUpdate(
                            issue=issue,
                            kind="transition",
                            actor=actor,
                            created_at=at,
                            from_status=issue.status,
                            to_status=status,
                            note=note,
                            outcome="fixed" if status == "closed" else "",
                            is_public=draw() < 0.8,
                        )
                    )
                    issue.status = status
                    if status == "closed":
                        issue.outcome = "fixed"
                    if status in timestamps:
                        setattr(issue, timestamps[status], at)
                    if status in ("closed", "duplicate", "withdrawn"):
                        issue.ended_at = at
                    if status == "referred":
                        issue.referred_to = agencies[REFERRALS.get(category.code, "DISTRICT")]
                    if status == "duplicate":
                        issue.duplicate_of_id = latest_in[community.pk]
                    if issue.first_response_at is None and actor == officer:
                        issue.first_response_at = at
                if len(history) < 5 and issue.status != "duplicate" and draw() < 0.4:
                    # A progress note between the last two moves, or after the last one.
                    before, last = history[-2].created_at, history[-1].created_at
                    if last > before:
                        at, position = before + (last - before) / 2, len(history) - 1
                    else:
                        at, position = last + datetime.timedelta(days=3), len(history)
                    if at < self.now:
                        history.insert(
                            position,
                            IssueUpdate(
                                issue=issue,
                                kind="progress",
                                actor=officer,
                                created_at=at,
                                note=pick(NOTES),
                                is_public=draw() < 0.7,
                            ),
                        )
            latest_in[community.pk] = pk
            issues.append(issue)
            updates += history
        Issue.objects.bulk_create(issues, batch_size=2000)
        IssueUpdate.objects.bulk_create(updates, batch_size=5000)
        IssueCounter.objects.bulk_create(
            IssueCounter(fiscal_year=year, last_number=last) for year, last in numbers.items()
        )
        with connection.cursor() as cursor:  # the next issue created gets the next pk
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('issues_issue', 'id'), "
                "(SELECT max(id) FROM issues_issue))"
            )
        return {"issues": len(issues), "issue_updates": len(updates)}


def bench_users() -> dict:
    """The users the pages are read as; created once per database."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.models import Profile, Role
    from communities.models import Community, Department

    accounts = {
        "admin": ("bench-admin", Role.ADMIN, None, None),
        "staff": ("bench-staff", Role.SECRETARIAT, "PALAD", None),
        "officer": ("bench-officer", Role.OFFICER, "ENG", None),
        "leader": ("bench-leader", Role.LEADER, None, 1),
    }
    users = {}
    for key, (username, role, department, community) in accounts.items():
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": "ทดสอบ", "last_name": key}
        )
        if created:
            user.set_unusable_password()
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.save()
            user.groups.add(Group.objects.get_or_create(name=role.value)[0])
            if department or community:
                Profile.objects.create(
                    user=user,
                    department=Department.objects.get(code=department) if department else None,
                    community=Community.objects.get(number=community) if community else None,
                )
        users[key] = user
    return users


def bare_view(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


# The floor of a page of the app: base.html (navigation, the user's menu, the
# context processors) around one word, with no query of its own.
BARE_TEMPLATE = '{% extends "base.html" %}{% block content %}<p>ok</p>{% endblock content %}'


def bare_template_view(request):
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string(BARE_TEMPLATE)
    return HttpResponse(template.render({}, request))


def bench_urlconf() -> str:
    """The project's URLs plus a trivial view, as a module the settings can name."""
    from django.urls import path

    from huahin_meetings import urls

    module = types.ModuleType("bench_scale_urls")
    module.urlpatterns = [
        path("bench/bare/", bare_view),
        path("bench/template/", bare_template_view),
        *urls.urlpatterns,
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def reader(key: str, role, *, department=None, community=None):
    """A user of ``role`` attached to ``department`` or ``community``, made on first use."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.models import Profile

    user, created = get_user_model().objects.get_or_create(
        username=f"bench-{key}", defaults={"first_name": "ทดสอบ", "last_name": key}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        Profile.objects.create(user=user, department=department, community=community)
    return user


def busiest() -> tuple:
    """The community whose report lists the most issues (open, or ended this fiscal
    year) and the department with the most open issues: the longest report pages."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from communities.models import Community, Department
    from core.thaidates import fiscal_year, fiscal_year_bounds
    from issues.models import ENDED_STATUSES, Issue
    from reports.kpis import day_start

    year_start, _end = fiscal_year_bounds(fiscal_year(timezone.localdate()))
    listed = ~Q(status__in=ENDED_STATUSES) | Q(ended_at__gte=day_start(year_start))
    community = (
        Issue.objects.filter(listed)
        .values("community")
        .annotate(n=Count("pk"))
        .order_by("-n", "community")
        .first()
    )
    department = (
        Issue.objects.exclude(status__in=ENDED_STATUSES)
        .filter(department__isnull=False)
        .values("department")
        .annotate(n=Count("pk"))
        .order_by("-n", "department")
        .first()
    )
    return (
        Community.objects.get(pk=community["community"]),
        community["n"],
        Department.objects.get(pk=department["department"]),
        department["n"],
    )


# The word searched for: ถนน is in a road's title and in most places' names, so it
# matches most issues; ท่อระบาย matches the drainage issues, about one in eight.
COMMON_WORD = "ถนน"
RARER_WORD = "ท่อระบาย"
# The bare views every page is held against, and each issue list page's Django
# admin changelist on the same data ("× floor", "× admin" in the table).
FLOOR = "bare template view (reference)"
ADMIN_PAGES = {
    "issue list": "Django admin changelist (reference)",
    f"issue list, search {COMMON_WORD}": f"Django admin changelist, search {COMMON_WORD}",
    f"issue list, search {RARER_WORD}": f"Django admin changelist, search {RARER_WORD}",
}


def measure(users: dict, repeat: int, verbose: bool, only: str = "") -> list[dict]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Role
    from core.thaidates import fiscal_year, fiscal_year_bounds
    from issues.views import SORT_KEYS
    from meetings.models import Meeting

    latest = Meeting.objects.exclude(status="draft").order_by("-date").first()
    community, listed, department, open_count = busiest()
    print(
        f"  longest reports: community {community.number} ({listed:,} issues listed), "
        f"department {department.code} ({open_count:,} open)",
        flush=True,
    )
    users = {
        **users,
        "community leader": reader(f"leader-{community.number}", Role.LEADER, community=community),
        "department officer": reader(
            f"officer-{department.code}", Role.OFFICER, department=department
        ),
        "follow-up": reader("follow-up", Role.FOLLOW_UP),
    }
    month = f"{latest.date.year:04d}-{latest.date.month:02d}"
    # The last fiscal year, whole: its dashboard and its last month's summary count
    # twelve months of issues where this year's count a few.
    this_year = fiscal_year(timezone.localdate())
    last_year = this_year - 1
    year_end = f"{fiscal_year_bounds(last_year)[1]:%Y-%m}"
    pages = [
        ("issue list", "/issues/", "admin"),
        (f"issue list, search {COMMON_WORD}", f"/issues/?q={COMMON_WORD}", "admin"),
        (f"issue list, search {RARER_WORD}", f"/issues/?q={RARER_WORD}", "admin"),
        *((f"issue list sorted by {key}", f"/issues/?sort={key}", "admin") for key in SORT_KEYS),
        ("Django admin changelist (reference)", "/admin/issues/issue/", "admin"),
        *(
            (f"Django admin changelist, search {word}", f"/admin/issues/issue/?q={word}", "admin")
            for word in (COMMON_WORD, RARER_WORD)
        ),
        ("worklist (officer, ENG)", "/issues/worklist/", "officer"),
        ("follow-up board (follow-up team)", "/issues/board/", "follow-up"),
        ("dashboard", "/dashboard/", "admin"),
        (f"dashboard, whole fiscal year {last_year}", f"/dashboard/?year={last_year}", "admin"),
        (
            f"meeting detail (latest held, {latest.number_label})",
            f"/meetings/{latest.pk}/",
            "admin",
        ),
        (f"monthly summary {month} (secretariat)", f"/reports/monthly/{month}/", "staff"),
        (f"monthly summary {month} PDF (secretariat)", f"/reports/monthly/{month}.pdf", "staff"),
        (
            f"monthly summary {year_end}, a whole fiscal year to date (secretariat)",
            f"/reports/monthly/{year_end}/",
            "staff",
        ),
        (
            "community report, longest (leader)",
            f"/reports/communities/{community.number}/",
            "community leader",
        ),
        (
            "community report PDF, longest (leader)",
            f"/reports/communities/{community.number}.pdf",
            "community leader",
        ),
        (
            "department report, most open (officer)",
            f"/reports/departments/{department.code}/",
            "department officer",
        ),
        ("open data page", "/open-data/", "admin"),
        (
            f"open data page, whole fiscal year {last_year}",
            f"/open-data/?year={last_year}",
            "admin",
        ),
        *(
            (f"open data, {table} {fmt.upper()}", f"/open-data/{this_year}/{table}.{fmt}", "admin")
            for table in ("statistics", "complaints")
            for fmt in ("csv", "json")
        ),
        (
            f"open data, statistics CSV, whole fiscal year {last_year}",
            f"/open-data/{last_year}/statistics.csv",
            "admin",
        ),
        ("bare Django view (reference)", "/bench/bare/", "admin"),
        (FLOOR, "/bench/template/", "admin"),
        ("/healthz (reference)", "/healthz", "admin"),
    ]
    if only:
        # The floor, and the admin changelist a chosen issue list is held against,
        # are timed with the pages chosen: their columns divide by them.
        chosen = {page for page, _url, _user in pages if only in page}
        chosen |= {FLOOR} | {ADMIN_PAGES[page] for page in chosen if page in ADMIN_PAGES}
        pages = [page for page in pages if page[0] in chosen]
    clients = {}
    for key in {user for _page, _url, user in pages}:
        clients[key] = Client()
        clients[key].force_login(users[key])
    results = []
    with override_settings(ROOT_URLCONF=bench_urlconf()):
        for page, url, user in pages:
            client = clients[user]
            client.get(url)  # warm: templates compiled, caches filled
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            # Read them now: the next request empties the connection's query log.
            queries = context.captured_queries
            slowest = sorted(queries, key=lambda query: -float(query["time"]))[:3]
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            results.append(
                {
                    "page": page,
                    "url": url,
                    "user": user,
                    "status": response.status_code,
                    "bytes": len(response.content),
                    "queries": len(queries),
                    "median_ms": statistics.median(timings),
                    "timings_ms": timings,
                    "slowest": [
                        {"ms": float(q["time"]) * 1000, "sql": q["sql"][:600]} for q in slowest
                    ],
                }
            )
            if verbose:
                print(f"  {page}: {len(queries)} queries, {statistics.median(timings):.1f} ms")
                for q in slowest:
                    print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    return results


def row_counts() -> dict:
    from django.db import connection

    tables = (
        "communities_community",
        "communities_participant",
        "meetings_meeting",
        "meetings_attendance",
        "issues_issue",
        "issues_issueupdate",
    )
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM issues_issue WHERE status NOT IN ('closed','duplicate','withdrawn')"
        )
        counts["open issues"] = cursor.fetchone()[0]
    return counts


def worker(options) -> None:
    size = SIZES[options.worker]
    setup_django(size)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = {"size": size.name, "generation_s": None}
    if options.generate:
        started = time.perf_counter()
        call_command("load_reference_data", verbosity=0)
        users = bench_users()
        generated = Generator(size, users).run()
        result["generation_s"] = time.perf_counter() - started
        print(
            f"[{size.name}] generated {size.database} in {result['generation_s']:.1f} s: "
            + ", ".join(f"{value:,} {key}" for key, value in generated.items()),
            flush=True,
        )
    users = bench_users()
    result["rows"] = row_counts()
    started = time.perf_counter()
    result["pages"] = measure(users, options.repeat, options.verbose, options.pages)
    result["measure_s"] = time.perf_counter() - started
    Path(options.result).write_text(json.dumps(result, ensure_ascii=False))


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------


def table(results: dict) -> list[str]:
    """Both sizes side by side: queries, median ms, how the time grew with ten times
    the data, and the large time as a multiple of the dashboard's, of the bare
    template view's (the floor of any page of the app) and, for an issue list, of
    the Django admin changelist's on the same data."""
    small, large = results.get("small"), results.get("large")
    few, many = (f"{SIZES[name].issues // 1000}k" for name in ("small", "large"))
    lines = [
        f"| page | queries ({few}) | queries ({many}) | ms ({few}) | ms ({many}) "
        "| growth | × dashboard | × floor | × admin |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    pages = (large or small)["pages"]
    latest = large or small
    medians = {page["page"]: page["median_ms"] for page in latest["pages"]}

    def times(base: str | None) -> str:
        return f"{time / medians[base]:.1f}" if base in medians else "—"

    for index, page in enumerate(pages):
        cells = [page["page"]]
        for result in (small, large):
            cells.append(str(result["pages"][index]["queries"]) if result else "—")
        for result in (small, large):
            cells.append(f"{result['pages'][index]['median_ms']:.1f}" if result else "—")
        if small and large:
            cells.append(
                f"{large['pages'][index]['median_ms'] / small['pages'][index]['median_ms']:.1f}×"
            )
        else:
            cells.append("—")
        time = latest["pages"][index]["median_ms"]
        cells += [times("dashboard"), times(FLOOR), times(ADMIN_PAGES.get(page["page"]))]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def warnings_for(results: dict) -> list[str]:
    found = []
    for result in results.values():
        for page in result["pages"]:
            if page["status"] != 200:
                found.append(
                    f"WARNING: {page['page']} answered {page['status']} on the {result['size']} data"
                )
    if "small" in results and "large" in results:
        for small, large in zip(results["small"]["pages"], results["large"]["pages"], strict=True):
            if small["queries"] != large["queries"]:
                found.append(
                    f"WARNING: {large['page']} runs {small['queries']} queries on the small data "
                    f"and {large['queries']} on the large: it does work per row"
                )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep a database generated before")
    parser.add_argument("--size", choices=("both", "small", "large"), default="both")
    parser.add_argument("--drop", action="store_true", help="drop the databases at the end")
    parser.add_argument("--verbose", action="store_true", help="print each page's slowest SQL")
    parser.add_argument(
        "--pages",
        default="",
        metavar="TEXT",
        help='time only the pages whose name contains TEXT (e.g. "issue list"), and the floor',
    )
    parser.add_argument("--worker", choices=tuple(SIZES), help=argparse.SUPPRESS)
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    options = parser.parse_args()
    for name in ("PGHOST", "PGHOSTADDR", "PGPORT", "PGSERVICE", "PGSERVICEFILE", "PGDATABASE"):
        os.environ.pop(name, None)  # 127.0.0.1 only, whatever the environment says
    if options.worker:
        worker(options)
        return

    started = time.perf_counter()
    sizes = [SIZES[name] for name in ("small", "large") if options.size in ("both", name)]
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            generate = prepare_database(size, reuse=options.reuse)
            if not generate:
                print(f"[{size.name}] reusing {size.database}", flush=True)
            result_file = Path(folder) / f"{size.name}.json"
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                size.name,
                "--result",
                str(result_file),
                "--repeat",
                str(options.repeat),
                "--pages",
                options.pages,
            ]
            command += ["--generate"] if generate else []
            command += ["--verbose"] if options.verbose else []
            subprocess.run(command, check=True, cwd=PROJECT)
            if generate:
                mark_ready(size)
            results[size.name] = json.loads(result_file.read_text())

    print()
    for result in results.values():
        rows = ", ".join(f"{key} {value:,}" for key, value in result["rows"].items())
        generation = (
            f"generated in {result['generation_s']:.1f} s"
            if result["generation_s"] is not None
            else "reused"
        )
        print(f"{result['size']}: {generation}; measured in {result['measure_s']:.1f} s; {rows}")
    print(f"\n{options.repeat} timed requests per page, median; PostgreSQL at {HOST}:{PORT}\n")
    print("\n".join(table(results)))
    found = warnings_for(results)
    print()
    print(
        "\n".join(found) if found else "Every page runs the same number of queries at both sizes."
    )
    if options.drop:
        drop_databases(sizes)
    print(f"total {time.perf_counter() - started:.0f} s")
    if found:
        sys.exit(1)


if __name__ == "__main__":
    main()
