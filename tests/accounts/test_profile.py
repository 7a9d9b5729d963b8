"""Each signed-in person's own page: who they are, the contact data kept about them,
which they correct themselves, with the privacy notice beside it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from communities.models import Participant
from tests.factories import ParticipantFactory, make_user

pytestmark = pytest.mark.django_db

ROLE_LABELS = {
    "admin_user": "ผู้ดูแลระบบ",
    "staff_user": "เจ้าหน้าที่ฝ่ายเลขานุการ",
    "officer_user": "เจ้าหน้าที่ส่วนราชการ",
    "kpt_user": "คณะทำงาน คปต.",
    "leader_user": "ผู้นำชุมชน",
}


@pytest.fixture(autouse=True)
def _thai():
    with translation.override("th"):
        yield


@pytest.fixture
def chair(leader_user):
    return ParticipantFactory(
        user=leader_user, role="chair", phone="081-234-5678", line_id="somchai"
    )


def _form(**changes) -> dict:
    data = {"email": "somchai@example.com", "phone": "0899999999", "line_id": "somchai.hh"}
    data.update(changes)
    return data


@pytest.mark.parametrize("role", [*ROLE_LABELS, "no_role_user"])
def test_every_signed_in_person_sees_their_own_page(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(reverse("profile:page")).content.decode()
    assert user.username in page
    assert ROLE_LABELS.get(role, "ไม่มีบทบาท") in page
    assert "ประกาศความเป็นส่วนตัว" in page
    assert "ผู้ควบคุมข้อมูลส่วนบุคคล" in page
    assert 'name="email"' in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("profile:page"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(reverse("profile:page"), _form()).status_code == 302


def test_a_leader_sees_their_community_phone_and_the_notice_beside_it(client, leader_user, chair):
    client.force_login(leader_user)
    page = client.get(reverse("profile:page")).content.decode()
    assert "ชุมชน" in page and leader_user.profile.community.name in page
    assert 'value="081-234-5678"' in page
    assert 'value="somchai"' in page
    phone_field = page.index('name="phone"')
    notice = page.index('id="phone-privacy"')
    line_field = page.index('name="line_id"')
    assert phone_field < notice < line_field


def test_a_leader_corrects_their_contact_data(client, leader_user, chair):
    client.force_login(leader_user)
    response = client.post(reverse("profile:page"), _form(phone="+66 89 999 9999"))

    assert response.status_code == 302
    chair.refresh_from_db()
    leader_user.refresh_from_db()
    assert chair.phone == "089-999-9999"
    assert chair.line_id == "somchai.hh"
    assert leader_user.email == "somchai@example.com"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["บันทึกข้อมูลติดต่อของท่านแล้ว"]


def test_an_empty_field_removes_the_value(client, leader_user, chair):
    client.force_login(leader_user)
    client.post(reverse("profile:page"), _form(phone="", line_id="", email=""))
    chair.refresh_from_db()
    assert (chair.phone, chair.line_id) == ("", "")


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("phone", "12345", "หมายเลขโทรศัพท์ในประเทศไทย"),
        ("phone", "๐๘๑-๒๓๔", "หมายเลขโทรศัพท์ในประเทศไทย"),
        ("email", "somchai@", "อีเมล"),
        ("line_id", "มีช่อง ว่าง", "LINE ID มี 4 ถึง 20 ตัว"),
    ],
)
def test_bad_input_changes_nothing_and_keeps_what_was_typed(
    client, leader_user, chair, field, typed, error
):
    client.force_login(leader_user)
    response = client.post(reverse("profile:page"), _form(**{field: typed}))

    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "ยังไม่ได้บันทึกสิ่งใด" in page
    assert f'value="{typed}"' in page
    chair.refresh_from_db()
    leader_user.refresh_from_db()
    assert (chair.phone, chair.line_id, leader_user.email) == ("081-234-5678", "somchai", "")


def test_an_old_value_typed_another_way_does_not_block_other_changes(client, leader_user):
    participant = ParticipantFactory(user=leader_user, role="chair", phone="032 511047 ต่อ 12")
    client.force_login(leader_user)
    response = client.post(reverse("profile:page"), _form(phone="032 511047 ต่อ 12", line_id=""))
    assert response.status_code == 302
    participant.refresh_from_db()
    leader_user.refresh_from_db()
    assert participant.phone == "032 511047 ต่อ 12"
    assert leader_user.email == "somchai@example.com"


def test_nobody_changes_another_persons_contact_data(client, leader_user, chair, reference_data):
    other = make_user("leader2", role="leader", community_number=1)
    client.force_login(other)
    response = client.post(
        reverse("profile:page"),
        _form(user=str(leader_user.pk), participant=str(chair.pk), id=str(chair.pk)),
    )
    assert response.status_code == 302
    chair.refresh_from_db()
    leader_user.refresh_from_db()
    assert (chair.phone, chair.line_id, leader_user.email) == ("081-234-5678", "somchai", "")
    other.refresh_from_db()
    assert other.email == "somchai@example.com"
    # The other leader has no participant record: nothing else was made for them.
    assert not Participant.objects.filter(user=other).exists()


def test_staff_without_a_participant_record_correct_their_email(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("profile:page")).content.decode()
    assert 'name="phone"' not in page
    assert "ไม่อยู่ในรายชื่อผู้เข้าประชุม" in page

    client.post(reverse("profile:page"), {"email": "staff@huahin.go.th", "phone": "0812345678"})
    staff_user.refresh_from_db()
    assert staff_user.email == "staff@huahin.go.th"
    assert not Participant.objects.filter(user=staff_user).exists()


def test_the_header_links_to_the_profile_page(client, officer_user):
    client.force_login(officer_user)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("profile:page")}"' in page
