"""The issue list: status tick boxes, search by community and reference, sortable
columns, and the staff's bulk actions (send to a department, print)."""

import re

import pytest
from django.urls import reverse

from communities.models import Department
from issues import services
from issues.models import Issue, IssueUpdate, Status
from tests.pdf_text import nfkc, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(make_issue):
    """Three issues of three communities, statuses and departments."""
    road = make_issue(title="ถนนชำรุดหน้าวัด", community_number=1)
    garbage = make_issue(
        Status.IN_PROGRESS, category_code="garbage", community_number=2, title="ขยะตกค้างริมคลอง"
    )
    water = make_issue(
        Status.RESOLVED, category_code="water_supply", community_number=3, title="ท่อประปาแตก"
    )
    return road, garbage, water


def _listed(client, **params) -> list[Issue]:
    return list(client.get(reverse("issues:list"), params).context["page"].object_list)


# Filters and search ------------------------------------------------------------------


def test_status_is_a_set_of_tick_boxes_and_takes_several(client, staff_user, three):
    road, _garbage, water = three
    client.force_login(staff_user)
    response = client.get(reverse("issues:list"))
    html = response.content.decode()
    assert 'type="checkbox" name="status" value="forwarded"' in html
    assert '<select name="status"' not in html
    assert "<legend>สถานะ</legend>" in html
    listed = _listed(client, status=["forwarded", "resolved"])
    assert set(listed) == {road, water}


def test_search_finds_the_community_by_its_name(client, staff_user, leader_user, three):
    road, garbage, water = three
    client.force_login(staff_user)
    # "สนามบิน" is in no title, description or place: only community 2's name.
    assert _listed(client, q="สนามบิน") == [garbage]
    assert _listed(client, q="ชุมชนร่วมใจ") == [water]
    client.force_login(leader_user)  # of community 1: the search keeps the reader's scope
    assert _listed(client, q="สนามบิน") == []
    assert _listed(client, q="บ่อฝ้าย") == [road]


def test_search_finds_the_reference_and_its_number_alone(client, staff_user, three):
    _road, garbage, _water = three
    client.force_login(staff_user)
    assert _listed(client, q=garbage.reference) == [garbage]
    assert _listed(client, q=str(garbage.number)) == [garbage]
    assert _listed(client, q=f"{garbage.number:04d}") == [garbage]


def test_the_folded_filters_say_how_many_are_set(client, staff_user, three):
    """A phone folds every filter but the search; the fold says how many are set, and
    opens by itself when one of them is refused."""
    client.force_login(staff_user)
    summary = re.compile(r'<details class="filter-fold"( open)?>\s*<summary>([^<]*)</summary>')
    html = client.get(reverse("issues:list")).content.decode()
    assert summary.search(html).groups() == (None, "ตัวกรอง")
    params = {"q": "ถนน", "status": ["forwarded", "resolved"], "community": 1, "open": "on"}
    html = client.get(reverse("issues:list"), params).content.decode()
    assert summary.search(html).groups() == (None, "ตัวกรอง (3)")
    html = client.get(reverse("issues:list"), {"fiscal_year": "ปีหน้า"}).content.decode()
    assert summary.search(html).groups() == (" open", "ตัวกรอง (1)")


# Sorting ------------------------------------------------------------------------------


SORTS = {
    "reference": lambda issue: (issue.fiscal_year, issue.number),
    "title": lambda issue: issue.title,
    "community": lambda issue: issue.community.number,
    "department": lambda issue: issue.department.name_th,
    "received": lambda issue: issue.received_at,
    "status": lambda issue: issue.status,
}


@pytest.mark.parametrize("key", [*SORTS, "target"])
def test_each_column_sorts_both_ways(client, staff_user, three, key):
    client.force_login(staff_user)
    if key == "target":
        expected = sorted(three, key=lambda issue: (issue.target_date, issue.pk))
    else:
        expected = sorted(three, key=lambda issue: (SORTS[key](issue), issue.pk))
    response = client.get(reverse("issues:list"), {"sort": key})
    assert list(response.context["page"].object_list) == expected
    html = response.content.decode()
    assert html.count("aria-sort=") == 1
    assert 'aria-sort="ascending"' in html
    # The current column's link sorts the other way; the order is kept by the filter.
    assert f"sort=-{key}" in html
    assert f'name="sort" value="{key}"' in html
    response = client.get(reverse("issues:list"), {"sort": f"-{key}"})
    assert list(response.context["page"].object_list) == list(reversed(expected))
    assert 'aria-sort="descending"' in response.content.decode()


