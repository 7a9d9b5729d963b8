"""What each role sees: every page, PDF, CSV and message that lists issues or their
notes, checked by its content (SPEC §2, the scope rules).

The data: seven issues of four departments in three communities, each with a public
note ``Public<Name>`` and an internal one ``Internal<Name>`` and titled ``Title<Name>``.
For each role a page must show the issues of the role's scope and no other, and the
internal notes only where the role may read them; what is published (the PDFs, the
LINE text) never carries an internal note. Each check fails both ways: a missing
in-scope issue fails as much as a leaked one."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Department, IssueCategory
from issues import selectors
from issues import services as issue_services
from issues.models import Issue, IssueUpdate
from issues.permissions import issue_visible, sees_internal_notes
from meetings import services as meeting_services
from tests.factories import make_user
from tests.meetings.conftest import image_upload
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf")
ALL = frozenset(NAMES)
# Where each issue lives: community number, and what happened to it.
#   Alpha   road, community 1 → ENG; the officer of ENG posts on it
#   Bravo   garbage, community 1 → HEALTH
#   Charlie drainage, community 2 → ENG (staff post on it)
#   Delta   water supply, community 2 → WATER
#   Echo    road, community 2 → ENG, worked on by the officer, then rerouted to HEALTH
#   Foxtrot road, community 1 → ENG, rerouted to HEALTH before ENG did anything
#   Golf    road, community 3 → ENG, handed back by the officer (routed to nobody)
COMMUNITY = {
    "Alpha": 1,
    "Bravo": 1,
    "Charlie": 2,
    "Delta": 2,
    "Echo": 2,
    "Foxtrot": 1,
    "Golf": 3,
}
OPEN_NOW_AT = {"Alpha": "ENG", "Bravo": "HEALTH", "Charlie": "ENG", "Delta": "WATER"}
OPEN_NOW_AT |= {"Echo": "HEALTH", "Foxtrot": "HEALTH", "Golf": None}

# The issues each visitor may read, and those whose internal notes they may read.
SCOPE = {
    "anonymous": frozenset(),
    "no_role": frozenset(),
    "admin": ALL,
    "staff": ALL,
    "kpt": ALL,
    # Routed to ENG now (Alpha, Charlie) or worked by ENG (Echo).
    "officer": frozenset({"Alpha", "Charlie", "Echo"}),
    "leader": frozenset({"Alpha", "Bravo", "Foxtrot"}),
}
INTERNAL = {
    "anonymous": frozenset(),
    "no_role": frozenset(),
    "admin": ALL,
    "staff": ALL,
    "kpt": ALL,
    # Only while the issue is routed to the officer's department: not Echo any more.
    "officer": frozenset({"Alpha", "Charlie"}),
    "leader": frozenset(),
}
ROLES = tuple(SCOPE)
FIXTURES = {
    "no_role": "no_role_user",
    "admin": "admin_user",
    "staff": "staff_user",
    "officer": "officer_user",
    "kpt": "kpt_user",
    "leader": "leader_user",
}
CATEGORY = {
    "Alpha": "road",
    "Bravo": "garbage",
    "Charlie": "drainage",
    "Delta": "water_supply",
    "Echo": "road",
    "Foxtrot": "road",
    "Golf": "road",
}


def squeeze(text: str) -> str:
    """Drop all white space: a PDF may break a marker across lines."""
    return "".join(text.split())


@pytest.fixture
def world(admin_user, staff_user, officer_user, kpt_user, leader_user, no_role_user):
    """The issues above, raised 90 days ago, noted 80 and 75 days ago, carried forward
    at a published meeting 60 days ago; returns ``{"issues": {name: Issue}, ...}``."""
    now = timezone.now()
    raised_at = now - datetime.timedelta(days=90)
    public_at = now - datetime.timedelta(days=80)
    internal_at = now - datetime.timedelta(days=75)
    issues = {}
    internal_photos = {}
    for name in NAMES:
        issue = issue_services.issue_create(
            actor=staff_user,
            community=Community.objects.get(number=COMMUNITY[name]),
            category=IssueCategory.objects.get(code=CATEGORY[name]),
            title=f"Title{name}",
            at=raised_at,
        )
        # The officer writes on the issues ENG works; staff on the others.
        author = officer_user if name in ("Alpha", "Echo") else staff_user
        issue = issue_services.issue_update(
            issue=issue, actor=author, version=None, note=f"Public{name}", at=public_at
        )
        issue = issue_services.issue_update(
            issue=issue,
            actor=author,
            version=None,
            note=f"Internal{name}",
            is_public=False,
            photos=[image_upload()] if name in ("Bravo", "Charlie", "Echo") else [],
            at=internal_at,
        )
        if name in ("Bravo", "Charlie", "Echo"):
            internal_photos[name] = issue.updates.get(note=f"Internal{name}").photos.get().pk
        issues[name] = issue
    health = Department.objects.get(code="HEALTH")
    for name in ("Echo", "Foxtrot"):
        issues[name] = issue_services.issue_route(
            issue=issues[name],
            actor=staff_user,
            version=None,
            department=health,
            follow_up_team=False,
            priority=issues[name].priority,
            note=f"Internal{name}Rerouted",
        )
    issues["Golf"] = issue_services.issue_hand_back(
        issue=issues["Golf"], actor=officer_user, version=None, reason="InternalGolfHandedBack"
    )
    for name, code in OPEN_NOW_AT.items():
        issues[name].refresh_from_db()
        assert (issues[name].department.code if issues[name].department else None) == code

    today = timezone.localdate()
    held = meeting_services.meeting_create(
        actor=staff_user, date=today, venue="ห้องประชุม", start_time=datetime.time(9, 30)
    )
    held = meeting_services.meeting_transition(meeting=held, to_status="held", actor=staff_user)
    published = meeting_services.meeting_create(
        actor=staff_user,
        date=today - datetime.timedelta(days=60),
        venue="ห้องประชุม",
        start_time=datetime.time(9, 30),
    )
    for status in ("held", "approved", "published"):
        published = meeting_services.meeting_transition(
            meeting=published,
            to_status=status,
            actor=staff_user,
            approved_at=held if status == "approved" else None,
        )
    return {"issues": issues, "meeting": published, "photos": internal_photos, "today": today}


def _login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(FIXTURES[role]))


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    if response["Content-Type"].startswith("application/pdf"):
        return pdf_text(response.content)
    return response.content.decode()


def _check(
    problems: dict,
    label: str,
    text: str,
    issues: dict,
    *,
    shown: frozenset,
    hidden: frozenset,
    notes_shown: frozenset = frozenset(),
    notes_hidden: frozenset = ALL,
) -> None:
    """Record in ``problems`` what ``text`` shows that it must not, or misses."""
    text = squeeze(text)
    leaked = sorted(
        name for name in hidden if f"Title{name}" in text or issues[name].reference in text
    )
    missing = sorted(name for name in shown if f"Title{name}" not in text)
    notes_leaked = sorted(name for name in notes_hidden if f"Internal{name}" in text)
    notes_missing = sorted(name for name in notes_shown if f"Internal{name}" not in text)
    for kind, names in (
        ("issues shown outside the scope", leaked),
        ("issues of the scope missing", missing),
        ("internal notes shown", notes_leaked),
        ("internal notes missing", notes_missing),
    ):
        if names:
            problems.setdefault(label, {})[kind] = names


def in_communities(*numbers: int) -> frozenset:
    return frozenset(name for name in NAMES if COMMUNITY[name] in numbers)


def routed_to(code: str | None) -> frozenset:
    return frozenset(name for name in NAMES if OPEN_NOW_AT[name] == code)


@pytest.mark.parametrize("role", ROLES)
def test_issue_lists_search_and_csv_show_exactly_the_roles_issues(client, request, role, world):
    _login(client, request, role)
    issues, scope = world["issues"], SCOPE[role]
    problems = {}
    for label, url, params in (
        ("list", reverse("issues:list"), {}),
        ("search", reverse("issues:list"), {"q": "Title"}),
        ("search by reference", reverse("issues:list"), {"q": issues["Delta"].reference}),
        ("csv", reverse("issues:export"), {}),
        ("csv of a search", reverse("issues:export"), {"q": "Title"}),
        ("home", reverse("home"), {}),
    ):
        response = client.get(url, params)
        if role == "anonymous":
            assert response.status_code == 302, label
            continue
        if role == "no_role":
            assert response.status_code == 403, label
            continue
        assert response.status_code == 200, label
        shown = scope if label in ("list", "search", "csv", "csv of a search") else frozenset()
        if label == "search by reference":
            shown = scope & {"Delta"}
        if label == "home" and role == "leader":
            shown = scope
        text = _body(response)
        if label == "search by reference":
            # The search form and the sort links of the headers repeat what was
            # typed; the rows must not.
            text = text[text.index("<tbody") :]
        # Lists carry public notes at most (the CSV's latest public progress).
        _check(problems, label, text, issues, shown=shown, hidden=ALL - scope)
    assert problems == {}, role


@pytest.mark.parametrize("role", ROLES)
def test_worklist_and_board_show_only_the_roles_issues(client, request, role, world):
    _login(client, request, role)
    issues, scope = world["issues"], SCOPE[role]
    problems = {}
    worklist = client.get(reverse("issues:worklist"))
    board = client.get(reverse("issues:board"))
    if role in ("admin", "staff", "officer"):
        # The worklist is the user's department's open work (staff: PALAD, admin: none).
        shown = routed_to("ENG") if role == "officer" else frozenset()
        _check(problems, "worklist", _body(worklist), issues, shown=shown, hidden=ALL - shown)
    else:
        assert worklist.status_code in (302, 403)
    if role in ("admin", "staff", "kpt"):
        _check(problems, "board", _body(board), issues, shown=scope, hidden=ALL - scope)
    else:
        assert board.status_code in (302, 403)
    assert problems == {}, role


def test_an_officer_without_a_department_has_an_empty_worklist(client, world):
    """Not linked to a department yet: no work of theirs, not every unrouted issue."""
    officer = make_user(username="new-officer", role="officer")
    client.force_login(officer)
    problems = {}
    for label, url in (
        ("worklist", reverse("issues:worklist")),
        ("list", reverse("issues:list")),
        ("csv", reverse("issues:export")),
        ("community report", reverse("reports:community", args=[3])),
    ):
        response = client.get(url)
        assert response.status_code == 200, label
        _check(problems, label, _body(response), world["issues"], shown=frozenset(), hidden=ALL)
    assert problems == {}


@pytest.mark.parametrize("role", ROLES)
def test_issue_pages_timelines_and_photos_follow_the_scope(client, request, role, world):
    _login(client, request, role)
    issues = world["issues"]
    problems = {}
    for name, issue in issues.items():
        response = client.get(reverse("issues:detail", args=[issue.pk]))
        if role == "anonymous":
            assert response.status_code == 302
            continue
        expected = 200 if name in SCOPE[role] else (403 if role == "no_role" else 404)
        if response.status_code != expected:
            problems[f"detail {name}"] = (response.status_code, expected)
            continue
        if expected == 200:
            _check(
                problems,
                f"detail {name}",
                _body(response),
                issues,
                shown=frozenset({name}),
                hidden=ALL - {name},
                notes_shown=INTERNAL[role] & {name},
                notes_hidden=ALL - INTERNAL[role],
            )
    for name, photo in world["photos"].items():
        url = reverse("issues:photo_file", args=[issues[name].pk, photo, "thumb"])
        status = client.get(url).status_code
        expected = {"anonymous": 302, "no_role": 403}.get(role)
        expected = expected or (200 if name in INTERNAL[role] else 404)
        if status != expected:
            problems[f"internal photo {name}"] = (status, expected)
    assert problems == {}, role


@pytest.mark.parametrize("role", ROLES)
def test_community_and_department_reports_follow_the_scope(client, request, role, world):
    _login(client, request, role)
    issues, scope = world["issues"], SCOPE[role]
    problems = {}
    for number in (1, 2, 3):
        for kind in ("community", "community_pdf"):
            response = client.get(reverse(f"reports:{kind}", args=[number]))
            label = f"{kind} {number}"
            if role == "anonymous":
                assert response.status_code == 302, label
                continue
            if role == "no_role" or (role == "leader" and number != 1):
                assert response.status_code == 403, label
                continue
            assert response.status_code == 200, label
            here = scope & in_communities(number)
            # The page shows the notes the role may read; the PDF is read out to
            # the community and holds public notes only.
            notes = INTERNAL[role] & here if kind == "community" else frozenset()
            _check(
                problems,
                label,
                _body(response),
                issues,
                shown=here,
                hidden=ALL - here,
                notes_shown=notes,
                notes_hidden=ALL - notes,
            )
            if kind == "community_pdf":
                missing = sorted(n for n in here if f"Public{n}" not in squeeze(_body(response)))
                if missing:
                    problems.setdefault(label, {})["public notes missing"] = missing
    for code in ("ENG", "HEALTH"):
        response = client.get(reverse("reports:department", args=[code]))
        label = f"department {code}"
        allowed = role in ("admin", "staff", "kpt") or (role == "officer" and code == "ENG")
        if not allowed:
            assert response.status_code in (302, 403), label
            continue
        shown = routed_to(code)
        _check(problems, label, _body(response), issues, shown=shown, hidden=ALL - shown)
    assert problems == {}, role


@pytest.mark.parametrize("role", ROLES)
def test_meeting_records_show_notes_only_to_those_who_may_read_them(client, request, role, world):
    """Agenda item ๓ lists every carried-forward issue (the meeting's record, which
    every role may read), with the latest note the user may read; the minutes PDF
    and the LINE text carry public notes only."""
    _login(client, request, role)
    issues, meeting = world["issues"], world["meeting"]
    problems = {}
    today = world["today"]
    pages = {
        "meeting": reverse("meetings:detail", args=[meeting.pk]),
        "minutes pdf": reverse("reports:minutes_pdf", args=[meeting.pk]),
        "line": reverse("reports:line_summary", args=[meeting.pk]),
        "monthly": reverse("reports:monthly", args=[today.year, today.month]),
        "monthly pdf": reverse("reports:monthly_pdf", args=[today.year, today.month]),
        "dashboard": reverse("reports:dashboard"),
        "community": reverse("reports:community_detail", args=[1]),
    }
    for label, url in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            assert role in ("anonymous", "no_role") or label in (
                "line",
                "monthly",
                "monthly pdf",
                "dashboard",
            ), label
            continue
        text = _body(response)
        if label in ("meeting", "minutes pdf"):
            notes = INTERNAL[role] if label == "meeting" else frozenset()
            _check(
                problems,
                label,
                text,
                issues,
                shown=ALL,
                hidden=frozenset(),
                notes_shown=notes,
                notes_hidden=ALL - notes,
            )
            # Where the internal note is hidden, the latest public one stands in.
            missing = sorted(n for n in ALL - notes if f"Public{n}" not in squeeze(text))
            if missing:
                problems.setdefault(label, {})["public notes missing"] = missing
        else:
            _check(problems, label, text, issues, shown=frozenset(), hidden=frozenset())
        if label == "meeting":
            # A link a page gives must open: only the issues the user may read.
            for name, issue in issues.items():
                linked = f'href="{issue.get_absolute_url()}"' in text
                if linked != (name in SCOPE[role]):
                    problems.setdefault(label, {}).setdefault("links", []).append(name)
    assert problems == {}, role


def test_a_leader_who_is_also_an_officer_sees_both_scopes_and_no_more(client, world):
    """Roles add up: the community's issues and the department's, internal notes only
    of the department's."""
    user = make_user(username="both", role="leader", community_number=3)
    user.groups.add(Group.objects.get(name="officer"))
    user.profile.department = Department.objects.get(code="WATER")
    user.profile.save()
    client.force_login(user)
    issues = world["issues"]
    scope = frozenset({"Golf", "Delta"})
    problems = {}
    _check(
        problems,
        "list",
        _body(client.get(reverse("issues:list"))),
        issues,
        shown=scope,
        hidden=ALL - scope,
    )
    detail = _body(client.get(reverse("issues:detail", args=[issues["Delta"].pk])))
    _check(
        problems,
        "detail",
        detail,
        issues,
        shown=frozenset({"Delta"}),
        hidden=ALL - {"Delta"},
        notes_shown=frozenset({"Delta"}),
        notes_hidden=ALL - {"Delta"},
    )
    assert problems == {}
    assert Issue.objects.count() == len(NAMES)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_the_per_issue_checks_and_the_queries_agree(request, role, world):
    """One definition: ``issue_visible`` and ``visible_issues`` answer alike, and so
    do ``sees_internal_notes`` and ``visible_updates_q``, issue by issue."""
    user = request.getfixturevalue(FIXTURES[role])
    readable = set(selectors.visible_issues(user).values_list("pk", flat=True))
    with_internal = set(
        IssueUpdate.objects.filter(is_public=False)
        .filter(selectors.visible_updates_q(user))
        .values_list("issue", flat=True)
    )
    for name, issue in world["issues"].items():
        assert issue_visible(user, issue) is (issue.pk in readable) is (name in SCOPE[role]), name
        assert sees_internal_notes(user, issue) is (issue.pk in with_internal), name
        assert (issue.pk in with_internal) is (name in INTERNAL[role]), name
