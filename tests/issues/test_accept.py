"""The department's "ตอบรับเรื่อง": who may accept an issue, what it records, and the
worklist that puts new issues first."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Department, IssueCategory
from core.thaidates import BE_OFFSET
from issues import services
from issues.models import Issue, IssueUpdate, Status
from issues.services import StaleIssue
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def eng_issue(make_issue):
    """Routed to สำนักการช่าง, the demo officer's department."""
    return make_issue(title="ถนนชำรุดหน้าศาลาชุมชน")


def _state(issue: Issue):
    issue.refresh_from_db()
    return (
        issue.status,
        issue.version,
        issue.accepted_at,
        issue.accepted_by_id,
        issue.first_response_at,
        issue.target_date,
        issue.updates.count(),
    )


def test_the_officer_accepts_and_who_and_when_is_recorded(officer_user, eng_issue):
    before_status, version = eng_issue.status, eng_issue.version
    issue = services.issue_accept(issue=eng_issue, actor=officer_user, version=version)
    issue.refresh_from_db()
    assert issue.accepted_by == officer_user
    assert issue.accepted_at is not None
    assert issue.first_response_at == issue.accepted_at
    # The status says where the work is: it has not started yet.
    assert issue.status == before_status == Status.FORWARDED
    assert issue.version == version + 1
    entry = issue.updates.order_by("-pk").first()
    assert (entry.kind, entry.actor, entry.is_public) == (
        IssueUpdate.Kind.ACCEPTED,
        officer_user,
        True,
    )
    assert entry.to_department == issue.department


@pytest.mark.parametrize("fixture", ["staff_user", "admin_user", "kpt_user"])
def test_staff_and_the_follow_up_team_may_accept_for_the_department(request, fixture, eng_issue):
    actor = request.getfixturevalue(fixture)
    issue = services.issue_accept(issue=eng_issue, actor=actor, version=eng_issue.version)
    assert issue.accepted_by == actor


def test_a_secretariat_acceptance_is_not_the_departments_first_response(staff_user, eng_issue):
    issue = services.issue_accept(issue=eng_issue, actor=staff_user, version=eng_issue.version)
    assert issue.first_response_at is None


def test_others_are_refused_and_nothing_changes(leader_user, no_role_user, make_issue):
    health_issue = make_issue(category_code="garbage", title="ขยะตกค้าง")
    other_officer = make_user("officer_eng2", role="officer", department_code="ENG")
    before = _state(health_issue)
    for actor in (leader_user, no_role_user, other_officer):
        with pytest.raises(PermissionDenied):
            services.issue_accept(issue=health_issue, actor=actor, version=health_issue.version)
    assert _state(health_issue) == before


def test_a_stale_form_is_refused_and_nothing_changes(officer_user, staff_user, eng_issue):
    seen = eng_issue.version
    services.issue_update(issue=eng_issue, actor=staff_user, version=seen, note="ประสานแล้ว")
    before = _state(eng_issue)
    with pytest.raises(StaleIssue):
        services.issue_accept(issue=eng_issue, actor=officer_user, version=seen)
    assert _state(eng_issue) == before


def test_an_issue_is_accepted_once(officer_user, kpt_user, eng_issue):
    services.issue_accept(issue=eng_issue, actor=officer_user, version=eng_issue.version)
    before = _state(eng_issue)
    with pytest.raises(ValidationError, match="ตอบรับเรื่องนี้แล้วเมื่อ"):
        services.issue_accept(issue=eng_issue, actor=kpt_user, version=None)
    assert _state(eng_issue) == before


def test_an_issue_past_being_new_cannot_be_accepted(officer_user, make_issue):
    issue = make_issue(Status.RESOLVED)
    before = _state(issue)
    with pytest.raises(ValidationError, match="พ้นขั้นการตอบรับเรื่อง"):
        services.issue_accept(issue=issue, actor=officer_user, version=issue.version)
    assert _state(issue) == before


