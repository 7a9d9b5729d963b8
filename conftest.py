"""Fixtures shared by the whole suite: reference data and one user per role."""

import pytest
from django.core.management import call_command

from tests.factories import make_user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded files of a test in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference_data(db):
    """The shipped Hua Hin reference data: 42 communities, departments, categories."""
    call_command("load_reference_data", verbosity=0)


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


ROLE_FIXTURES = ("admin_user", "staff_user", "officer_user", "kpt_user", "leader_user")


@pytest.fixture(params=ROLE_FIXTURES)
def any_role_user(request):
    return request.getfixturevalue(request.param)
