"""A user's profile is read once a request, with its department and community."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Profile
from accounts.permissions import profile_of, user_community, user_department
from communities.models import Community, Department

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request reads them."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_profile_comes_with_its_department_and_community_in_one_query(
    leader_user, officer_user, django_assert_num_queries
):
    Profile.objects.filter(user=officer_user).update(community=Community.objects.get(number=2))
    officer = _fresh(officer_user)
    with django_assert_num_queries(1):
        assert user_department(officer).code == "ENG"
        assert user_community(officer).number == 2
        assert profile_of(officer).user is officer
    leader = _fresh(leader_user)
    with django_assert_num_queries(1):
        assert user_community(leader).number == 1
        assert user_department(leader) is None


def test_a_user_without_a_profile_is_asked_for_once(admin_user, django_assert_num_queries):
    Profile.objects.filter(user=admin_user).delete()
    admin = _fresh(admin_user)
    with django_assert_num_queries(1):
        assert profile_of(admin) is None
        assert user_community(admin) is None
        assert user_department(admin) is None


def test_the_next_request_reads_a_changed_profile(client, officer_user):
    """The profile is kept with the request's user only: a department changed by an
    admin is the one the officer's next page shows."""
    client.force_login(officer_user)
    assert client.get(reverse("home")).context["department"].code == "ENG"
    other = Department.objects.filter(kind=Department.Kind.DEPARTMENT).exclude(code="ENG").first()
    Profile.objects.filter(user=officer_user).update(department=other)
    assert client.get(reverse("home")).context["department"] == other