def test_accepting_with_the_departments_own_target_date_needs_a_reason(officer_user, eng_issue):
    own = timezone.localdate() + datetime.timedelta(days=3)
    before = _state(eng_issue)
    with pytest.raises(ValidationError) as refused:
        services.issue_accept(
            issue=eng_issue, actor=officer_user, version=eng_issue.version, target_date=own
        )
    assert "target_reason" in refused.value.message_dict
    assert _state(eng_issue) == before
    issue = services.issue_accept(
        issue=eng_issue,
        actor=officer_user,
        version=eng_issue.version,
        target_date=own,
        target_reason="ซ่อมได้เร็ว",
        note="จะเข้าพื้นที่พรุ่งนี้",
    )
    assert issue.target_date == own
    assert "จะเข้าพื้นที่พรุ่งนี้" in issue.updates.order_by("-pk").first().note


def test_rerouting_makes_it_new_for_the_next_department(officer_user, staff_user, eng_issue):
    services.issue_accept(issue=eng_issue, actor=officer_user, version=eng_issue.version)
    issue = services.issue_route(
        issue=eng_issue,
        actor=staff_user,
        version=None,
        department=Department.objects.get(code="HEALTH"),
        follow_up_team=False,
        priority=eng_issue.priority,
    )
    issue.refresh_from_db()
    assert (issue.accepted_at, issue.accepted_by) == (None, None)


def test_an_officer_who_starts_the_work_has_accepted_it(officer_user, eng_issue):
    issue = services.issue_update(
        issue=eng_issue, actor=officer_user, version=eng_issue.version, to_status="in_progress"
    )
    assert issue.accepted_by == officer_user
    assert issue.accepted_at == issue.in_progress_at


# Through the pages --------------------------------------------------------------------


def test_the_officer_accepts_from_the_issue_page(client, officer_user, eng_issue):
    client.force_login(officer_user)
    page = client.get(eng_issue.get_absolute_url()).content.decode()
    assert reverse("issues:accept", args=[eng_issue.pk]) in page
    assert "ยังไม่ตอบรับ" in page
    response = client.post(
        reverse("issues:accept", args=[eng_issue.pk]), {"version": eng_issue.version}
    )
    assert response.status_code == 302
    eng_issue.refresh_from_db()
    assert eng_issue.accepted_by == officer_user
    page = client.get(eng_issue.get_absolute_url()).content.decode()
    assert reverse("issues:accept", args=[eng_issue.pk]) not in page
    assert "ส่วนราชการตอบรับเรื่อง" in page


