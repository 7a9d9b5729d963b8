"""Fixtures shared by the whole suite: reference data and one user per role.

Also the suite's speed and repeatability settings: passwords hashed cheaply, the
reference data loaded once per test database, and Hypothesis profiles (``ci`` is
derandomised, for ``make test`` and CI; ``fuzz`` explores at random, for ``make fuzz``).
"""

import os

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from hypothesis import settings as hypothesis_settings

from communities.models import Community, Department, IssueCategory, Participant, ParticipantRole
from tests.factories import make_user

# ``line_api``: LINE's HTTP API faked below the SDK, for any test that may reach LINE.
pytest_plugins = ["tests.notifications.line_http"]

# The same examples on every run and every machine, each failure printed with the
# blob that replays it; nothing read from or written to a local example database.
hypothesis_settings.register_profile(
    "ci", derandomize=True, max_examples=25, deadline=None, database=None, print_blob=True
)
# Long random exploration on demand (``make fuzz``); what it finds is kept in
# .hypothesis/ and replayed first on the next fuzz run.
hypothesis_settings.register_profile(
    "fuzz", derandomize=False, max_examples=2000, deadline=None, print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The real hasher (PBKDF2) takes a third of a second a password by design; the suite
# creates hundreds of users. tests/test_passwords.py checks the real one.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


# Background tasks run at once, in the test's own process, when they are queued (on
# commit: ``django_capture_on_commit_callbacks(execute=True)``); the tests of the
# worker switch to the database backend and run ``db_worker``.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_at_once():
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped reference data once, right after the test database is made.

    Each test's transaction is rolled back, so the rows stay for every test; a
    test that needs the tables empty asks for ``no_reference_data``."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded files of a test in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference_data(db):
    """The shipped Hua Hin reference data: 42 communities, departments, categories.

    Already in the test database (``django_db_setup``); loaded again only after a
    transactional test has flushed the tables."""
    if not Community.objects.exists():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def no_reference_data(db):
    """Empty reference tables, for tests of loading them (undone with the test)."""
    IssueCategory.objects.all().delete()
    Community.objects.all().delete()
    Department.objects.all().delete()


@pytest.fixture
def admin_user(reference_data):
    return make_user(username="admin", role="admin")


@pytest.fixture
def staff_user(reference_data):
    return make_user(username="staff", role="secretariat", department_code="PALAD")


@pytest.fixture
def officer_user(reference_data):
    return make_user(username="officer", role="officer", department_code="ENG")


@pytest.fixture
def kpt_user(reference_data):
    return make_user(username="kpt", role="follow_up", department_code="KPT")


@pytest.fixture
def leader_user(reference_data):
    return make_user(username="leader", role="leader", community_number=1)


@pytest.fixture
def no_role_user(reference_data):
    return make_user(username="nobody", role=None)


@pytest.fixture
def hundred_participants(reference_data):
    """A realistic roll: chair and committee of 42 communities plus officials."""
    people = []
    for community in Community.objects.all():
        people.append(
            Participant(
                name=f"ประธาน {community.number}", role=ParticipantRole.CHAIR, community=community
            )
        )
        people.append(
            Participant(
                name=f"กรรมการ {community.number}",
                role=ParticipantRole.COMMITTEE,
                community=community,
            )
        )
    for index in range(6):
        people.append(Participant(name=f"ผู้บริหาร {index}", role=ParticipantRole.EXECUTIVE))
    for department in Department.objects.filter(kind="department")[:10]:
        people.append(
            Participant(
                name=f"ผู้แทน {department.code}",
                role=ParticipantRole.DEPARTMENT,
                department=department,
            )
        )
    Participant.objects.bulk_create(people)
    return list(Participant.objects.order_by("pk"))


ROLE_FIXTURES = ("admin_user", "staff_user", "officer_user", "kpt_user", "leader_user")


@pytest.fixture(params=ROLE_FIXTURES)
def any_role_user(request):
    return request.getfixturevalue(request.param)
