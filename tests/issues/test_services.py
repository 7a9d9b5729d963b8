import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Community, Department, IssueCategory
from issues import selectors, services
from issues.models import FieldSurvey, Issue, IssuePhoto, IssueUpdate, Status
from meetings import services as meeting_services
from tests.meetings.conftest import image_upload

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_reference_numbers_count_per_fiscal_year(make_issue):
    first = make_issue(at=_at(datetime.date(2025, 10, 1)))
    second = make_issue(at=_at(datetime.date(2026, 9, 30)))
    next_year = make_issue(at=_at(datetime.date(2026, 10, 1)))
    assert [first.reference, second.reference, next_year.reference] == [
        "2569-0001",
        "2569-0002",
        "2570-0001",
    ]


def test_logged_issue_is_routed_by_its_category_at_once(make_issue):
    issue = make_issue(category_code="water_supply")
    assert issue.status == Status.FORWARDED
    assert issue.department.code == "WATER"
    assert issue.forwarded_at is not None
    kinds = list(issue.updates.values_list("kind", "to_status"))
    assert kinds == [("created", "received"), ("routed", "forwarded")]


def test_staff_may_route_elsewhere_than_the_default(make_issue):
    issue = make_issue(department=Department.objects.get(code="CITYLAW"))
    assert issue.department.code == "CITYLAW"


def test_only_staff_log_issues(officer_user, kpt_user, leader_user):
    for user in (officer_user, kpt_user, leader_user):
        with pytest.raises(PermissionDenied):
            services.issue_create(
                actor=user,
                community=Community.objects.get(number=1),
                category=IssueCategory.objects.get(code="road"),
                title="x",
            )
    assert Issue.objects.count() == 0


def test_bad_coordinates_are_refused(make_issue):
    with pytest.raises(ValidationError) as error:
        make_issue(latitude=123, longitude=99)
    assert "latitude" in error.value.message_dict
    assert Issue.objects.count() == 0


def test_leader_submission_is_routed_at_once_and_awaits_a_meeting(received_issue, leader_user):
    assert received_issue.community.number == 1
    assert received_issue.awaiting_meeting
    assert received_issue.status == Status.FORWARDED
    assert received_issue.department.code == "ENG"  # the drainage category's department
    assert received_issue.forwarded_at is not None
    routed = received_issue.updates.get(kind=IssueUpdate.Kind.ROUTED)
    # The category routed it, not the leader (see test_leader_report).
    assert (routed.actor, routed.to_department.code) == (None, "ENG")


def test_staff_confirm_a_submission_into_a_meeting_agenda(received_issue, staff_user):
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้องประชุม"
    )
    issue = services.issue_confirm(issue=received_issue, actor=staff_user, meeting=meeting)
    assert issue.meeting == meeting
    assert not issue.awaiting_meeting
    assert issue.status == Status.FORWARDED
    assert issue.department.code == "ENG"
    # Routed when it was sent: confirming it does not route it a second time.
    assert issue.updates.filter(kind=IssueUpdate.Kind.ROUTED).count() == 1
    assert issue.updates.filter(kind=IssueUpdate.Kind.CONFIRMED).count() == 1
    with pytest.raises(ValidationError):
        services.issue_confirm(issue=issue, actor=staff_user, meeting=meeting)


def test_reassignment_is_a_history_entry(make_issue, kpt_user):
    issue = make_issue()
    issue = services.issue_route(
        issue=issue,
        actor=kpt_user,
        version=issue.version,
        department=Department.objects.get(code="HEALTH"),
        follow_up_team=True,
        priority=4,
    )
    entry = issue.updates.order_by("-pk").first()
    assert (entry.kind, entry.from_department.code, entry.to_department.code) == (
        "routed",
        "ENG",
        "HEALTH",
    )
    assert not entry.is_public
    assert issue.priority == 4 and issue.follow_up_team
    with pytest.raises(ValidationError):
        services.issue_route(
            issue=issue,
            actor=kpt_user,
            version=None,
            department=Department.objects.get(code="PEA"),
            follow_up_team=True,
            priority=4,
        )


def test_officer_hands_back_an_issue_that_is_not_theirs(make_issue, officer_user, staff_user):
    issue = make_issue()
    with pytest.raises(ValidationError):
        services.issue_hand_back(issue=issue, actor=officer_user, version=None, reason=" ")
    issue = services.issue_hand_back(
        issue=issue, actor=officer_user, version=issue.version, reason="เป็นถนนของแขวงทางหลวง"
    )
    assert (issue.status, issue.department) == (Status.RECEIVED, None)
    issue = services.issue_route(
        issue=issue,
        actor=staff_user,
        version=None,
        department=Department.objects.get(code="PALAD"),
        follow_up_team=False,
        priority=2,
    )
    assert (issue.status, issue.department.code) == (Status.FORWARDED, "PALAD")


def test_field_survey_moves_a_forwarded_issue_to_surveyed(make_issue, kpt_user, today):
    issue = make_issue()
    survey = services.survey_record(
        issue=issue,
        actor=kpt_user,
        version=issue.version,
        survey_date=today,
        team_members="นายปิยะ ติดตามงาน",
        findings="ถนนยุบตัวยาว 5 เมตร",
        recommendation="ซ่อมผิวจราจร",
        photos=[image_upload()],
    )
    issue.refresh_from_db()
    assert issue.status == Status.SURVEYED
    assert issue.follow_up_team
    assert FieldSurvey.objects.get() == survey
    assert IssuePhoto.objects.filter(update=survey.update).count() == 1


