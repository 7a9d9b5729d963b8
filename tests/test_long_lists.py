"""Long lists show what a person reads first and page or fold the rest (SPEC §6):
the officer's worklist, the follow-up board and the meeting page. Each part keeps
the full count in its heading, and its pages or its link show exactly the whole
set, none lost between pages, in a fixed number of queries."""

import datetime
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from communities.models import Community, IssueCategory
from issues import selectors
from issues.models import Issue, Status
from meetings import services as meeting_services

_numbers = itertools.count(1)


def add_issues(count, *, community=1, status=Status.IN_PROGRESS, accepted=True, **fields):
    """Create ``count`` issues of the road category (routed to the ENG department),
    the first received ``days_ago`` days ago and each later one a day later."""
    road = IssueCategory.objects.select_related("default_department").get(code="road")
    days_ago = fields.pop("days_ago", 200)
    now = timezone.now()
    return Issue.objects.bulk_create(
        Issue(
            fiscal_year=2569,
            number=next(_numbers),
            community=Community.objects.get(number=community),
            category=road,
            department=road.default_department,
            title=f"เรื่องยาว {n}",
            status=status,
            accepted_at=now if accepted else None,
            received_at=now - datetime.timedelta(days=days_ago - n),
            channel="meeting",
            **fields,
        )
        for n in range(count)
    )


def late(days=5):
    return timezone.localdate() - datetime.timedelta(days=days)


def part(html: str, start: str, end: str) -> str:
    """The page's text from the first ``start`` to the next ``end``."""
    tail = html[html.index(start) :]
    return tail[: tail.index(end)]


def linked_issues(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/issues/(\d+)/"', html)]


def next_link(html: str) -> str | None:
    found = re.search(r'href="(\?[^"]*)" rel="next"', html)
    return found.group(1).replace("&amp;", "&") if found else None


# Worklist -----------------------------------------------------------------------------


def _section(html: str, key: str) -> str:
    return part(html, f'id="section-{key}"', "</section>")


def test_the_worklist_pages_each_section_and_the_pages_show_every_issue_once(client, officer_user):
    overdue = add_issues(60, target_date=late())
    waiting = add_issues(3, status=Status.PLANNED)
    client.force_login(officer_user)
    url = reverse("issues:worklist")
    html = client.get(url).content.decode()
    section = _section(html, "overdue")
    # The heading counts all 60; the section shows the first page, the oldest first.
    assert '<span class="count">60</span>' in section
    shown = linked_issues(section)
    assert shown == [issue.pk for issue in overdue[: selectors.WORKLIST_PAGE_SIZE]]
    assert "ยังไม่ปิด 63 เรื่อง" in html  # 63 open issues
    # The short section is whole, without pages.
    assert linked_issues(_section(html, "waiting")) == [issue.pk for issue in waiting]
    assert 'rel="next"' not in _section(html, "waiting")
    seen = list(shown)
    while link := next_link(section):
        assert "page_overdue=" in link
        section = _section(client.get(url + link).content.decode(), "overdue")
        seen += linked_issues(section)
    assert seen == [issue.pk for issue in overdue]


def test_a_worklist_page_keeps_the_filters_and_the_other_sections_pages(client, officer_user):
    add_issues(30, community=2, target_date=late())
    add_issues(30, community=2, status=Status.PLANNED)
    add_issues(30, community=3, target_date=late())
    community = Community.objects.get(number=2)
    client.force_login(officer_user)
    url = reverse("issues:worklist")
    html = client.get(url, {"community": community.pk, "page_waiting": 2}).content.decode()
    link = next_link(_section(html, "overdue"))
    assert f"community={community.pk}" in link and "page_waiting=2" in link
    page = client.get(url + link)
    assert page.context["sections"][1].page.number == 2
    # Only community 2's 30 overdue issues: 25 then 5, the planned ones still on page 2.
    assert len(page.context["sections"][1].issues) == 5
    assert len(page.context["sections"][3].issues) == 5
    assert page.context["open_count"] == 60


def test_new_issues_to_accept_come_overdue_first(client, officer_user):
    on_time = add_issues(20, status=Status.FORWARDED, accepted=False, days_ago=10)
    overdue = add_issues(20, status=Status.FORWARDED, accepted=False, target_date=late())
    client.force_login(officer_user)
    section = _section(client.get(reverse("issues:worklist")).content.decode(), "to_accept")
    assert linked_issues(section) == [issue.pk for issue in overdue + on_time[:5]]
    assert section.count('class="button accept-button"') == selectors.WORKLIST_PAGE_SIZE


@pytest.mark.parametrize("rows", [10, 60])
def test_the_worklist_takes_the_same_queries_for_10_or_60_rows_per_section(
    client, officer_user, django_assert_max_num_queries, rows
):
    add_issues(rows, status=Status.FORWARDED, accepted=False)
    add_issues(rows, target_date=late())
    add_issues(rows)
    add_issues(rows, status=Status.PLANNED)
    client.force_login(officer_user)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("issues:worklist"))
    assert response.context["open_count"] == 4 * rows


