"""Every page of the project, for every role and for anonymous visitors.

The URL patterns come from the resolver, so a page added without a row here fails
``test_every_url_pattern_is_in_the_table``: no page can escape the matrix."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from communities.models import Community, IssueCategory
from core.thaidates import fiscal_year
from issues import services as issue_services
from meetings import services as meeting_services
from tests.factories import ParticipantFactory
from tests.meetings.conftest import image_upload

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "no_role", "admin", "staff", "officer", "kpt", "leader")
FIXTURES = {
    "no_role": "no_role_user",
    "admin": "admin_user",
    "staff": "staff_user",
    "officer": "officer_user",
    "kpt": "kpt_user",
    "leader": "leader_user",
}
# Namespaces checked elsewhere: Django's admin site has its own permission checks.
SKIPPED_NAMESPACES = {"admin"}


def expect(default: int, *, anonymous: int = 302, no_role: int = 403, **roles: int) -> dict:
    """Expected status per visitor: ``default`` for every role not named."""
    table = {"anonymous": anonymous, "no_role": no_role}
    for role in ROLES[2:]:
        table[role] = roles.get(role, default)
    return table


EVERYONE = expect(200)
SECRETARIAT = expect(403, admin=200, staff=200)
ADMIN = expect(403, admin=200)
POST_ONLY = expect(405)
PUBLIC = expect(200, anonymous=200, no_role=200)

# url name -> (arguments, expected status of a GET by each visitor)
TABLE = {
    "home": ((), EVERYONE),
    "healthz": ((), PUBLIC),
    "favicon": ((), PUBLIC),
    "login": ((), PUBLIC),
    "logout": ((), expect(405, anonymous=405, no_role=405)),
    "password_change": ((), expect(200, no_role=200)),
    "password_change_done": ((), expect(200, no_role=200)),
    "password_reset": ((), PUBLIC),
    "password_reset_done": ((), PUBLIC),
    "password_reset_confirm": (("MQ", "set-password"), PUBLIC),
    "password_reset_complete": ((), PUBLIC),
    "set_language": ((), expect(302, anonymous=302, no_role=302)),
    "reports:dashboard": ((), expect(403, admin=200, staff=200, kpt=200)),
    # With OPEN_DATA_AUDIENCE at its default, "staff" (tests/reports/test_open_data.py
    # checks the other audiences).
    "reports:open_data": ((), expect(403, admin=200, staff=200, kpt=200)),
    "reports:open_data_download": (
        ("fiscal_year", "statistics", "csv"),
        expect(403, admin=200, staff=200, kpt=200),
    ),
    "communities:list": ((), EVERYONE),
    "reports:community_detail": (("community",), EVERYONE),
    "meetings:list": ((), EVERYONE),
    "meetings:create": ((), SECRETARIAT),
    "meetings:detail": (("published",), EVERYONE),
    "meetings:edit": (("held",), SECRETARIAT),
    "meetings:status": (("held",), POST_ONLY),
    "meetings:minutes": (("held",), SECRETARIAT),
    "meetings:sub_item_add": (("held",), POST_ONLY),
    "meetings:attendance": (("held",), SECRETARIAT),
    "meetings:attendance_guest": (("held",), POST_ONLY),
    "meetings:photos": (("published",), EVERYONE),
    "meetings:photo_captions": (("published",), POST_ONLY),
    "meetings:photo_file": (("published", "meeting_photo", "thumb"), EVERYONE),
    "reports:minutes_pdf": (("published",), EVERYONE),
    "reports:line_summary": (("published",), SECRETARIAT),
    "meetings:check_in_code": (("held",), SECRETARIAT),
    "meetings:check_in": (("held", "token"), EVERYONE),
    "issues:list": ((), EVERYONE),
    "issues:create": ((), SECRETARIAT),
    "issues:submit": ((), expect(403, leader=200)),
    "issues:worklist": ((), expect(403, admin=200, staff=200, officer=200)),
    "issues:board": ((), expect(403, admin=200, staff=200, kpt=200)),
    "issues:export": ((), EVERYONE),
    "issues:bulk_route": ((), POST_ONLY),
    "issues:bulk_print": ((), POST_ONLY),
    "issues:detail": (("issue",), EVERYONE),
    "issues:update": (("issue",), expect(200, leader=403)),
    "issues:survey": (("issue",), expect(200, officer=403, leader=403)),
    "issues:route": (("issue",), POST_ONLY),
    "issues:accept": (("issue",), POST_ONLY),
    "issues:hand_back": (("issue",), POST_ONLY),
    "issues:confirm": (("issue",), POST_ONLY),
    "issues:confirm_fix": (("issue",), POST_ONLY),
    "issues:dispute_fix": (("issue",), POST_ONLY),
    "issues:photo_file": (("issue", "issue_photo", "thumb"), EVERYONE),
    # The dashboard's readers read the monthly summaries it links to.
    "reports:monthly": (("year", "month"), expect(403, admin=200, staff=200, kpt=200)),
    "reports:monthly_pdf": (("year", "month"), expect(403, admin=200, staff=200, kpt=200)),
    "reports:community": (("community",), EVERYONE),
    "reports:community_pdf": (("community",), EVERYONE),
    "reports:department": (("department",), expect(200, leader=403)),
    "notifications:preferences": ((), EVERYONE),
    "notifications:line_usage": ((), ADMIN),
    # LINE posts here, signed; nobody opens it.
    "notifications:line_webhook": ((), expect(405, anonymous=405, no_role=405)),
    "accounts:user_list": ((), ADMIN),
    "accounts:user_create": ((), ADMIN),
    "accounts:user_edit": (("user",), ADMIN),
    "accounts:user_password": (("user",), ADMIN),
    "accounts:user_active": (("user",), expect(403, admin=405)),
    "profile:page": ((), expect(200, no_role=200)),
    "profile:line_unlink": ((), expect(405, no_role=405)),
    # Without LINE Login set up, both say so and send the visitor back.
    "line_login": ((), expect(302, no_role=302)),
    "line_callback": ((), expect(302, no_role=302)),
}


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_is_in_the_table():
    names = set(_names(get_resolver().url_patterns))
    assert names - set(TABLE) == set(), "pages missing from the permission matrix"
    assert set(TABLE) - names == set(), "rows for pages that no longer exist"


@pytest.fixture
def objects(staff_user, leader_user, officer_user):
    """One object of each kind the URLs name: a meeting of each visibility, an issue
    of the officer's department in the leader's community, photos."""
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
    [photo] = meeting_services.photos_add(
        meeting=published, actor=staff_user, files=[image_upload()]
    )
    for status in ("held", "approved", "published"):
        published = meeting_services.meeting_transition(
            meeting=published,
            to_status=status,
            actor=staff_user,
            approved_at=held if status == "approved" else None,
        )
    issue = issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="road"),
        title="ถนนชำรุด",
    )
    issue = issue_services.issue_update(
        issue=issue, actor=officer_user, version=None, note="เริ่มซ่อม", photos=[image_upload()]
    )
    ParticipantFactory(user=leader_user, role="chair")
    return {
        "community": 1,
        "department": "ENG",
        "published": published.pk,
        "held": held.pk,
        "token": held.check_in_token,
        "meeting_photo": photo.pk,
        "issue": issue.pk,
        "issue_photo": issue.updates.get(kind="progress").photos.get().pk,
        "thumb": "thumb",
        "year": today.year,
        "month": today.month,
        "fiscal_year": fiscal_year(today),
        "statistics": "statistics",
        "csv": "csv",
        "MQ": "MQ",
        "set-password": "set-password",
        "user": officer_user.pk,
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_gets_the_expected_answer_from_every_page(client, request, role, objects):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(FIXTURES[role]))
    wrong = {}
    for name, (arguments, expected) in TABLE.items():
        url = reverse(name, args=[objects[argument] for argument in arguments])
        status = client.get(url).status_code
        if status != expected[role]:
            wrong[name] = (status, expected[role])
    assert wrong == {}, f"{role}: url name -> (got, expected)"
