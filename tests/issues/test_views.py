import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Department, IssueCategory
from issues import services
from issues.models import Issue, Status
from meetings import services as meeting_services
from tests.issues.conftest import bulk_issues
from tests.meetings.conftest import image_upload

pytestmark = pytest.mark.django_db

ALL_ROLES = ["admin_user", "staff_user", "officer_user", "kpt_user", "leader_user"]


def _login(client, request, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    return user


@pytest.fixture
def eng_issue(make_issue):
    """Routed to สำนักการช่าง (the demo officer's department), in community 1 (the leader's)."""
    return make_issue(title="ถนนชำรุดหน้าศาลาชุมชน")


@pytest.fixture
def health_issue(make_issue):
    """Routed to public health, in community 2: neither the officer's nor the leader's."""
    return make_issue(category_code="garbage", community_number=2, title="ขยะตกค้างริมคลอง")


# Reading -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "sees_eng", "sees_health"),
    [
        ("admin_user", True, True),
        ("staff_user", True, True),
        ("kpt_user", True, True),
        ("officer_user", True, False),
        ("leader_user", True, False),
    ],
)
def test_each_role_reads_only_its_issues(
    client, request, fixture, sees_eng, sees_health, eng_issue, health_issue
):
    _login(client, request, fixture)
    listed = set(client.get(reverse("issues:list")).context["page"].object_list)
    assert (eng_issue in listed, health_issue in listed) == (sees_eng, sees_health)
    for issue, seen in ((eng_issue, sees_eng), (health_issue, sees_health)):
        response = client.get(reverse("issues:detail", args=[issue.pk]))
        assert response.status_code == (200 if seen else 404)


def test_no_role_user_sees_no_issue(client, no_role_user, eng_issue):
    client.force_login(no_role_user)
    assert client.get(reverse("issues:list")).status_code == 403
    assert client.get(reverse("issues:detail", args=[eng_issue.pk])).status_code == 403


def test_internal_notes_and_their_photos_are_hidden_from_leaders(
    client, officer_user, leader_user, eng_issue
):
    services.issue_update(
        issue=eng_issue,
        actor=officer_user,
        version=None,
        note="งบประมาณไม่พอ ต้องขอโอน",
        is_public=False,
        photos=[image_upload()],
    )
    services.issue_update(
        issue=eng_issue, actor=officer_user, version=None, note="ผู้รับจ้างเข้าซ่อมสัปดาห์หน้า"
    )
    photo = eng_issue.updates.get(is_public=False).photos.get()
    client.force_login(leader_user)
    html = client.get(reverse("issues:detail", args=[eng_issue.pk])).content.decode()
    assert "ผู้รับจ้างเข้าซ่อมสัปดาห์หน้า" in html
    assert "งบประมาณไม่พอ" not in html
    url = reverse("issues:photo_file", args=[eng_issue.pk, photo.pk, "thumb"])
    assert client.get(url).status_code == 404

    client.force_login(officer_user)
    assert (
        "งบประมาณไม่พอ" in client.get(reverse("issues:detail", args=[eng_issue.pk])).content.decode()
    )
    assert client.get(url).status_code == 200


def test_list_filters_and_thai_search(client, staff_user, eng_issue, health_issue):
    client.force_login(staff_user)
    page = client.get(reverse("issues:list"), {"q": "ตกค้าง"}).context["page"]
    assert list(page.object_list) == [health_issue]
    page = client.get(reverse("issues:list"), {"department": eng_issue.department.pk}).context[
        "page"
    ]
    assert list(page.object_list) == [eng_issue]
    page = client.get(
        reverse("issues:list"), {"status": ["forwarded"], "community": eng_issue.community.pk}
    ).context["page"]
    assert list(page.object_list) == [eng_issue]


