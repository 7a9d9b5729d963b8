"""Every page that takes a POST, for every visitor: who may change what.

Each row POSTs a payload that does change the database for the visitors allowed to use
it (the test checks that too, so a refusal can never pass because the payload was
wrong), and for every other visitor asserts a refusal (the login page, 403 or 404) and
a database that is exactly as it was. The URL names come from the resolver, as in the
GET matrix: a new page without a row here fails ``test_every_url_pattern_has_a_row``.
The Django admin is checked at the end, model by model."""

import dataclasses
import datetime
import hashlib
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.urls import get_resolver, reverse
from django.utils import timezone

from communities.models import Community, Department, IssueCategory, Participant
from issues import services as issue_services
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting
from tests import test_permission_matrix as get_matrix
from tests.factories import PASSWORD, ParticipantFactory, make_user
from tests.meetings.conftest import image_upload

pytestmark = pytest.mark.django_db

# The GET matrix's objects: a held and a published meeting, an issue of ENG in
# community 1 with a progress photo, the leader linked to a participant.
objects = get_matrix.objects

VISITORS = (
    "anonymous",
    "no_role",
    "leader",  # of community 1, where the issue is
    "other_leader",  # of community 2
    "officer",  # of ENG, the issue's department
    "other_officer",  # of public health
    "kpt",
    "staff",  # secretariat
    "admin",
)
LOGGED_IN = frozenset(VISITORS) - {"anonymous"}
SECRETARIAT = frozenset({"staff", "admin"})
ADMIN = frozenset({"admin"})
LEADERS = frozenset({"leader", "other_leader"})

# Tables a request writes without changing any record a person made: sessions, the
# login-attempt log, the log of who read others' contact data and the record of who
# printed which report (so that the worker keeps it ready for them).
UNTRACKED_APPS = {"sessions", "axes", "contenttypes"}
UNTRACKED_MODELS = {"accounts.ContactAccess", "reports.PrintedDocument"}


@dataclasses.dataclass(frozen=True)
class Case:
    """One POST: ``args`` name entries of the ``world`` fixture, ``payload`` builds the
    data from it (at request time, so versions are current), ``allowed`` are the
    visitors whose POST is accepted and changes the database."""

    args: tuple[str, ...]
    payload: Callable[[dict], dict]
    allowed: frozenset[str]
    # Statuses besides 302-to-login/403/404 that mean "refused" for this page.
    also_refused_with: tuple[int, ...] = ()


def _meeting_form(world, key, **changes):
    meeting = Meeting.objects.get(pk=world[key])
    data = {
        "version": meeting.version,
        "date": meeting.date.isoformat(),
        "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
        "venue": meeting.venue,
        "chair": meeting.chair_id or "",
        "minute_taker": meeting.minute_taker,
        "minute_taker_position": meeting.minute_taker_position,
        "minute_checker": meeting.minute_checker,
        "minute_checker_position": meeting.minute_checker_position,
    }
    return data | changes


def _first_item(world, key) -> AgendaItem:
    return AgendaItem.objects.filter(meeting_id=world[key], parent=None).order_by("order").first()


def _minutes(key):
    return lambda w: {f"discussion-{_first_item(w, key).pk}": "ที่ประชุมรับทราบ"}


def _sub_item(key):
    return lambda w: {"parent": _first_item(w, key).pk, "title": "เรื่องถนนในชุมชน"}


def _roll(_key):
    return lambda w: {
        f"status-{w['chair_participant']}": "absent",
        f"note-{w['chair_participant']}": "ติดภารกิจ",
    }


def _guest(_w):
    return {"name": "นายแขก รับเชิญ", "position": "การไฟฟ้าส่วนภูมิภาค"}


def _upload(_w):
    return {"images": image_upload(), "caption": "บรรยากาศการประชุม"}


def _caption(photo_key):
    return lambda w: {f"caption-{w[photo_key]}": "ภาพหมู่ผู้นำชุมชน"}


def _version(w, key="issue"):
    return issue_services.Issue.objects.get(pk=w[key]).version