def test_another_departments_issues_stay_off_the_worklist(client, officer_user):
    add_issues(3)
    garbage = IssueCategory.objects.get(code="garbage")
    Issue.objects.filter(pk__in=[i.pk for i in add_issues(40)]).update(
        category=garbage, department=garbage.default_department
    )
    client.force_login(officer_user)
    response = client.get(reverse("issues:worklist"))
    assert response.context["open_count"] == 3


# Follow-up board ----------------------------------------------------------------------


def _board_group(html: str, number: int) -> str:
    return part(html, f'aria-labelledby="c-{number}"', "</section>")


def test_the_board_folds_each_community_and_links_to_exactly_its_open_issues(client, kpt_user):
    on_time = add_issues(50, days_ago=100)
    overdue = add_issues(10, target_date=late(), days_ago=300)
    add_issues(4, status=Status.CLOSED)
    few = add_issues(3, community=2)
    client.force_login(kpt_user)
    html = client.get(reverse("issues:board")).content.decode()
    group = _board_group(html, 1)
    assert "(60 ·" in group and "เกินกำหนด 10 เรื่อง" in group  # 60, 10 overdue
    # The overdue first, then the newest.
    newest_first = sorted(on_time, key=lambda issue: issue.received_at, reverse=True)
    overdue_first = sorted(overdue, key=lambda issue: issue.received_at, reverse=True)
    expected = (overdue_first + newest_first)[: selectors.GROUP_FIRST_ROWS]
    assert linked_issues(group) == [issue.pk for issue in expected]
    # A short community is shown whole, without a link to more.
    assert linked_issues(_board_group(html, 2)) == [issue.pk for issue in reversed(few)]
    assert "?community=" not in _board_group(html, 2)
    # The link opens the issue list on exactly the community's 60 open issues.
    link = re.search(r'href="(/issues/\?community=[^"]*open=on)"', group).group(1)
    url = link.replace("&amp;", "&")
    seen = []
    while url:
        response = client.get(url)
        seen += [issue.pk for issue in response.context["page"].object_list]
        following = next_link(response.content.decode())
        url = reverse("issues:list") + following if following else None
    assert sorted(seen) == sorted(issue.pk for issue in on_time + overdue)
    assert len(seen) == 60


@pytest.mark.parametrize("rows", [10, 60])
def test_the_board_takes_the_same_queries_for_10_or_60_rows_per_community(
    client, kpt_user, django_assert_max_num_queries, rows
):
    for number in (1, 2, 3):
        add_issues(rows, community=number, target_date=late())
    client.force_login(kpt_user)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("issues:board"))
    assert response.context["open_count"] == 3 * rows
    assert response.content.decode().count('class="badge issue-in_progress"') == 15


# Meeting page -------------------------------------------------------------------------


@pytest.fixture
def meeting_day(staff_user):
    meeting = meeting_services.meeting_create(
        actor=staff_user,
        date=timezone.localdate(),
        venue="ห้องประชุม",
        start_time=datetime.time(9, 30),
    )
    return meeting_services.meeting_transition(meeting=meeting, to_status="held", actor=staff_user)


def _carried_group(html: str, number: int) -> str:
    return part(html, f'<tbody id="carried-{number}">', "</tbody>")