def test_overdue_filter(client, staff_user, eng_issue, health_issue):
    Issue.objects.filter(pk=eng_issue.pk).update(
        target_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(staff_user)
    response = client.get(reverse("issues:list"), {"overdue": "on"})
    assert list(response.context["page"].object_list) == [eng_issue]
    assert "เกินกำหนด" in response.content.decode()


def test_bad_filter_values_do_not_fail(client, staff_user, eng_issue):
    client.force_login(staff_user)
    response = client.get(
        reverse("issues:list"), {"community": "abc", "fiscal_year": "x", "page": "999"}
    )
    assert response.status_code == 200


# Writing: every write path against every role --------------------------------------


def _write_posts(issue, meeting_pk, version):
    return {
        "update": {"version": version, "to_status": "in_progress", "note": "ผ่าน"},
        "survey": {
            "version": version,
            "survey_date": timezone.localdate().isoformat(),
            "team_members": "ทีม",
            "findings": "พบ",
        },
        "route": {
            "version": version,
            "department": Department.objects.get(code="PALAD").pk,
            "priority": 4,
        },
        "hand_back": {"version": version, "reason": "ไม่ใช่งานเรา"},
        "confirm": {"version": version, "meeting": meeting_pk},
    }


EXPECTED_WRITE = {
    # path: roles that may use it on their own department's forwarded issue
    "update": {"admin_user", "staff_user", "officer_user", "kpt_user"},
    "survey": {"admin_user", "staff_user", "kpt_user"},
    "route": {"admin_user", "staff_user", "kpt_user"},
    "hand_back": {"officer_user"},
    "confirm": set(),  # only for issues awaiting a meeting
}


@pytest.mark.parametrize("fixture", ALL_ROLES)
@pytest.mark.parametrize("path", list(EXPECTED_WRITE))
def test_write_paths_by_role(client, request, fixture, path, eng_issue, staff_user):
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้อง"
    )
    _login(client, request, fixture)
    history = eng_issue.updates.count()
    data = _write_posts(eng_issue, meeting.pk, eng_issue.version)[path]

    response = client.post(reverse(f"issues:{path}", args=[eng_issue.pk]), data)

    changed = eng_issue.updates.count() > history
    if fixture in EXPECTED_WRITE[path]:
        assert response.status_code == 302, response.content.decode()[:300]
        assert changed
    else:
        assert response.status_code in (403, 302)
        assert not changed


@pytest.mark.parametrize("path", list(EXPECTED_WRITE))
def test_an_officer_of_another_department_gets_404_and_nothing_changes(
    client, officer_user, health_issue, path, staff_user
):
    client.force_login(officer_user)
    before = (health_issue.status, health_issue.updates.count(), health_issue.department_id)
    data = _write_posts(health_issue, 0, health_issue.version)[path]
    response = client.post(reverse(f"issues:{path}", args=[health_issue.pk]), data)
    assert response.status_code == 404
    health_issue.refresh_from_db()
    assert (health_issue.status, health_issue.updates.count(), health_issue.department_id) == before


def test_officer_posts_progress_with_photos(client, officer_user, eng_issue):
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:update", args=[eng_issue.pk]),
        {
            "version": eng_issue.version,
            "to_status": "in_progress",
            "note": "เริ่มซ่อมผิวถนน",
            "is_public": "on",
            "target_date": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            "target_reason": "ผิวถนนเสียหายไม่มาก ซ่อมได้เร็วกว่าเป้าหมาย",
            "photos": [image_upload("a.jpg"), image_upload("b.jpg")],
        },
    )
    assert response.status_code == 302
    eng_issue.refresh_from_db()
    assert eng_issue.status == "in_progress"
    assert eng_issue.updates.order_by("-pk").first().photos.count() == 2


def test_a_stale_form_gets_a_clear_thai_refusal(client, officer_user, staff_user, eng_issue):
    seen = eng_issue.version
    services.issue_update(issue=eng_issue, actor=staff_user, version=seen, note="ประสานแล้ว")
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:update", args=[eng_issue.pk]),
        {"version": seen, "to_status": "in_progress", "note": "รับเรื่อง"},
    )
    assert response.status_code == 400
    assert "มีผู้อื่นปรับปรุงเรื่องนี้" in response.content.decode()
    eng_issue.refresh_from_db()
    assert eng_issue.status == "forwarded"


def test_a_past_target_date_is_refused(client, officer_user, eng_issue):
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:update", args=[eng_issue.pk]),
        {"version": eng_issue.version, "note": "x", "target_date": "2020-01-01"},
    )
    assert response.status_code == 400
    assert "กำหนดแล้วเสร็จต้องไม่เป็นวันที่ผ่านมาแล้ว" in response.content.decode()


def test_a_status_the_role_may_not_set_is_refused(client, officer_user, make_issue):
    issue = make_issue(Status.RESOLVED)
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:update", args=[issue.pk]),
        {"version": issue.version, "to_status": "closed", "note": "ปิดเอง"},
    )
    assert response.status_code == 400
    issue.refresh_from_db()
    assert issue.status == "resolved"


