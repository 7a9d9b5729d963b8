"""Closing records what it achieved (SPEC §3): "closed" never silently means "fixed"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communities.models import Department
from issues import services
from issues.models import Issue, IssueUpdate, Outcome, Status

pytestmark = pytest.mark.django_db


def _close(issue, actor, **fields):
    return services.issue_update(
        issue=issue,
        actor=actor,
        version=None,
        to_status=Status.CLOSED,
        note="ปิดเรื่องตามมติที่ประชุม",
        **fields,
    )


def test_closing_without_an_outcome_is_refused_and_changes_nothing(make_issue, staff_user):
    issue = make_issue(Status.RESOLVED)
    history = issue.updates.count()

    with pytest.raises(ValidationError) as refused:
        _close(issue, staff_user)

    assert "outcome" in refused.value.message_dict
    issue.refresh_from_db()
    assert (issue.status, issue.outcome) == (Status.RESOLVED, "")
    assert issue.updates.count() == history


# Each outcome, the field it cannot do without and a value that satisfies it.
REQUIRED = [
    (Outcome.PARTLY_FIXED, "outcome_note", "ซ่อมได้ครึ่งสาย อีกครึ่งรองบปีหน้า"),
    (Outcome.NOT_FIXED_OTHER_AGENCY, "outcome_agency", "PEA"),
    (Outcome.NOT_FIXED_NO_BUDGET, "outcome_note", "บรรจุในแผนพัฒนาท้องถิ่น พ.ศ. 2571"),
    (Outcome.NOT_FIXED_WITHDRAWN, "outcome_note", "ประธานชุมชนแจ้งถอนเรื่องในที่ประชุม"),
    (Outcome.NOT_FIXED_OTHER, "outcome_note", "พื้นที่เป็นที่ดินเอกชน"),
]


def _value(field, value):
    return Department.objects.get(code=value) if field == "outcome_agency" else value


@pytest.mark.parametrize(("outcome", "field", "value"), REQUIRED)
def test_each_outcome_asks_for_what_it_needs(make_issue, staff_user, outcome, field, value):
    issue = make_issue(Status.RESOLVED)

    with pytest.raises(ValidationError) as refused:
        _close(issue, staff_user, outcome=outcome)
    assert field in refused.value.message_dict
    assert Issue.objects.get(pk=issue.pk).status == Status.RESOLVED

    issue = _close(issue, staff_user, outcome=outcome, **{field: _value(field, value)})
    assert (issue.status, issue.outcome) == (Status.CLOSED, outcome)


@pytest.mark.parametrize(("outcome", "field", "value"), REQUIRED)
def test_the_closing_entry_of_the_history_carries_the_outcome(
    make_issue, staff_user, outcome, field, value
):
    issue = _close(
        make_issue(Status.RESOLVED), staff_user, outcome=outcome, **{field: _value(field, value)}
    )

    closing = issue.updates.get(to_status=Status.CLOSED)
    assert closing.outcome == outcome
    assert getattr(closing, field) == _value(field, value)
    assert getattr(issue, field) == _value(field, value)


def test_fixed_needs_no_reason(make_issue, staff_user):
    issue = _close(make_issue(Status.RESOLVED), staff_user, outcome=Outcome.FIXED)
    assert issue.outcome == Outcome.FIXED
    assert issue.updates.get(to_status=Status.CLOSED).outcome == Outcome.FIXED


def test_an_agency_is_kept_only_for_another_agencys_responsibility(make_issue, staff_user):
    issue = _close(
        make_issue(Status.RESOLVED),
        staff_user,
        outcome=Outcome.FIXED,
        outcome_agency=Department.objects.get(code="PEA"),
    )
    assert issue.outcome_agency is None


def test_the_close_form_refuses_a_missing_outcome_in_thai_and_keeps_the_input(
    client, staff_user, make_issue
):
    issue = make_issue(Status.RESOLVED)
    client.force_login(staff_user)

    response = client.post(
        reverse("issues:update", args=[issue.pk]),
        {"version": issue.version, "to_status": "closed", "note": "ชุมชนยืนยันในที่ประชุม"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "กรุณาเลือกผลการปิดเรื่อง" in page
    assert "ชุมชนยืนยันในที่ประชุม" in page
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED


def test_the_close_form_asks_for_the_agency_in_thai(client, staff_user, make_issue):
    issue = make_issue(Status.RESOLVED)
    client.force_login(staff_user)

    response = client.post(
        reverse("issues:update", args=[issue.pk]),
        {
            "version": issue.version,
            "to_status": "closed",
            "note": "ถนนเป็นของกรมทางหลวง",
            "outcome": Outcome.NOT_FIXED_OTHER_AGENCY,
        },
    )

    assert response.status_code == 400
    assert "กรุณาระบุหน่วยงานอื่นที่มีอำนาจหน้าที่รับผิดชอบเรื่องนี้" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Status.RESOLVED


def test_the_issue_page_shows_the_outcome_of_a_closing(client, staff_user, leader_user, make_issue):
    issue = make_issue(Status.RESOLVED)
    agency = Department.objects.get(code="PEA")
    client.force_login(staff_user)
    response = client.post(
        reverse("issues:update", args=[issue.pk]),
        {
            "version": issue.version,
            "to_status": "closed",
            "note": "ส่งเรื่องให้การไฟฟ้าแล้ว",
            "outcome": Outcome.NOT_FIXED_OTHER_AGENCY,
            "outcome_agency": agency.pk,
        },
    )
    assert response.status_code == 302

    client.force_login(leader_user)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "ไม่ได้แก้ไข: อยู่ในอำนาจหน้าที่ของหน่วยงานอื่น" in page
    assert agency.name in page
    assert IssueUpdate.objects.get(issue=issue, to_status="closed").outcome_agency == agency
