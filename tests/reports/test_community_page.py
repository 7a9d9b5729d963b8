"""A community's page: its people, with contacts only for those who may see them."""

import pytest
from django.urls import reverse

from communities.models import Community
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_community_detail_contacts_only_for_municipal_staff_and_own_leader(
    client, staff_user, leader_user
):
    ParticipantFactory(
        name="นางสาวติดต่อ ได้", community=Community.objects.get(number=2), phone="089-000-1111"
    )
    ParticipantFactory(community=Community.objects.get(number=1), phone="086-222-3333")
    url_other = reverse("reports:community_detail", args=[2])
    url_own = reverse("reports:community_detail", args=[1])

    client.force_login(staff_user)
    assert "089-000-1111" in client.get(url_other).content.decode()

    client.force_login(leader_user)
    other = client.get(url_other).content.decode()
    assert "นางสาวติดต่อ ได้" in other
    assert "089-000-1111" not in other
    assert "086-222-3333" in client.get(url_own).content.decode()


def test_unknown_community_is_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("reports:community_detail", args=[99])).status_code == 404
