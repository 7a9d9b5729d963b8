"""Each page that shows someone other people's phone, LINE ID or e-mail leaves one
row saying who read whose, when and where; the admins list them."""

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import ContactAccess
from communities.models import Community
from tests.factories import ParticipantFactory, make_user

pytestmark = pytest.mark.django_db

ROLES = ("admin_user", "staff_user", "officer_user", "kpt_user", "leader_user")


@pytest.fixture
def committee(leader_user):
    """Community 1's chair (the leader's own record), two members with a phone or a
    LINE ID and one with neither."""
    community = Community.objects.get(number=1)
    return {
        "own": ParticipantFactory(
            user=leader_user, role="chair", community=community, phone="081-111-1111"
        ),
        "phone": ParticipantFactory(community=community, phone="082-222-2222"),
        "line": ParticipantFactory(community=community, line_id="member.line"),
        "none": ParticipantFactory(community=community),
    }


def _page(number: int = 1) -> str:
    return reverse("reports:community_detail", args=[number])


@pytest.mark.parametrize("role", ROLES)
def test_a_community_page_with_contacts_leaves_one_row_naming_whose(
    client, request, role, committee
):
    reader = request.getfixturevalue(role)
    client.force_login(reader)
    page = client.get(_page()).content.decode()
    assert "082-222-2222" in page

    [access] = ContactAccess.objects.all()
    assert access.reader == reader
    assert access.page == _page()
    assert access.community.number == 1
    shown = {committee["phone"], committee["line"]}
    if role != "leader_user":
        shown.add(committee["own"])  # the chair's phone, read by someone else
    assert set(access.people.all()) == shown
    assert access.read_at is not None


def test_a_page_without_contacts_for_the_reader_leaves_no_row(client, reference_data, committee):
    other_leader = make_user("leader7", role="leader", community_number=7)
    client.force_login(other_leader)
    page = client.get(_page()).content.decode()
    assert "082-222-2222" not in page
    assert not ContactAccess.objects.exists()


def test_a_page_of_people_with_nothing_to_show_leaves_no_row(client, staff_user):
    ParticipantFactory(community=Community.objects.get(number=3))
    client.force_login(staff_user)
    client.get(_page(3))
    assert not ContactAccess.objects.exists()


def test_the_leaders_home_page_records_the_committee_it_shows(client, leader_user, committee):
    client.force_login(leader_user)
    page = client.get(reverse("home")).content.decode()
    assert "082-222-2222" in page

    [access] = ContactAccess.objects.all()
    assert access.reader == leader_user
    assert access.page == reverse("home")
    assert set(access.people.all()) == {committee["phone"], committee["line"]}


def test_each_view_is_one_row_and_the_queries_do_not_grow_with_the_people(
    client, staff_user, reference_data
):
    community = Community.objects.get(number=2)

    def queries() -> int:
        client.get(_page(2))  # the first request fills the caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_page(2)).status_code == 200
        return len(captured)

    client.force_login(staff_user)
    for index in range(2):
        ParticipantFactory(community=community, phone=f"081-000-000{index}")
    few = queries()
    for index in range(30):
        ParticipantFactory(community=community, phone=f"089-000-{index:04d}")
    many = queries()

    assert few == many
    assert ContactAccess.objects.count() == 4
    assert ContactAccess.objects.order_by("-pk").first().people.count() == 32


def test_the_admin_pages_of_a_participant_and_a_user_are_recorded(
    client, admin_user, leader_user, committee
):
    leader_user.email = "leader@example.com"
    leader_user.save(update_fields=["email"])
    client.force_login(admin_user)

    participant_page = reverse("admin:communities_participant_change", args=[committee["phone"].pk])
    assert client.get(participant_page).status_code == 200
    user_page = reverse("admin:auth_user_change", args=[leader_user.pk])
    assert client.get(user_page).status_code == 200

    by_page = {access.page: access for access in ContactAccess.objects.all()}
    assert list(by_page[participant_page].people.all()) == [committee["phone"]]
    assert list(by_page[user_page].accounts.all()) == [leader_user]


def test_admins_list_the_accesses_read_only(client, admin_user, staff_user, committee):
    client.force_login(staff_user)
    client.get(_page())
    client.force_login(admin_user)

    with translation.override("th"):
        page = client.get(reverse("admin:accounts_contactaccess_changelist")).content.decode()
    assert "บันทึกการเปิดดูข้อมูลติดต่อ" in page
    assert staff_user.username in page
    assert committee["phone"].name in page
    model_admin = site._registry[ContactAccess]
    request = client.get("/").wsgi_request
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_other_roles_cannot_list_the_accesses(client, staff_user, leader_user):
    for user in (staff_user, leader_user):
        client.force_login(user)
        response = client.get(reverse("admin:accounts_contactaccess_changelist"))
        assert response.status_code == 302
