"""Category targets: the target date an issue gets when it is forwarded, and the
date a department may set instead, with a reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from communities.models import Community, IssueCategory
from issues import services
from issues.models import IssueUpdate, Status, TargetSource
from reports import kpis
from tests.meetings.conftest import make_meeting  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

FORWARDED_ON = datetime.date(2026, 11, 2)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _logged(staff_user, category_code, day=FORWARDED_ON, **fields):
    with translation.override("th"):
        return services.issue_create(
            actor=staff_user,
            community=Community.objects.get(number=1),
            category=IssueCategory.objects.get(code=category_code),
            title="ไฟฟ้าส่องสว่างดับทั้งซอย",
            at=_at(day),
            **fields,
        )


def _routing_note(issue) -> str:
    return issue.updates.get(kind=IssueUpdate.Kind.ROUTED).note


def test_forwarding_sets_the_target_date_from_the_category(staff_user):
    issue = _logged(staff_user, "street_light")

    assert issue.target_date == FORWARDED_ON + datetime.timedelta(days=15)
    assert issue.target_source == TargetSource.CATEGORY
    assert _routing_note(issue) == ("กำหนดแล้วเสร็จตามเป้าหมายของหมวด: ภายใน 15 วัน (17 พฤศจิกายน 2569)")


def test_the_admins_target_days_feed_the_next_forwarded_issue(staff_user):
    IssueCategory.objects.filter(code="road").update(target_days=90)
    issue = _logged(staff_user, "road")
    assert issue.target_date == FORWARDED_ON + datetime.timedelta(days=90)


def test_a_leaders_submission_gets_its_target_when_it_is_sent(
    received_issue,
    staff_user,
    make_meeting,  # noqa: F811
):
    # Forwarded by its category the moment it was sent.
    assert received_issue.target_date == timezone.localdate() + datetime.timedelta(days=30)
    assert received_issue.target_source == TargetSource.CATEGORY
    meeting = make_meeting()
    issue = services.issue_confirm(issue=received_issue, actor=staff_user, meeting=meeting)
    assert issue.target_date == timezone.localdate() + datetime.timedelta(days=30)


def test_a_date_staff_set_when_logging_is_kept(staff_user):
    own = FORWARDED_ON + datetime.timedelta(days=5)
    issue = _logged(staff_user, "road", target_date=own)
    assert (issue.target_date, issue.target_source) == (own, TargetSource.OWN)
    assert "เป้าหมายของหมวด" not in _routing_note(issue)


def test_a_department_date_without_a_reason_is_refused_and_nothing_changes(
    staff_user, officer_user
):
    issue = _logged(staff_user, "road")
    before = (issue.target_date, issue.version, issue.updates.count())

    with translation.override("th"), pytest.raises(ValidationError) as error:
        services.issue_update(
            issue=issue,
            actor=officer_user,
            version=issue.version,
            note="รับเรื่องแล้ว",
            target_date=FORWARDED_ON + datetime.timedelta(days=120),
            at=_at(FORWARDED_ON + datetime.timedelta(days=1)),
        )

    assert error.value.message_dict["target_reason"] == [
        "กรุณาระบุเหตุผลที่เรื่องนี้ต้องใช้กำหนดแล้วเสร็จต่างจากเป้าหมายของหมวด (1 มกราคม 2570)"
    ]
    issue.refresh_from_db()
    assert (issue.target_date, issue.version, issue.updates.count()) == before


def test_a_department_date_with_a_reason_is_kept_and_recorded(staff_user, officer_user):
    issue = _logged(staff_user, "road")
    own = FORWARDED_ON + datetime.timedelta(days=120)

    with translation.override("th"):
        issue = services.issue_update(
            issue=issue,
            actor=officer_user,
            version=issue.version,
            to_status=Status.IN_PROGRESS,
            target_date=own,
            target_reason="ต้องรองบประมาณจ้างเหมาปรับปรุงผิวถนน",
            at=_at(FORWARDED_ON + datetime.timedelta(days=1)),
        )

    assert (issue.target_date, issue.target_source) == (own, TargetSource.OWN)
    assert issue.updates.order_by("-pk").first().note == (
        "กำหนดแล้วเสร็จเฉพาะเรื่องนี้: 2 มีนาคม 2570 เหตุผล: ต้องรองบประมาณจ้างเหมาปรับปรุงผิวถนน"
    )


def test_the_category_date_needs_no_reason(staff_user, officer_user):
    issue = _logged(staff_user, "road")
    issue = services.issue_update(
        issue=issue,
        actor=officer_user,
        version=issue.version,
        target_date=FORWARDED_ON + datetime.timedelta(days=30),
        target_reason="ส่วนราชการขอเร่งรัด",
        at=_at(FORWARDED_ON + datetime.timedelta(days=1)),
    )
    # back to the category's date, with nothing else to say
    issue = services.issue_update(
        issue=issue,
        actor=officer_user,
        version=issue.version,
        target_date=FORWARDED_ON + datetime.timedelta(days=60),
        at=_at(FORWARDED_ON + datetime.timedelta(days=2)),
    )
    assert issue.target_source == TargetSource.CATEGORY


def test_the_update_form_refuses_a_date_without_a_reason_and_keeps_the_input(
    client, staff_user, officer_user
):
    issue = _logged(staff_user, "road", day=timezone.localdate())
    wanted = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    client.force_login(officer_user)

    response = client.post(
        reverse("issues:update", args=[issue.pk]),
        {"version": issue.version, "note": "สำรวจแล้ว ต้องของบประมาณ", "target_date": wanted},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "กรุณาระบุเหตุผลที่เรื่องนี้ต้องใช้กำหนดแล้วเสร็จต่างจากเป้าหมายของหมวด" in page
    assert f'value="{wanted}"' in page
    assert "สำรวจแล้ว ต้องของบประมาณ" in page
    issue.refresh_from_db()
    assert issue.updates.count() == 2


def test_the_issue_page_says_where_the_target_date_came_from(client, staff_user, officer_user):
    issue = _logged(staff_user, "street_light", day=timezone.localdate())
    client.force_login(officer_user)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "ตามเป้าหมายของหมวด: ภายใน 15 วัน" in page

    services.issue_update(
        issue=issue,
        actor=officer_user,
        version=issue.version,
        target_date=timezone.localdate() + datetime.timedelta(days=40),
        target_reason="ต้องเปลี่ยนสายไฟทั้งซอย",
    )
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "กำหนดเฉพาะเรื่องนี้ เหตุผลอยู่ในประวัติการดำเนินงาน" in page
    assert "ต้องเปลี่ยนสายไฟทั้งซอย" in page


def test_resolved_within_target_uses_the_category_target(staff_user, officer_user):
    # street lights: 15 days; roads: 60 days; both forwarded on 2 November
    fast_light = _logged(staff_user, "street_light")
    slow_light = _logged(staff_user, "street_light")
    slow_road = _logged(staff_user, "road")
    for issue, days in ((fast_light, 10), (slow_light, 20), (slow_road, 20)):
        services.issue_update(
            issue=issue,
            actor=officer_user,
            version=None,
            to_status=Status.IN_PROGRESS,
            at=_at(FORWARDED_ON, 14),
        )
        services.issue_update(
            issue=issue,
            actor=officer_user,
            version=None,
            to_status=Status.RESOLVED,
            note="แก้ไขแล้ว",
            at=_at(FORWARDED_ON + datetime.timedelta(days=days)),
        )

    figures = kpis.indicators(
        start=FORWARDED_ON, end=FORWARDED_ON, as_of=FORWARDED_ON + datetime.timedelta(days=30)
    )

    assert (figures.resolved, figures.resolved_with_target) == (3, 3)
    # the light fixed in 20 days missed its 15; the road fixed in 20 met its 60
    assert figures.resolved_within_target == 2