# url name -> the POSTs to send. The published meeting is the one every visitor may
# read, so a page that checked only reading would let them change it here.
WRITES: dict[str, list[Case]] = {
    "password_change": [
        Case(
            (),
            lambda w: {
                "old_password": PASSWORD,
                "new_password1": "another-horse-battery-2570",
                "new_password2": "another-horse-battery-2570",
            },
            LOGGED_IN,  # each visitor's own password, and only theirs
        )
    ],
    "meetings:create": [
        Case(
            (),
            lambda w: {
                "date": (timezone.localdate() - datetime.timedelta(days=20)).isoformat(),
                "start_time": "09:30",
                "venue": "ห้องประชุมเทศบาล",
            },
            SECRETARIAT,
        )
    ],
    "meetings:edit": [
        Case(("held",), lambda w: _meeting_form(w, "held", venue="หอประชุมใหม่"), SECRETARIAT),
        Case(("published",), lambda w: _meeting_form(w, "published", venue="หอประชุมใหม่"), ADMIN),
    ],
    "meetings:status": [
        Case(("draft",), lambda w: {"status": "held"}, SECRETARIAT),
    ],
    "meetings:minutes": [
        Case(("held",), _minutes("held"), SECRETARIAT),
        Case(("published",), _minutes("published"), ADMIN),
    ],
    "meetings:sub_item_add": [
        Case(("held",), _sub_item("held"), SECRETARIAT),
        Case(("published",), _sub_item("published"), ADMIN),
    ],
    "meetings:attendance": [
        Case(("held",), _roll("held"), SECRETARIAT),
        Case(("published",), _roll("published"), ADMIN),
    ],
    "meetings:attendance_guest": [
        Case(("held",), _guest, SECRETARIAT),
        Case(("published",), _guest, ADMIN),
    ],
    "meetings:photos": [
        Case(("held",), _upload, SECRETARIAT),
        Case(("published",), _upload, ADMIN),
    ],
    "meetings:photo_captions": [
        Case(("held",), _caption("held_photo"), SECRETARIAT),
        Case(("published",), _caption("meeting_photo"), ADMIN),
    ],
    "reports:line_summary": [
        # Queues the summary for LINE: the change is the row in the notification log.
        Case(("published",), lambda w: {"push": "1"}, SECRETARIAT),
    ],
    "meetings:check_in_code": [
        Case(("held",), lambda w: {}, SECRETARIAT),
        Case(("published",), lambda w: {}, ADMIN),
    ],
    "meetings:check_in": [
        # Only a person linked to a participant checks in, and only themself; the page
        # tells anyone else why not.
        Case(("held", "token"), lambda w: {}, frozenset({"leader"}), also_refused_with=(200,)),
    ],
    "issues:create": [
        Case(
            (),
            lambda w: {
                "community": Community.objects.get(number=2).pk,
                "category": IssueCategory.objects.get(code="road").pk,
                "title": "ไฟทางดับ",
                "priority": 2,
            },
            SECRETARIAT,
        )
    ],
    "issues:submit": [
        Case(
            (),
            lambda w: {
                "category": IssueCategory.objects.get(code="drainage").pk,
                "title": "ท่อระบายน้ำอุดตัน",
                "description": "น้ำท่วมขังทุกครั้งที่ฝนตก",
            },
            LEADERS,
        )
    ],
    "issues:update": [
        Case(
            ("issue",),
            lambda w: {"version": _version(w), "note": "ผู้รับจ้างเข้าซ่อมแล้ว", "is_public": "on"},
            frozenset({"officer", "kpt", "staff", "admin"}),
        )
    ],
    "issues:survey": [
        Case(
            ("issue",),
            lambda w: {
                "version": _version(w),
                "survey_date": timezone.localdate().isoformat(),
                "team_members": "คปต. สามคน",
                "findings": "ผิวถนนแตกเป็นทางยาว",
            },
            frozenset({"kpt", "staff", "admin"}),
        )
    ],
    "issues:route": [
        Case(
            ("issue",),
            lambda w: {
                "version": _version(w),
                "department": Department.objects.get(code="HEALTH").pk,
                "priority": 3,
                "note": "ส่งต่อกองสาธารณสุข",
            },
            frozenset({"kpt", "staff", "admin"}),
        )
    ],
    "issues:bulk_route": [
        Case(
            (),
            lambda w: {
                "department": Department.objects.get(code="HEALTH").pk,
                "issue": f"{w['issue']}:{_version(w)}",
            },
            SECRETARIAT,
        )
    ],
    "issues:accept": [
        Case(
            ("new",),
            lambda w: {"version": _version(w, "new")},
            frozenset({"officer", "kpt", "staff", "admin"}),
        )
    ],
    "issues:hand_back": [
        Case(
            ("issue",),
            lambda w: {"version": _version(w), "reason": "ไม่ใช่งานของกองช่าง"},
            frozenset({"officer"}),
        )
    ],
    "issues:confirm": [
        Case(
            ("received",),
            lambda w: {"version": _version(w, "received"), "meeting": w["held"]},
            SECRETARIAT,
        )
    ],
    "issues:confirm_fix": [
        Case(
            ("resolved",),
            lambda w: {"version": _version(w, "resolved")},
            frozenset({"leader"}),
        )
    ],
    "issues:dispute_fix": [
        Case(
            ("resolved",),
            lambda w: {"version": _version(w, "resolved"), "reason": "น้ำยังท่วมขังเหมือนเดิม"},
            frozenset({"leader"}),
        )
    ],
    "accounts:user_create": [
        Case(
            (),
            lambda w: {
                "username": "newclerk",
                "first_name": "สมหญิง",
                "last_name": "ธุรการ",
                "password1": "another-horse-battery-2570",
                "password2": "another-horse-battery-2570",
                "role": "secretariat",
                "department": Department.objects.get(code="PALAD").pk,
            },
            ADMIN,
        )
    ],
    "accounts:user_edit": [
        Case(
            ("user",),
            lambda w: {
                "first_name": "ณรงค์",
                "last_name": "ย้ายกอง",
                "role": "officer",
                "department": Department.objects.get(code="HEALTH").pk,
            },
            ADMIN,
        )
    ],
    "accounts:user_password": [
        Case(
            ("user",),
            lambda w: {
                "password1": "another-horse-battery-2570",
                "password2": "another-horse-battery-2570",
            },
            ADMIN,
        )
    ],
    "accounts:user_active": [Case(("user",), lambda w: {}, ADMIN)],
    # Each person's own choice of notifications.
    "notifications:preferences": [Case((), lambda w: {"mode": "digest"}, LOGGED_IN - {"no_role"})],
    "profile:page": [
        # Each visitor's own contact data, and only theirs.
        Case((), lambda w: {"email": "someone@example.com"}, LOGGED_IN)
    ],
}

