"""Managing users in the application: only the admin role may, in Thai, and an
account is deactivated, never deleted."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import Profile, Role
from accounts.permissions import user_department, user_roles
from communities.models import Community, Department
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "ทะเลหัวหิน-2569-ใหม่"


def _create_data(**changes) -> dict:
    data = {
        "username": "somsri",
        "first_name": "สมศรี",
        "last_name": "ใจงาม",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "role": "officer",
        "department": str(Department.objects.get(code="ENG").pk),
        "community": "",
    }
    data.update(changes)
    return data


def _logs_in(client, username: str, password: str) -> bool:
    """Log in through the login page, as a person does; return whether it worked."""
    client.logout()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def _users_snapshot():
    return sorted(
        User.objects.values_list("username", "first_name", "is_active", "password", "groups__name")
    ), sorted(Profile.objects.values_list("user_id", "department_id", "community_id"))


# Who may use the pages.

PAGES = {
    "list": ("accounts:user_list", False),
    "create": ("accounts:user_create", False),
    "edit": ("accounts:user_edit", True),
    "password": ("accounts:user_password", True),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "role_fixture", ["staff_user", "officer_user", "kpt_user", "leader_user", "no_role_user"]
)
def test_only_admins_may_manage_users(client, request, admin_user, page, role_fixture):
    name, needs_user = PAGES[page]
    url = reverse(name, args=[admin_user.pk] if needs_user else [])
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(url).status_code == 403
    before = _users_snapshot()
    response = client.post(url, _create_data(role="admin", department=""))
    assert response.status_code == 403
    response = client.post(reverse("accounts:user_active", args=[admin_user.pk]))
    assert response.status_code == 403
    assert _users_snapshot() == before
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_admin_sees_every_user_with_a_thai_role_name(
    client, admin_user, officer_user, leader_user
):
    client.force_login(admin_user)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "เจ้าหน้าที่ส่วนราชการ" in page  # officer
    assert "ผู้นำชุมชน" in page  # leader
    assert Department.objects.get(code="ENG").name_th in page
    assert Community.objects.get(number=1).name_th in page
    assert officer_user.username in page


def test_the_user_list_is_paged(client, admin_user):
    for index in range(55):
        User.objects.create_user(username=f"user{index:02}", password=None)
    client.force_login(admin_user)
    first = client.get(reverse("accounts:user_list")).content.decode()
    assert "user00" in first and "user54" not in first
    second = client.get(reverse("accounts:user_list"), {"page": 2}).content.decode()
    assert "user54" in second


def test_the_user_list_says_who_linked_line(client, admin_user, officer_user, leader_user):
    SocialAccount.objects.create(user=leader_user, provider="line", uid="U" + "a" * 32)
    client.force_login(admin_user)
    with translation.override("th"):
        page = client.get(reverse("accounts:user_list")).content.decode()

    def row_of(user) -> str:
        return next(row for row in page.split("<tr>") if f">{user.username}</td>" in row)

    linked, unlinked = row_of(leader_user), row_of(officer_user)
    assert "เชื่อมแล้ว" in linked and "ยังไม่เชื่อม" not in linked
    assert "ยังไม่เชื่อม" in unlinked


def test_the_user_list_makes_few_queries(client, admin_user, django_assert_max_num_queries):
    for index in range(30):
        user = make_user(f"officer{index}", role="officer", department_code="ENG")
        SocialAccount.objects.create(user=user, provider="line", uid=f"U{index:032x}")
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:user_list"))


# What the admin may do.


def test_the_admin_creates_an_officer_who_can_log_in(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("accounts:user_create"), _create_data())
    assert response.status_code == 302
    user = User.objects.get(username="somsri")
    assert (user.first_name, user.last_name, user.is_active) == ("สมศรี", "ใจงาม", True)
    assert user_roles(user) == {Role.OFFICER}
    assert user_department(user).code == "ENG"
    client.logout()
    assert _logs_in(client, "somsri", NEW_PASSWORD)


@pytest.mark.parametrize(
    "role,link",
    [
        ("secretariat", {"department": "PALAD"}),
        ("follow_up", {"department": "KPT"}),
        ("leader", {"community": 7}),
        ("admin", {}),
    ],
)
def test_the_admin_creates_a_user_of_each_role(client, admin_user, role, link):
    data = _create_data(role=role, department="")
    if "department" in link:
        data["department"] = str(Department.objects.get(code=link["department"]).pk)
    if "community" in link:
        data["community"] = str(Community.objects.get(number=link["community"]).pk)
    client.force_login(admin_user)
    assert client.post(reverse("accounts:user_create"), data).status_code == 302
    user = User.objects.get(username="somsri")
    assert user_roles(user) == {Role(role)}
    profile = Profile.objects.filter(user=user).first()
    assert (profile.department.code if profile and profile.department else None) == link.get(
        "department"
    )
    assert (profile.community.number if profile and profile.community else None) == link.get(
        "community"
    )


def test_the_admin_changes_a_role_and_its_link(client, admin_user, officer_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_edit", args=[officer_user.pk]),
        {
            "first_name": "ณรงค์",
            "last_name": "ย้ายชุมชน",
            "role": "leader",
            "department": "",
            "community": str(Community.objects.get(number=3).pk),
        },
    )
    assert response.status_code == 302
    officer_user.refresh_from_db()
    user = User.objects.get(pk=officer_user.pk)
    assert user.last_name == "ย้ายชุมชน"
    assert user_roles(user) == {Role.LEADER}
    assert (user.profile.department, user.profile.community.number) == (None, 3)


def test_the_edit_page_shows_the_current_role_and_link(client, admin_user, officer_user):
    client.force_login(admin_user)
    page = client.get(reverse("accounts:user_edit", args=[officer_user.pk])).content.decode()
    assert '<option value="officer" selected>' in page
    assert f'<option value="{officer_user.profile.department_id}" selected>' in page


def test_the_admin_resets_a_password(client, admin_user, officer_user):
    client.force_login(admin_user)
    url = reverse("accounts:user_password", args=[officer_user.pk])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    client.logout()
    assert not _logs_in(client, "officer", PASSWORD)
    assert _logs_in(client, "officer", NEW_PASSWORD)


def test_a_deactivated_user_cannot_log_in_and_can_be_reactivated(client, admin_user, officer_user):
    client.force_login(admin_user)
    url = reverse("accounts:user_active", args=[officer_user.pk])
    assert client.post(url).status_code == 302
    officer_user.refresh_from_db()
    assert not officer_user.is_active
    assert User.objects.filter(pk=officer_user.pk).exists()
    assert not _logs_in(client, "officer", PASSWORD)

    client.force_login(admin_user)
    assert client.post(url, {"active": "1"}).status_code == 302
    client.logout()
    assert _logs_in(client, "officer", PASSWORD)


def test_a_deactivated_user_loses_an_open_session(client, admin_user, officer_user):
    client.force_login(officer_user)
    assert client.get(reverse("issues:worklist")).status_code == 200
    services.user_deactivate(actor=admin_user, user=officer_user)
    response = client.get(reverse("issues:worklist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_admin_cannot_lock_themself_out(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("accounts:user_active", args=[admin_user.pk]), follow=True)
    assert "ไม่สามารถ" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    response = client.post(
        reverse("accounts:user_edit", args=[admin_user.pk]),
        {"first_name": "ผู้ดูแล", "last_name": "", "role": "secretariat", "department": ""},
    )
    assert response.status_code == 200
    assert user_roles(User.objects.get(pk=admin_user.pk)) == {Role.ADMIN}


# Bad input: a clear Thai message, nothing changed, what was typed kept.

BAD_CREATE = {
    "duplicate username": (
        {"username": "OFFICER"},
        "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว",
    ),
    "weak password": (
        {"password1": "12345678", "password2": "12345678"},
        "รหัสผ่านนี้",
    ),
    "passwords differ": ({"password2": "อีกรหัสหนึ่ง-2569"}, "รหัสผ่านทั้งสองช่องไม่ตรงกัน"),
    "officer without department": ({"department": ""}, "เลือกส่วนราชการ"),
    "leader without community": ({"role": "leader", "department": ""}, "เลือกชุมชน"),
    "leader with a department": (
        {"role": "leader", "community": "community-1"},
        "ผู้นำชุมชนไม่ผูกกับส่วนราชการ",
    ),
    "officer in the follow-up team": ({"department": "KPT"}, "ต้องสังกัดส่วนราชการของเทศบาล"),
    "username with spaces": ({"username": "สม ศรี"}, "ชื่อผู้ใช้ต้องเป็น"),
}


@pytest.mark.parametrize("case", BAD_CREATE)
def test_bad_input_to_create_a_user_is_refused_in_thai(client, admin_user, officer_user, case):
    changes, message = BAD_CREATE[case]
    changes = dict(changes)
    if changes.get("community") == "community-1":
        changes["community"] = str(Community.objects.get(number=1).pk)
    if changes.get("department") == "KPT":
        changes["department"] = str(Department.objects.get(code="KPT").pk)
    data = _create_data(first_name="ประยูร", last_name="ทดลองพิมพ์", **changes)
    client.force_login(admin_user)
    before = _users_snapshot()
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert _users_snapshot() == before
    assert 'value="ประยูร"' in page and 'value="ทดลองพิมพ์"' in page
    assert f'<option value="{data["role"]}" selected>' in page


def test_a_weak_reset_password_is_refused_in_thai(client, admin_user, officer_user):
    client.force_login(admin_user)
    before = _users_snapshot()
    response = client.post(
        reverse("accounts:user_password", args=[officer_user.pk]),
        {"password1": "officer", "password2": "officer"},
    )
    assert response.status_code == 200
    assert "รหัสผ่านนี้" in response.content.decode()
    assert _users_snapshot() == before


def test_an_edit_that_does_not_fit_the_role_keeps_what_was_typed(client, admin_user, officer_user):
    client.force_login(admin_user)
    before = _users_snapshot()
    response = client.post(
        reverse("accounts:user_edit", args=[officer_user.pk]),
        {"first_name": "ณรงค์ชัย", "last_name": "", "role": "leader", "department": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "เลือกชุมชน" in page
    assert 'value="ณรงค์ชัย"' in page
    assert _users_snapshot() == before


# The services check the actor themselves.


@pytest.mark.parametrize("role_fixture", ["staff_user", "officer_user", "kpt_user", "leader_user"])
def test_the_services_refuse_anyone_but_an_admin(request, officer_user, role_fixture):
    from django.core.exceptions import PermissionDenied

    actor = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=actor,
            username="x",
            first_name="x",
            last_name="",
            password=NEW_PASSWORD,
            role=Role.ADMIN,
        )
    for call in [
        lambda: services.user_update(
            actor=actor, user=officer_user, first_name="x", last_name="", role=Role.ADMIN
        ),
        lambda: services.user_password_reset(actor=actor, user=officer_user, password=NEW_PASSWORD),
        lambda: services.user_deactivate(actor=actor, user=officer_user),
        lambda: services.user_reactivate(actor=actor, user=officer_user),
    ]:
        with pytest.raises(PermissionDenied):
            call()
    assert not User.objects.filter(username="x").exists()