def test_staff_log_an_issue_from_the_meeting_page(client, staff_user):
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้อง"
    )
    client.force_login(staff_user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "บันทึกปัญหาที่แจ้งในที่ประชุม" in page
    response = client.post(
        f"{reverse('issues:create')}?meeting={meeting.pk}",
        {
            "meeting": meeting.pk,
            "return_to_meeting": "1",
            "priority": 2,
            "community": Community.objects.get(number=5).pk,
            "category": IssueCategory.objects.get(code="street_light").pk,
            "title": "ไฟดับซอย 3",
        },
    )
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    issue = Issue.objects.get()
    assert (issue.meeting, issue.department.code, issue.status) == (meeting, "ENG", "forwarded")
    assert "ไฟดับซอย 3" in client.get(response.url).content.decode()


def test_leader_submits_for_their_own_community_only(client, leader_user):
    client.force_login(leader_user)
    response = client.post(
        reverse("issues:submit"),
        {
            "category": IssueCategory.objects.get(code="trees").pk,
            "title": "กิ่งไม้พาดสายไฟ",
            "description": "หน้าบ้านเลขที่ 12",
            "community": Community.objects.get(number=9).pk,
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert issue.community.number == 1
    assert issue.awaiting_meeting


def test_leader_submission_needs_a_description(client, leader_user):
    client.force_login(leader_user)
    response = client.post(
        reverse("issues:submit"),
        {"category": IssueCategory.objects.get(code="trees").pk, "title": "กิ่งไม้"},
    )
    assert response.status_code == 400
    assert "กรุณากรอก “รายละเอียด”" in response.content.decode()
    assert Issue.objects.count() == 0


@pytest.mark.parametrize("fixture", ["admin_user", "staff_user", "officer_user", "kpt_user"])
def test_only_leaders_submit(client, request, fixture):
    _login(client, request, fixture)
    assert client.get(reverse("issues:submit")).status_code == 403


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("worklist", {"admin_user", "staff_user", "officer_user"}),
        ("board", {"admin_user", "staff_user", "kpt_user"}),
        ("create", {"admin_user", "staff_user"}),
    ],
)
@pytest.mark.parametrize("fixture", ALL_ROLES)
def test_work_pages_by_role(client, request, fixture, name, allowed):
    _login(client, request, fixture)
    response = client.get(reverse(f"issues:{name}"))
    assert response.status_code == (200 if fixture in allowed else 403)


def test_worklist_puts_overdue_first_then_oldest(client, officer_user, make_issue):
    today = timezone.localdate()
    old = make_issue(at=timezone.now() - datetime.timedelta(days=40), title="เก่า")
    new = make_issue(title="ใหม่")
    late = make_issue(at=timezone.now() - datetime.timedelta(days=10), title="เกินกำหนด")
    Issue.objects.filter(pk=late.pk).update(target_date=today - datetime.timedelta(days=1))
    make_issue(category_code="garbage", title="ไม่ใช่ของกองช่าง")
    client.force_login(officer_user)
    sections = client.get(reverse("issues:worklist")).context["sections"]
    issues = [issue for section in sections for issue in section.issues]
    assert [issue.title for issue in issues] == [late.title, old.title, new.title]


# Scale --------------------------------------------------------------------------------


@pytest.fixture
def five_hundred_issues(staff_user):
    return bulk_issues(500, staff_user=staff_user)


def test_pages_keep_a_fixed_number_of_queries_with_500_issues(
    client, staff_user, officer_user, five_hundred_issues, django_assert_max_num_queries
):
    client.force_login(staff_user)
    # Staff's list also offers the departments to send the ticked issues to. It reads
    # in phases (a capped count, the overdue count, the page's ids, then its rows),
    # each one query whatever the number of issues.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("issues:list"))
    assert response.context["page"].paginator.count == 500
    with django_assert_max_num_queries(11):
        client.get(reverse("issues:detail", args=[five_hundred_issues[0].pk]))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("issues:board"))
    client.force_login(officer_user)
    # The worklist counts its sections in one query and reads their pages in another.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("issues:worklist"))
    assert response.context["open_count"] > 20


@pytest.mark.parametrize("fixture", ["officer_user", "kpt_user", "leader_user"])
def test_only_staff_may_post_a_new_issue(client, request, fixture):
    _login(client, request, fixture)
    response = client.post(
        reverse("issues:create"),
        {
            "community": Community.objects.get(number=1).pk,
            "category": IssueCategory.objects.get(code="road").pk,
            "title": "ถนนชำรุด",
            "priority": 2,
        },
    )
    assert response.status_code == 403
    assert Issue.objects.count() == 0


def test_staff_confirm_a_leader_submission_from_its_page(client, staff_user, received_issue):
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้อง"
    )
    client.force_login(staff_user)
    home = client.get(reverse("home")).content.decode()
    assert received_issue.title in home
    response = client.post(
        reverse("issues:confirm", args=[received_issue.pk]),
        {"version": received_issue.version, "meeting": meeting.pk},
    )
    assert response.status_code == 302
    received_issue.refresh_from_db()
    assert (received_issue.meeting, received_issue.status) == (meeting, "forwarded")
    assert received_issue.title not in client.get(reverse("home")).content.decode()


