import pytest

from accounts.models import Role
from accounts.permissions import can_change, can_view, primary_role, user_roles
from communities.models import Community, Department, Participant
from communities.permissions import can_view_contacts
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_roles_come_from_groups_and_superusers_are_admins(staff_user, no_role_user):
    assert user_roles(staff_user) == {Role.SECRETARIAT}
    assert user_roles(no_role_user) == frozenset()
    no_role_user.is_superuser = True
    no_role_user.save()
    no_role_user._roles_cache = None
    assert primary_role(no_role_user) == Role.ADMIN


def test_inactive_user_has_no_role(officer_user):
    officer_user.is_active = False
    assert user_roles(officer_user) == frozenset()


def test_user_without_role_sees_nothing(no_role_user):
    community = Community.objects.get(number=1)
    assert not can_view(no_role_user, community)
    assert not can_view(no_role_user, Department.objects.first())
    assert not can_view_contacts(no_role_user, community)


def test_municipal_roles_see_every_participant(admin_user, staff_user, officer_user, kpt_user):
    stranger = ParticipantFactory(community=Community.objects.get(number=30))
    for user in (admin_user, staff_user, officer_user, kpt_user):
        assert can_view(user, stranger)
        assert can_view_contacts(user, stranger.community)


def test_leader_sees_people_and_contacts_of_own_community_only(leader_user):
    own = ParticipantFactory(community=Community.objects.get(number=1))
    other = ParticipantFactory(community=Community.objects.get(number=2))
    assert can_view(leader_user, own)
    assert not can_view(leader_user, other)
    assert can_view_contacts(leader_user, own.community)
    assert not can_view_contacts(leader_user, other.community)
    assert can_view(leader_user, other.community)


def test_only_admins_change_reference_data(any_role_user):
    community = Community.objects.get(number=1)
    allowed = primary_role(any_role_user) == Role.ADMIN
    assert can_change(any_role_user, community) is allowed
    assert can_change(any_role_user, Department.objects.first()) is allowed


def test_secretariat_and_admin_change_participants(any_role_user):
    participant = ParticipantFactory()
    allowed = primary_role(any_role_user) in (Role.ADMIN, Role.SECRETARIAT)
    assert can_change(any_role_user, participant) is allowed


def test_participant_of_community_role_needs_a_community(reference_data):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        Participant(name="นายไม่มี ชุมชน", role="chair").full_clean()
    assert "community" in error.value.message_dict
