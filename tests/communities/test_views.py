import pytest
from django.urls import reverse

from communities.models import Community
from tests.factories import PASSWORD, ParticipantFactory

pytestmark = pytest.mark.django_db

HOME_MARKERS = {
    "admin": "ผู้ใช้และบทบาท",
    "staff": "ท่านดูแลการประชุมประจำเดือน",
    "officer": "ปัญหาที่ส่งมายังสำนักการช่าง",
    "kpt": "คณะทำงาน คปต. ลงพื้นที่สำรวจปัญหา",
    "leader": "ติดตามปัญหาที่ชุมชนแจ้ง",
}


def test_login_page_is_thai_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert "เข้าสู่ระบบ" in html
    assert "ชื่อผู้ใช้" in html
    assert "เทศบาลนครหัวหิน" in html


def test_municipality_name_is_a_setting(client, settings):
    settings.MUNICIPALITY_NAME = "เทศบาลเมืองชะอำ"
    html = client.get(reverse("login")).content.decode()
    assert "เทศบาลเมืองชะอำ" in html
    assert "หัวหิน" not in html


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Hua Hin City Municipality" in html
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert "เข้าสู่ระบบ" in client.get(reverse("login")).content.decode()


def test_login_with_good_and_bad_password(client, staff_user):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_logout_is_a_post(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("url_name", ["home", "communities:list"])
def test_anonymous_users_are_sent_to_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_each_role_lands_on_its_own_home_page(client, any_role_user):
    client.force_login(any_role_user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert HOME_MARKERS[any_role_user.username] in html
    for username, marker in HOME_MARKERS.items():
        if username != any_role_user.username:
            assert marker not in html


def test_officer_home_lists_the_categories_routed_to_the_department(client, officer_user):
    client.force_login(officer_user)
    html = client.get(reverse("home")).content.decode()
    assert "ถนน ทางเท้า" in html
    assert "น้ำประปา" not in html


def test_leader_home_shows_own_community(client, leader_user):
    client.force_login(leader_user)
    html = client.get(reverse("home")).content.decode()
    assert Community.objects.get(number=1).name_th in html


def test_user_without_role_sees_nothing_private(client, no_role_user):
    ParticipantFactory(name="นายลับ เฉพาะ", phone="081-234-5678")
    client.force_login(no_role_user)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "บัญชีของท่านยังไม่ได้รับบทบาท" in response.content.decode()
    for url in (reverse("communities:list"), reverse("reports:community_detail", args=[1])):
        response = client.get(url)
        assert response.status_code == 403
        assert "นายลับ" not in response.content.decode()
        assert "081-234-5678" not in response.content.decode()


def test_community_list_shows_all_42_with_a_fixed_number_of_queries(
    client, staff_user, django_assert_max_num_queries
):
    for number in range(1, 43):
        ParticipantFactory(role="chair", community=Community.objects.get(number=number))
    client.force_login(staff_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("communities:list"))
    assert response.status_code == 200
    assert len(response.context["communities"]) == 42


def test_community_search_finds_thai_substrings(client, staff_user):
    client.force_login(staff_user)
    community = Community.objects.get(number=35)
    fragment = community.name_th.removeprefix("ชุมชน")[2:6]
    response = client.get(reverse("communities:list"), {"q": fragment})
    numbers = [c.number for c in response.context["communities"]]
    assert 35 in numbers
    assert len(numbers) < 42
    response = client.get(reverse("communities:list"), {"q": "35"})
    assert [c.number for c in response.context["communities"]] == [35]


def test_admin_site_lists_communities_for_admins_only(client, admin_user, staff_user):
    url = reverse("admin:communities_community_changelist")
    client.force_login(staff_user)
    assert client.get(url).status_code == 302
    client.force_login(admin_user)
    response = client.get(url, {"q": "ตะเกียบ"})
    assert response.status_code == 200
    assert "ตะเกียบ" in response.content.decode()