def test_an_unknown_sort_keeps_the_default_order(client, staff_user, three):
    client.force_login(staff_user)
    default = _listed(client)
    response = client.get(reverse("issues:list"), {"sort": "description;drop"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == default
    html = response.content.decode()
    assert "aria-sort=" not in html
    # The headers still offer every sort, and the unknown one is not carried on.
    assert 'href="?sort=reference"' in html and 'name="sort"' not in html


def test_equal_values_sort_by_id_so_pages_do_not_overlap(client, staff_user, make_issue):
    issues = [make_issue(title=f"ไฟดับซอย {n}") for n in range(3)]
    client.force_login(staff_user)
    assert _listed(client, sort="community") == issues
    assert _listed(client, sort="-community") == list(reversed(issues))


# Bulk actions -------------------------------------------------------------------------


def _ticks(*issues, stale=()) -> list[str]:
    return [f"{i.pk}:{i.version - 1 if i in stale else i.version}" for i in issues]


def test_staff_see_tick_boxes_and_the_bulk_actions(client, staff_user, officer_user, three):
    client.force_login(staff_user)
    html = client.get(reverse("issues:list")).content.decode()
    road = three[0]
    assert f'name="issue" value="{road.pk}:{road.version}" form="bulk-form"' in html
    assert "ส่งส่วนราชการ" in html and "พิมพ์รายการที่เลือก" in html
    client.force_login(officer_user)
    html = client.get(reverse("issues:list")).content.decode()
    assert 'name="issue"' not in html and "bulk-form" not in html


def test_staff_send_ticked_issues_each_told_and_a_stale_one_refused(client, staff_user, three):
    road, garbage, water = three
    welfare = Department.objects.get(code="WELFARE")
    # Someone changed the garbage issue after the list was shown.
    services.issue_update(issue=garbage, actor=staff_user, version=None, note="ออกตรวจแล้ว")
    garbage.refresh_from_db()
    before = IssueUpdate.objects.filter(issue=garbage).count()
    client.force_login(staff_user)
    response = client.post(
        reverse("issues:bulk_route"),
        {"department": welfare.pk, "issue": _ticks(road, water, garbage, stale=[garbage])},
    )
    assert response.status_code == 200
    results = {issue.pk: (done, message) for issue, done, message in response.context["results"]}
    assert results[road.pk][0] is True and results[water.pk][0] is True
    assert results[garbage.pk][0] is False
    assert "มีผู้อื่นปรับปรุงเรื่องนี้" in results[garbage.pk][1]
    html = response.content.decode()
    assert road.reference in html and garbage.reference in html
    assert "ส่งแล้ว 2 จาก 3 เรื่อง" in html
    for issue in (road, water):
        issue.refresh_from_db()
        assert issue.department == welfare
        assert issue.updates.filter(kind=IssueUpdate.Kind.ROUTED, to_department=welfare).exists()
    garbage.refresh_from_db()
    assert garbage.department.code == "HEALTH"
    assert IssueUpdate.objects.filter(issue=garbage).count() == before


def test_a_closed_issue_or_a_missing_version_is_refused_and_unchanged(
    client, staff_user, make_issue
):
    closed = make_issue(Status.CLOSED)
    open_ = make_issue()
    welfare = Department.objects.get(code="WELFARE")
    client.force_login(staff_user)
    response = client.post(
        reverse("issues:bulk_route"),
        {"department": welfare.pk, "issue": [f"{closed.pk}:{closed.version}", str(open_.pk)]},
    )
    results = {issue.pk: done for issue, done, _message in response.context["results"]}
    assert results == {closed.pk: False, open_.pk: False}
    assert Issue.objects.filter(department=welfare).count() == 0


def test_bulk_send_needs_a_department_and_a_tick(client, staff_user, three):
    client.force_login(staff_user)
    response = client.post(
        reverse("issues:bulk_route"), {"department": "", "issue": _ticks(*three)}, follow=True
    )
    assert "กรุณาเลือกส่วนราชการที่จะส่งเรื่อง" in response.content.decode()
    response = client.post(
        reverse("issues:bulk_route"),
        {"department": Department.objects.get(code="WELFARE").pk},
        follow=True,
    )
    assert "กรุณาเลือกอย่างน้อยหนึ่งเรื่อง" in response.content.decode()
    assert not Issue.objects.filter(department__code="WELFARE").exists()


@pytest.mark.parametrize("fixture", ["officer_user", "kpt_user", "leader_user"])
def test_other_roles_may_not_send_or_print_in_bulk(client, request, fixture, three):
    client.force_login(request.getfixturevalue(fixture))
    welfare = Department.objects.get(code="WELFARE")
    for name in ("issues:bulk_route", "issues:bulk_print"):
        response = client.post(reverse(name), {"department": welfare.pk, "issue": _ticks(*three)})
        assert response.status_code == 403
    assert not Issue.objects.filter(department=welfare).exists()
    assert not IssueUpdate.objects.filter(to_department=welfare).exists()


def test_staff_print_the_ticked_issues(client, staff_user, three):
    road, _garbage, water = three
    client.force_login(staff_user)
    response = client.post(reverse("issues:bulk_print"), {"issue": _ticks(road, water)})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.search(r'filename="issues-25\d\d-\d\d-\d\d\.pdf"', response["Content-Disposition"])
    # Cells wrap between words: compare without the line breaks.
    text = re.sub(r"\s", "", pdf_text(response.content))
    assert nfkc("รายการปัญหาที่ชุมชนแจ้ง") in text
    assert nfkc("ถนนชำรุดหน้าวัด") in text and nfkc("ท่อประปาแตก") in text
    assert nfkc("ขยะตกค้างริมคลอง") not in text
    assert nfkc("ชุมชนบ่อฝ้าย") in text and nfkc("กองการประปา") in text