def test_leader_home_lists_the_communitys_open_issues(client, leader_user, eng_issue, health_issue):
    client.force_login(leader_user)
    html = client.get(reverse("home")).content.decode()
    assert eng_issue.title in html
    assert health_issue.title not in html


# Refusals keep what was typed ------------------------------------------------------

STALE = "มีผู้อื่นปรับปรุงเรื่องนี้"
NO_VERSION = "แบบฟอร์มไม่ได้ระบุว่าเปิดจากข้อมูลเรื่องฉบับใด"


def _hidden_version(page: str, version: int) -> bool:
    return f'name="version" value="{version}"' in page


def test_a_stale_routing_keeps_the_typed_note(client, staff_user, eng_issue):
    seen = eng_issue.version
    services.issue_update(issue=eng_issue, actor=staff_user, version=seen, note="ประสานแล้ว")
    eng_issue.refresh_from_db()
    client.force_login(staff_user)
    response = client.post(
        reverse("issues:route", args=[eng_issue.pk]),
        {
            "version": seen,
            "department": Department.objects.get(code="PALAD").pk,
            "priority": 4,
            "note": "ส่งให้สำนักปลัดประสานเจ้าของที่ดิน",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert STALE in page
    assert "ส่งให้สำนักปลัดประสานเจ้าของที่ดิน" in page
    # Sent again from this page, it is the version now shown.
    assert _hidden_version(page, eng_issue.version)
    eng_issue.refresh_from_db()
    assert eng_issue.department.code == "ENG"


def test_a_stale_hand_back_keeps_the_typed_reason(client, officer_user, staff_user, eng_issue):
    seen = eng_issue.version
    services.issue_update(issue=eng_issue, actor=staff_user, version=seen, note="ประสานแล้ว")
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:hand_back", args=[eng_issue.pk]),
        {"version": seen, "reason": "ถนนเส้นนี้เป็นของกรมทางหลวง"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert STALE in page
    assert "ถนนเส้นนี้เป็นของกรมทางหลวง" in page
    eng_issue.refresh_from_db()
    assert eng_issue.department.code == "ENG"
    assert eng_issue.status == Status.FORWARDED


@pytest.mark.parametrize("version", ["abc", "", "1.5", None])
def test_a_tampered_version_is_told_and_keeps_the_note(client, officer_user, eng_issue, version):
    client.force_login(officer_user)
    data = {"to_status": "in_progress", "note": "เริ่มซ่อมผิวถนนแล้ว"}
    if version is not None:
        data["version"] = version
    updates = eng_issue.updates.count()
    response = client.post(reverse("issues:update", args=[eng_issue.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert NO_VERSION in page
    assert "เริ่มซ่อมผิวถนนแล้ว" in page
    assert _hidden_version(page, eng_issue.version)
    assert eng_issue.updates.count() == updates


def test_a_tampered_version_on_hand_back_is_told_and_keeps_the_reason(
    client, officer_user, eng_issue
):
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:hand_back", args=[eng_issue.pk]),
        {"version": "x", "reason": "ไม่ใช่งานของกองช่าง"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert NO_VERSION in page
    assert "ไม่ใช่งานของกองช่าง" in page


def test_a_duplicate_names_its_original_only_to_who_may_read_it(client, staff_user, leader_user):
    """Found from outside: a leader's issue marked a duplicate of another
    community's issue showed that issue's reference, linking to a page not found."""
    from communities.models import Community, IssueCategory
    from issues import services as issue_services

    road = IssueCategory.objects.get(code="road")
    original = issue_services.issue_create(
        actor=staff_user, community=Community.objects.get(number=2), category=road, title="ถนนทรุด"
    )
    copy = issue_services.issue_create(
        actor=staff_user, community=Community.objects.get(number=1), category=road, title="ถนนทรุดตัว"
    )
    issue_services.issue_update(
        issue=copy,
        actor=staff_user,
        version=None,
        to_status="duplicate",
        duplicate_of=original,
        note="แจ้งซ้ำกับเรื่องเดิม",
    )
    client.force_login(leader_user)
    page = client.get(reverse("issues:detail", args=[copy.pk])).content.decode()
    assert original.reference not in page
    assert reverse("issues:detail", args=[original.pk]) not in page
    assert "เรื่องที่แจ้งไว้ก่อนแล้ว" in page
    client.force_login(staff_user)
    assert (
        original.reference in client.get(reverse("issues:detail", args=[copy.pk])).content.decode()
    )
