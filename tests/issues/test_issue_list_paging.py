"""The issue list's pages: the order of every sort, each issue on exactly one page,
and a count that stops at ``COUNT_CAP`` ("more than …") while the pages go on."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from issues import selectors, views
from issues.filters import IssueFilter
from issues.models import Issue, Status
from tests.issues.conftest import bulk_issues

pytestmark = pytest.mark.django_db

PAGE_SIZE = 7


@pytest.fixture
def many(staff_user, monkeypatch):
    """45 issues on pages of 7: overdue ones and others, open and ended, some
    without a target date, and groups received at the very same moment (the order
    has to break those ties the same way on every page)."""
    monkeypatch.setattr(views, "PAGE_SIZE", PAGE_SIZE)
    issues = bulk_issues(45, staff_user=staff_user)
    now = timezone.now()
    for n, issue in enumerate(issues):
        if n % 3 == 0:
            issue.received_at = now - datetime.timedelta(days=n % 4)  # ties
        if n % 7 == 0:
            issue.target_date = None
        if n % 11 == 0:
            issue.status = Status.PLANNED  # unresolved: overdue once past its date
        issue.title = f"ถนนซอย {n % 5} ปัญหาที่ {n}" if n % 2 else f"ไฟดับ {n}"
    Issue.objects.bulk_update(issues, ["received_at", "target_date", "status", "title"])
    return issues


def _old_order(params: dict, user, order) -> list[int]:
    """The list as one query ordered by ``order``, overdue annotated: what the page
    showed before it was paged from indexes."""
    issues = selectors.with_list_columns(selectors.visible_issues(user))
    results = IssueFilter(params or None, queryset=issues).qs.order_by(*order)
    return list(results.values_list("pk", flat=True))


def _every_page(client, params: dict) -> list[int]:
    """Follow the "next" links from the first page; return the ids in page order."""
    ids, number = [], 1
    while True:
        page = client.get(reverse("issues:list"), {**params, "page": number}).context["page"]
        assert page.number == number
        ids += [issue.pk for issue in page.object_list]
        if not page.has_next:
            return ids
        number = page.next_page_number()


def test_default_order_is_overdue_first_then_newest_ties_by_id(client, staff_user, many):
    client.force_login(staff_user)
    today = timezone.localdate()
    listed = _every_page(client, {})
    expected = sorted(
        Issue.objects.all(),
        key=lambda issue: (not issue.is_overdue(today), -issue.received_at.timestamp(), -issue.pk),
    )
    assert listed == [issue.pk for issue in expected]
    assert listed == _old_order({}, staff_user, views.DEFAULT_ORDER)
    overdue = [issue for issue in expected if issue.is_overdue(today)]
    assert 0 < len(overdue) < len(expected)
    assert len(overdue) % PAGE_SIZE  # a page holds both overdue issues and others


@pytest.mark.parametrize("sort", [key for name in views.SORT_KEYS for key in (name, f"-{name}")])
def test_every_sort_visits_each_issue_once_in_the_order_of_before(client, staff_user, many, sort):
    client.force_login(staff_user)
    listed = _every_page(client, {"sort": sort})
    _key, _direction, order = views.sort_order(sort)
    assert listed == _old_order({"sort": sort}, staff_user, order)
    assert sorted(listed) == sorted(issue.pk for issue in many)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ถนน"},
        {"q": "ถนน", "open": "on"},
        {"q": "ซอย 3", "overdue": "on"},
        {"status": ["forwarded", "planned"], "q": "ถนน"},
        {"community": "2"},
        {"q": "ถนน", "sort": "-target"},
        {"open": "on", "sort": "community"},
    ],
)
def test_filters_and_search_find_the_same_issues_in_the_same_order(
    client, staff_user, many, params
):
    client.force_login(staff_user)
    _key, _direction, order = views.sort_order(params.get("sort", ""))
    expected = _old_order(params, staff_user, order)
    assert expected  # each case finds something
    assert _every_page(client, params) == expected


def test_an_officer_pages_through_their_own_department_only(client, officer_user, many):
    client.force_login(officer_user)
    listed = _every_page(client, {})
    assert listed == _old_order({}, officer_user, views.DEFAULT_ORDER)
    assert set(Issue.objects.filter(pk__in=listed).values_list("department__code", flat=True)) == {
        "ENG"
    }
    assert len(listed) < len(many)


def test_a_long_list_says_more_than_the_cap_and_still_pages(client, staff_user, many, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    client.force_login(staff_user)
    matches = _old_order({"q": "ถนน"}, staff_user, views.DEFAULT_ORDER)
    assert len(matches) > 10
    response = client.get(reverse("issues:list"), {"q": "ถนน"})
    html = response.content.decode()
    assert "มากกว่า 10 เรื่อง" in html
    assert f"{len(matches)} เรื่อง" not in html
    # The page says where it is, not of how many, and links to the next one.
    assert "<span>หน้า 1</span>" in html and "หน้า 1 จาก" not in html
    assert 'rel="next"' in html and "page=2" in html
    assert _every_page(client, {"q": "ถนน"}) == matches
    last = (len(matches) - 1) // PAGE_SIZE + 1
    response = client.get(reverse("issues:list"), {"q": "ถนน", "page": last})
    assert 'rel="next"' not in response.content.decode()
    assert 'rel="prev"' in response.content.decode()


def test_a_list_within_the_cap_gives_its_count_and_pages(client, staff_user, many, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 45)
    client.force_login(staff_user)
    response = client.get(reverse("issues:list"))
    html = response.content.decode()
    assert "45 เรื่อง" in html and "มากกว่า" not in html
    assert "หน้า 1 จาก 7" in html


def test_the_cap_is_written_as_the_app_writes_numbers(client, staff_user, many):
    client.force_login(staff_user)
    response = client.get(reverse("issues:list"))
    assert selectors.COUNT_CAP == 1000
    assert response.context["count_cap"] == "1,000"


@pytest.mark.parametrize("cap", [10, 1000])
def test_a_page_past_the_end_shows_the_last_page(client, staff_user, many, monkeypatch, cap):
    monkeypatch.setattr(selectors, "COUNT_CAP", cap)
    client.force_login(staff_user)
    page = client.get(reverse("issues:list"), {"page": 99}).context["page"]
    assert page.number == 7
    assert [issue.pk for issue in page.object_list] == _old_order(
        {}, staff_user, views.DEFAULT_ORDER
    )[6 * PAGE_SIZE :]
    assert not page.has_next


def test_the_csv_has_every_match_above_the_cap(client, staff_user, many, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    client.force_login(staff_user)
    response = client.get(reverse("issues:export"), {"q": "ถนน"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) - 1 == len(_old_order({"q": "ถนน"}, staff_user, views.DEFAULT_ORDER))


@pytest.mark.parametrize(
    "params",
    [{}, {"page": 2}, {"page": 4}, {"q": "ถนน"}, {"q": "ถนน", "page": 3}, {"sort": "-community"}],
)
def test_a_capped_list_takes_a_fixed_number_of_queries(
    client, staff_user, many, monkeypatch, django_assert_max_num_queries, params
):
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    client.force_login(staff_user)
    # Session, user, roles; the filters' choices; count, overdue count, two
    # pages of ids, the rows; the search's communities.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("issues:list"), params)
    assert response.status_code == 200
