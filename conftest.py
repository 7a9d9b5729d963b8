"""Fixtures shared by the whole suite: reference data and one user per role."""

import pytest
from django.core.management import call_command

from communities.models import Community, Department, Participant, ParticipantRole
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