def test_field_survey_in_the_future_is_refused(make_issue, kpt_user, today):
    issue = make_issue()
    with pytest.raises(ValidationError):
        services.survey_record(
            issue=issue,
            actor=kpt_user,
            version=None,
            survey_date=today + datetime.timedelta(days=2),
            team_members="ทีม",
            findings="พบ",
        )
    assert FieldSurvey.objects.count() == 0


def test_officers_do_not_record_surveys(make_issue, officer_user, today):
    with pytest.raises(PermissionDenied):
        services.survey_record(
            issue=make_issue(),
            actor=officer_user,
            version=None,
            survey_date=today,
            team_members="ทีม",
            findings="พบ",
        )


def test_a_fake_photo_on_an_update_saves_nothing(make_issue, officer_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    issue = make_issue()
    fake = SimpleUploadedFile("fix.jpg", b"GIF89a not really", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.issue_update(
            issue=issue, actor=officer_user, version=None, note="ซ่อมแล้ว", photos=[fake]
        )
    assert issue.updates.count() == 2


# Overdue ------------------------------------------------------------------------------


def test_overdue_is_open_unresolved_and_past_its_target(make_issue, staff_user, today, yesterday):
    late = make_issue(Status.IN_PROGRESS)
    Issue.objects.filter(pk=late.pk).update(target_date=yesterday)
    on_time = make_issue(Status.IN_PROGRESS)
    Issue.objects.filter(pk=on_time.pk).update(target_date=today)
    fixed_late = make_issue(Status.RESOLVED)
    Issue.objects.filter(pk=fixed_late.pk).update(target_date=yesterday)
    no_target = make_issue(Status.IN_PROGRESS)

    overdue = set(Issue.objects.filter(selectors.overdue_q(today)))

    assert overdue == {late}
    for issue in (late, on_time, fixed_late, no_target):
        issue.refresh_from_db()
        assert issue.is_overdue(today) is (issue == late)


# Thai search --------------------------------------------------------------------------


def test_search_finds_thai_substrings_and_references(make_issue):
    drain = make_issue(title="ท่อระบายน้ำอุดตัน น้ำท่วมขังหน้าวัด", category_code="drainage")
    light = make_issue(title="ไฟฟ้าส่องสว่างดับ", location_text="ซอยหัวหิน 94")
    make_issue(title="ขยะตกค้าง")

    assert list(Issue.objects.filter(selectors.search_q("ระบายน้ำ"))) == [drain]
    assert list(Issue.objects.filter(selectors.search_q("ท่วมขัง"))) == [drain]
    assert list(Issue.objects.filter(selectors.search_q("หัวหิน 94"))) == [light]
    assert list(Issue.objects.filter(selectors.search_q(light.reference))) == [light]
    assert not Issue.objects.filter(selectors.search_q("ถนนยุบ")).exists()


# Carry-forward -----------------------------------------------------------------------


def test_open_issues_are_carried_forward_to_the_next_meeting(make_issue, staff_user):
    march = meeting_services.meeting_create(
        actor=staff_user, date=datetime.date(2026, 3, 4), venue="ห้อง"
    )
    april = meeting_services.meeting_create(
        actor=staff_user, date=datetime.date(2026, 4, 1), venue="ห้อง"
    )
    raised = _at(datetime.date(2026, 3, 4))
    still_open = make_issue(meeting=march, at=raised, title="ยังไม่แก้")
    services.issue_update(
        issue=still_open,
        actor=staff_user,
        version=None,
        note="อยู่ระหว่างจัดซื้อวัสดุ",
        at=_at(datetime.date(2026, 3, 20)),
    )
    closed_before = make_issue(meeting=march, at=raised, title="ปิดก่อนประชุม")
    for status, day in (("in_progress", 10), ("resolved", 15), ("closed", 25)):
        services.issue_update(
            issue=closed_before,
            actor=staff_user,
            version=None,
            to_status=status,
            note="บันทึก",
            outcome="fixed" if status == "closed" else "",
            at=_at(datetime.date(2026, 3, day)),
        )
    closed_after = make_issue(meeting=march, at=raised, title="ปิดหลังประชุม")
    services.issue_update(
        issue=closed_after,
        actor=staff_user,
        version=None,
        to_status="withdrawn",
        note="ถอนเรื่อง",
        at=_at(datetime.date(2026, 4, 20)),
    )
    make_issue(meeting=april, at=_at(datetime.date(2026, 4, 1)), title="แจ้งในครั้งนี้")

    rows = {row.issue.title: row for row in selectors.carried_forward(meeting=april)}

    assert set(rows) == {"ยังไม่แก้", "ปิดหลังประชุม"}
    assert rows["ยังไม่แก้"].latest_note == "อยู่ระหว่างจัดซื้อวัสดุ"
    assert rows["ปิดหลังประชุม"].status_then == "forwarded"