def test_the_meeting_page_folds_the_carried_forward_issues_by_community(
    client, staff_user, meeting_day
):
    carried = add_issues(60)
    others = add_issues(3, community=2)
    add_issues(5, status=Status.CLOSED, ended_at=timezone.now() - datetime.timedelta(days=3))
    client.force_login(staff_user)
    url = reverse("meetings:detail", args=[meeting_day.pk])
    html = client.get(url).content.decode()
    assert "เรื่องสืบเนื่องจากการประชุมครั้งก่อน 63 เรื่อง" in html
    group = _carried_group(html, 1)
    assert "60 เรื่อง" in part(group, "group-head", "</tr>")
    # The first rows of the group, in the minutes' order; the rest one link away.
    first = [issue.pk for issue in carried[: selectors.GROUP_FIRST_ROWS]]
    assert linked_issues(group) == first
    assert linked_issues(_carried_group(html, 2)) == [issue.pk for issue in others]
    show_all = re.search(r'href="(\?carried=1)#carried-1"', group).group(1)
    seen = []
    link = show_all
    while link:
        group = _carried_group(client.get(url + link).content.decode(), 1)
        seen += linked_issues(group)
        link = next_link(group)
    assert seen == [issue.pk for issue in carried]
    # Every issue of the minutes' list is on the page or its pages, none twice.
    listed = [row.issue.pk for row in selectors.carried_forward(meeting=meeting_day)]
    assert sorted(listed) == sorted(seen + [issue.pk for issue in others])


def test_the_meeting_page_pages_the_issues_raised_at_it(client, staff_user, meeting_day):
    raised = add_issues(60, meeting=meeting_day, days_ago=0)
    client.force_login(staff_user)
    url = reverse("meetings:detail", args=[meeting_day.pk])
    html = client.get(url, {"carried": 1}).content.decode()
    section = part(html, 'id="raised-heading"', "</section>")
    assert "(60)" in section
    seen = linked_issues(section)
    assert len(seen) == 2 * selectors.GROUP_PAGE_SIZE  # a link on the reference and the title
    link = next_link(section)
    assert "carried=1" in link and "raised_page=2" in link
    seen += linked_issues(
        part(client.get(url + link).content.decode(), 'id="raised-heading"', "</section>")
    )
    assert sorted(set(seen)) == sorted(issue.pk for issue in raised)
    assert len(seen) == 2 * 60


def test_a_leader_reads_every_carried_forward_issue_but_opens_only_their_own(
    client, leader_user, meeting_day
):
    add_issues(8, community=1)
    theirs_not = add_issues(8, community=2)
    client.force_login(leader_user)
    url = reverse("meetings:detail", args=[meeting_day.pk])
    html = client.get(url, {"carried": 2}).content.decode()
    group = _carried_group(html, 2)
    assert linked_issues(group) == []
    assert all(issue.reference in group for issue in theirs_not)
    assert len(linked_issues(_carried_group(html, 1))) == selectors.GROUP_FIRST_ROWS


@pytest.mark.parametrize("rows", [10, 60])
def test_the_meeting_page_takes_the_same_queries_for_10_or_60_rows(
    client, staff_user, meeting_day, django_assert_max_num_queries, rows
):
    for number in (1, 2, 3):
        add_issues(rows, community=number)
    add_issues(rows, meeting=meeting_day, days_ago=0)
    client.force_login(staff_user)
    url = reverse("meetings:detail", args=[meeting_day.pk])
    with django_assert_max_num_queries(21):
        client.get(url)
    with django_assert_max_num_queries(22):
        response = client.get(url, {"carried": 2, "carried_page": 2, "raised_page": 2})
    assert sum(group.count for group in response.context["carried_groups"]) == 3 * rows


def test_status_badges_follow_the_readers_language(client, kpt_user, settings):
    add_issues(2, target_date=late())
    client.force_login(kpt_user)
    thai = client.get(reverse("issues:board")).content.decode()
    assert '<span class="badge issue-in_progress">กำลังดำเนินการ</span>' in thai
    assert '<span class="badge overdue">เกินกำหนด</span>' in thai
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        english = client.get(reverse("issues:board")).content.decode()
    finally:
        # The request left English active in this thread: the next tests read Thai.
        translation.activate(settings.LANGUAGE_CODE)
    assert '<span class="badge issue-in_progress">In progress</span>' in english
    assert '<span class="badge overdue">overdue</span>' in english
    assert f'href="/issues/{Issue.objects.first().pk}/"' in english