# Pages that change no shared record when POSTed to, with the reason. Their POSTs
# are checked too: by an admin and by an anonymous visitor, nothing changes.
READS = {
    "home": "reads only",
    "healthz": "reads only",
    "login": "signs the visitor in (tests/test_security.py)",
    "logout": "ends the visitor's own session",
    "profile:line_unlink": "unlinks the visitor's own LINE account (tests/accounts/test_line_login.py)",
    "line_login": "sends the visitor to LINE; changes nothing until LINE answers",
    "line_callback": "only with a LINE sign-in started in this session (tests/accounts/test_line_login.py)",
    "password_change_done": "reads only",
    "password_reset": "sends an e-mail; changes nothing until the link is used",
    "password_reset_done": "reads only",
    "password_reset_confirm": "only with the e-mailed token (Django's own view)",
    "password_reset_complete": "reads only",
    "set_language": "sets a cookie",
    "reports:dashboard": "reads only",
    "reports:open_data": "reads only",
    "reports:open_data_download": "reads only",
    "communities:list": "reads only",
    "reports:community_detail": "reads only",
    "meetings:list": "reads only",
    "meetings:detail": "reads only",
    "meetings:photo_file": "reads only",
    "reports:minutes_pdf": "reads only",
    "issues:list": "reads only",
    "issues:worklist": "reads only",
    "issues:board": "reads only",
    "issues:export": "reads only",
    "favicon": "reads only",
    "issues:bulk_print": (
        "reads only: a POST to carry the ticked issues, answered with a PDF "
        "(refused to all but staff: tests/issues/test_issue_list.py)"
    ),
    "issues:detail": "reads only",
    "issues:photo_file": "reads only",
    "reports:monthly": "reads only",
    "reports:monthly_pdf": "reads only",
    "reports:community": "reads only",
    "reports:community_pdf": "reads only",
    "reports:department": "reads only",
    "accounts:user_list": "reads only",
    "notifications:line_usage": "reads only",
    "notifications:line_webhook": (
        "changes only what a request signed with LINE's channel secret asks "
        "(tests/notifications/test_webhook.py)"
    ),
}