def test_the_accept_form_keeps_a_bad_date_and_says_why(client, officer_user, eng_issue):
    client.force_login(officer_user)
    before = _state(eng_issue)
    response = client.post(
        reverse("issues:accept", args=[eng_issue.pk]),
        {"version": eng_issue.version, "target_date": "31/2/2570", "note": "เข้าพื้นที่แล้ว"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ไม่มีวันที่ 31" in page
    assert 'value="31/2/2570"' in page and "เข้าพื้นที่แล้ว" in page
    assert _state(eng_issue) == before


@pytest.mark.parametrize("fixture", ["leader_user", "no_role_user"])
def test_the_page_refuses_those_who_may_not_accept(client, request, fixture, eng_issue):
    client.force_login(request.getfixturevalue(fixture))
    before = _state(eng_issue)
    response = client.post(
        reverse("issues:accept", args=[eng_issue.pk]), {"version": eng_issue.version}
    )
    assert response.status_code in (403, 404)
    assert _state(eng_issue) == before


def test_another_departments_officer_cannot_accept(client, make_issue, officer_user):
    health_issue = make_issue(category_code="garbage", title="ขยะตกค้าง")
    client.force_login(officer_user)
    before = _state(health_issue)
    response = client.post(
        reverse("issues:accept", args=[health_issue.pk]), {"version": health_issue.version}
    )
    assert response.status_code in (403, 404)
    assert _state(health_issue) == before


# The worklist -------------------------------------------------------------------------


@pytest.fixture
def officers_work(make_issue, officer_user):
    """One issue in each section of สำนักการช่าง's worklist, and one of another department."""
    today = timezone.localdate()
    new = make_issue(title="เรื่องใหม่ยังไม่รับ")
    late = make_issue(title="รับแล้วเกินกำหนด", community_number=2)
    services.issue_accept(issue=late, actor=officer_user, version=None)
    Issue.objects.filter(pk=late.pk).update(target_date=today - datetime.timedelta(days=1))
    working = make_issue(title="กำลังซ่อม", community_number=3)
    services.issue_update(issue=working, actor=officer_user, version=None, to_status="in_progress")
    planned = make_issue(Status.PLANNED, title="รองบประมาณ")
    other = make_issue(category_code="garbage", title="ขยะของกองสาธารณสุข")
    return {"new": new, "late": late, "working": working, "planned": planned, "other": other}


def _sections(response) -> dict[str, list[str]]:
    return {s.key: [issue.title for issue in s.issues] for s in response.context["sections"]}


def _titles(response) -> list[str]:
    return [issue.title for s in response.context["sections"] for issue in s.issues]


def test_the_worklist_shows_new_overdue_in_progress_and_the_rest(
    client, officer_user, officers_work
):
    client.force_login(officer_user)
    response = client.get(reverse("issues:worklist"))
    assert _sections(response) == {
        "to_accept": ["เรื่องใหม่ยังไม่รับ"],
        "overdue": ["รับแล้วเกินกำหนด"],
        "in_progress": ["กำลังซ่อม"],
        "waiting": ["รองบประมาณ"],
    }
    page = response.content.decode()
    assert "เรื่องใหม่ รอตอบรับ" in page and "ขยะของกองสาธารณสุข" not in page
    new = officers_work["new"]
    assert reverse("issues:accept", args=[new.pk]) in page


def test_accepting_from_the_worklist_moves_the_issue_on(client, officer_user, officers_work):
    new = officers_work["new"]
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:accept", args=[new.pk]), {"version": new.version, "back": "worklist"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("issues:worklist")
    sections = _sections(client.get(reverse("issues:worklist")))
    assert sections["to_accept"] == []
    assert "เรื่องใหม่ยังไม่รับ" in sections["in_progress"]


def test_the_worklist_filters_by_status_community_and_category(client, officer_user, officers_work):
    client.force_login(officer_user)
    url = reverse("issues:worklist")
    by_status = _titles(client.get(url, {"status": ["planned", "in_progress"]}))
    assert by_status == ["กำลังซ่อม", "รองบประมาณ"]
    community = Community.objects.get(number=2)
    assert _titles(client.get(url, {"community": community.pk})) == ["รับแล้วเกินกำหนด"]
    # Filtering by another department's category shows none of its issues.
    garbage = IssueCategory.objects.get(code="garbage")
    assert _titles(client.get(url, {"category": garbage.pk})) == []
    road = IssueCategory.objects.get(code="road")
    assert len(_titles(client.get(url, {"category": road.pk}))) == 4


def test_the_officers_home_counts_the_issues_to_accept(client, officer_user, officers_work):
    client.force_login(officer_user)
    response = client.get(reverse("home"))
    assert response.context["to_accept_count"] == 1


def test_the_worklist_takes_a_fixed_number_of_queries(
    client, officer_user, officers_work, make_issue, django_assert_max_num_queries
):
    client.force_login(officer_user)
    client.get(reverse("issues:worklist"))
    with django_assert_max_num_queries(11):
        client.get(reverse("issues:worklist"), {"status": ["forwarded"], "community": 1})
    for number in range(4, 12):
        make_issue(title=f"เพิ่ม {number}", community_number=number)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("issues:worklist"))
    assert response.context["open_count"] == 12


def test_dates_on_the_worklist_are_buddhist_era(client, officer_user, officers_work):
    client.force_login(officer_user)
    page = client.get(reverse("issues:worklist")).content.decode()
    assert str(timezone.localdate().year + BE_OFFSET)[2:] in page