ROW_TEMPLATE = (
    "{name!r}: [Case(args=(...), payload=lambda w: {{...}}, allowed=frozenset({{...}}))],"
)


def test_every_url_pattern_has_a_row():
    names = set(get_matrix._names(get_resolver().url_patterns))
    missing = sorted(names - set(WRITES) - set(READS))
    assert not missing, (
        "URL names with no row in tests/test_write_matrix.py. A page that takes a POST gets "
        "a row in WRITES:\n"
        + "\n".join(ROW_TEMPLATE.format(name=name) for name in missing)
        + "\nwith a payload that changes the database for the visitors in `allowed`; "
        "a page that only reads goes in READS with the reason."
    )
    assert set(WRITES) & set(READS) == set()
    assert set(WRITES) | set(READS) <= names, "rows for pages that no longer exist"


@pytest.fixture
def world(objects, staff_user, leader_user, admin_user, line_api):
    """The GET matrix's objects and the rest a POST needs: a draft meeting, a photo of
    the held meeting, a leader's submission awaiting a meeting, a resolved issue of the
    leader's community, both meetings' rolls, and LINE set up with its HTTP API faked
    (a push is queued in the notification log, sent only after the request commits)."""
    today = timezone.localdate()
    draft = meeting_services.meeting_create(
        actor=staff_user,
        date=today - datetime.timedelta(days=1),
        venue="ห้องประชุม",
        start_time=datetime.time(9, 30),
    )
    held = Meeting.objects.get(pk=objects["held"])
    [held_photo] = meeting_services.photos_add(
        meeting=held, actor=staff_user, files=[image_upload()]
    )
    chair = Participant.objects.get(user=leader_user)
    for meeting in (held, Meeting.objects.get(pk=objects["published"])):
        meeting_services.attendance_record(
            meeting=meeting,
            actor=admin_user,
            entries=[meeting_services.RollEntry(chair.pk, "present")],
        )
    received = issue_services.issue_submit(
        actor=leader_user,
        category=IssueCategory.objects.get(code="drainage"),
        title="น้ำท่วมขังหน้าศาลาชุมชน",
        description="ท่วมทุกครั้งที่ฝนตก",
    )
    resolved = issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="drainage"),
        title="ท่อระบายน้ำอุดตันหน้าตลาด",
    )
    for status in ("in_progress", "resolved"):
        resolved = issue_services.issue_update(
            issue=resolved, actor=staff_user, version=None, to_status=status
        )
    # Routed to the officer's department and not yet accepted by it.
    new = issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="road"),
        title="ถนนทรุดหน้าวัด",
    )
    pushed = line_api.calls
    return objects | {
        "new": new.pk,
        "draft": draft.pk,
        "held_photo": held_photo.pk,
        "received": received.pk,
        "resolved": resolved.pk,
        "chair_participant": chair.pk,
        "pushed": pushed,
    }


@pytest.fixture
def visitors(request, reference_data):
    """Log the test client in as a visitor: the fixture users and two more, a leader
    and an officer from elsewhere."""
    fixtures = get_matrix.FIXTURES
    others = {}

    def user_for(visitor):
        if visitor in ("other_leader", "other_officer"):
            if visitor not in others:
                others[visitor] = (
                    make_user("leader2", role="leader", community_number=2)
                    if visitor == "other_leader"
                    else make_user("officer2", role="officer", department_code="HEALTH")
                )
            return others[visitor]
        return request.getfixturevalue(fixtures[visitor])

    return user_for


def _tracked_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in UNTRACKED_APPS
        and model._meta.label not in UNTRACKED_MODELS
        and model._meta.managed
    ]


def snapshot(pushed=()) -> dict[str, str]:
    """Every tracked table as a digest of its rows (all columns, in key order), and
    the LINE messages pushed so far."""
    tables = {}
    for model in _tracked_models():
        rows = list(model._base_manager.order_by("pk").values_list())
        tables[model._meta.label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    tables["LINE pushes"] = str(len(pushed))
    return tables


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after[name])


class Rollback(Exception):
    pass


def post_and_roll_back(client, url, data, pushed):
    """POST, then undo what it did so that each case starts from the same data."""
    before, pushes = snapshot(pushed), len(pushed)
    try:
        with transaction.atomic():
            response = client.post(url, data)
            after = snapshot(pushed)
            raise Rollback
    except Rollback:
        pass
    del pushed[pushes:]  # a push is undone as well
    return response, changed_tables(before, after)


def turned_away(response, login_url=None) -> bool:
    """The login page, 403 or 404: the page would not serve the visitor."""
    if response.status_code == 302:
        return response.url.startswith(login_url or reverse("login"))
    return response.status_code in (403, 404)


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_visitor_changes_only_what_they_may(client, visitors, world, visitor):
    wrong = {}
    pushed = world["pushed"]
    for name, cases in WRITES.items():
        for index, case in enumerate(cases):
            client.logout()
            if visitor != "anonymous":
                client.force_login(visitors(visitor))
            url = reverse(name, args=[world[argument] for argument in case.args])
            before = len(pushed)
            response, changed = post_and_roll_back(client, url, case.payload(world), pushed)
            key = f"{name}[{index}] {url}"
            if visitor in case.allowed:
                if turned_away(response) or not changed:
                    wrong[key] = (response.status_code, "allowed, but nothing changed")
            elif changed:
                wrong[key] = (response.status_code, f"refused, but changed {changed}")
            elif not turned_away(response) and response.status_code not in case.also_refused_with:
                wrong[key] = (response.status_code, "refused, but not with login/403/404")
            assert len(pushed) == before
    assert wrong == {}, f"{visitor}: case -> (status, what went wrong)"


@pytest.mark.parametrize("visitor", ["anonymous", "admin"])
def test_posting_to_a_page_that_only_reads_changes_nothing(client, visitors, world, visitor):
    wrong = {}
    for name in READS:
        client.logout()
        if visitor != "anonymous":
            client.force_login(visitors(visitor))
        arguments = get_matrix.TABLE[name][0] if name in get_matrix.TABLE else ()
        url = reverse(name, args=[world[argument] for argument in arguments])
        response, changed = post_and_roll_back(client, url, {}, world["pushed"])
        if changed or response.status_code >= 500:
            wrong[name] = (response.status_code, changed)
    assert wrong == {}


# The Django admin --------------------------------------------------------------------


def _admin_urls(model, obj) -> dict[str, tuple[str, dict]]:
    """The admin's write URLs of ``model`` with a POST for each."""
    info = (model._meta.app_label, model._meta.model_name)
    urls = {"add": (reverse("admin:{}_{}_add".format(*info)), {})}
    if obj is not None:
        urls["bulk delete"] = (
            reverse("admin:{}_{}_changelist".format(*info)),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        urls["change"] = (reverse("admin:{}_{}_change".format(*info), args=[obj.pk]), {})
        urls["delete"] = (
            reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]),
            {"post": "yes"},
        )
    return urls


def _community_change(number=1):
    community = Community.objects.get(number=number)
    return reverse("admin:communities_community_change", args=[community.pk]), {
        "number": community.number,
        "name_th": "ชุมชนที่เปลี่ยนชื่อ",
        "name_en": community.name_en,
        "zone": community.zone,
        "phone": community.phone,
        "line_id": community.line_id,
        "active": "on",
    }


def test_an_admin_can_change_reference_data_in_the_admin(client, admin_user, world):
    """The payload below is one the admin accepts, so its refusal to others means something."""
    client.force_login(admin_user)
    url, data = _community_change()
    response, changed = post_and_roll_back(client, url, data, world["pushed"])
    assert response.status_code == 302, response.context and response.context["errors"]
    assert "communities.Community" in changed


@pytest.fixture(params=["secretariat", "leader"])
def admin_outsider(request, reference_data):
    """A user Django would let into its admin (``is_staff``) who holds no admin role."""
    if request.param == "secretariat":
        user = make_user("clerk", role="secretariat", department_code="PALAD")
    else:
        user = make_user("chair1", role="leader", community_number=1)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_only_admins_write_through_the_admin(client, admin_outsider, world):
    client.force_login(admin_outsider)
    ParticipantFactory()
    wrong = {}
    posts = {"community change": _community_change()}
    for model in admin.site._registry:
        obj = model._base_manager.order_by("pk").first()
        for action, post in _admin_urls(model, obj).items():
            posts[f"{model._meta.label} {action}"] = post
    for key, (url, data) in posts.items():
        response, changed = post_and_roll_back(client, url, data, world["pushed"])
        if not turned_away(response, reverse("admin:login")) or changed:
            wrong[key] = (response.status_code, changed)
    assert wrong == {}
