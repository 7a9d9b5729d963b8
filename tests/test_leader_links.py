"""What a community leader may read (SPEC §2): held and published meetings with their
summaries, every issue of their own community, and every link a page or the LINE
summary gives them opens for them."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, IssueCategory
from issues import services as issue_services
from issues.models import Status
from meetings import services as meeting_services
from tests.meetings.conftest import image_upload

pytestmark = pytest.mark.django_db


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img" and attrs.get("src"):
            self.links.append(attrs["src"])


def internal_links(page_url: str, html: str) -> set[str]:
    """Every link of ``html`` that points into the site, as a path with its query."""
    parser = _Links()
    parser.feed(html)
    found = set()
    for href in parser.links:
        if href.startswith(("#", "mailto:", "tel:")):
            continue
        url = urlsplit(urljoin(f"http://testserver{page_url}", href))
        if url.netloc != "testserver" or url.path.startswith("/static/"):
            continue
        found.add(url.path + (f"?{url.query}" if url.query else ""))
    return found


# The leader's pages, whose every link is followed: home, the meetings list, a
# meeting, the issues list and an issue. Pages they lead to elsewhere (a community's
# page, a photo, a report) are opened and checked, not crawled further.
CRAWLED = re.compile(r"^/(meetings/(\d+/)?|issues/(\d+/)?)?$")


def crawl(client, start: list[str], limit: int = 400) -> dict[str, int]:
    """Open every internal link of the leader's pages reachable from ``start`` as
    ``client``'s user; return the status of each page opened."""
    seen: dict[str, int] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        path, _, query = url.partition("?")
        if (
            response.status_code == 200
            and CRAWLED.match(path)
            # One step of a list's filters (another year, the next page), not a walk.
            and not query
            and response.get("Content-Type", "").startswith("text/html")
        ):
            queue.extend(internal_links(url, response.content.decode()) - set(seen))
    assert len(seen) < limit, "the crawl did not end"
    return seen


def _meeting(staff, day, *statuses):
    meeting = meeting_services.meeting_create(
        actor=staff, date=day, venue="ห้องประชุมเทศบาล", start_time=datetime.time(9, 30)
    )
    return _advance(staff, meeting, *statuses)


def _advance(staff, meeting, *statuses, approved_at=None):
    for status in statuses:
        meeting = meeting_services.meeting_transition(
            meeting=meeting,
            to_status=status,
            actor=staff,
            approved_at=approved_at if status == "approved" else None,
        )
    return meeting


@pytest.fixture
def record(staff_user, officer_user, leader_user):
    """A draft meeting next week, one held today and one published yesterday, with
    issues of every community raised at them and carried forward."""
    today = timezone.localdate()
    # Created in date order: a number in approved minutes never moves.
    approved = _meeting(staff_user, today - datetime.timedelta(days=2))
    published = _meeting(staff_user, today - datetime.timedelta(days=1))
    held = _meeting(staff_user, today, "held")
    draft = _meeting(staff_user, today + datetime.timedelta(days=7))
    published = _advance(staff_user, published, "held", "approved", "published", approved_at=held)
    # Approved at a meeting that is still a draft: the page names it without a link.
    approved = _advance(staff_user, approved, "held", "approved", approved_at=draft)
    meeting_services.photos_add(meeting=held, actor=staff_user, files=[image_upload()])
    road = IssueCategory.objects.get(code="road")
    earlier = timezone.now() - datetime.timedelta(days=30)
    issues = {}
    for community in Community.objects.filter(active=True):
        issues[community.number] = issue_services.issue_create(
            actor=staff_user,
            community=community,
            category=road,
            title=f"ถนนชำรุด ชุมชน {community.number}",
            meeting=published,
        )
    for community in Community.objects.filter(number__in=(1, 2, 3)):
        # Open before the meetings: carried forward into their agenda item ๓.
        issue_services.issue_create(
            actor=staff_user,
            community=community,
            category=road,
            title=f"ท่อระบายน้ำอุดตัน ชุมชน {community.number}",
            at=earlier,
        )
    for number in (1, 2):
        issue_services.issue_create(
            actor=staff_user,
            community=Community.objects.get(number=number),
            category=road,
            title=f"ไฟฟ้าส่องสว่างดับ ชุมชน {number}",
            meeting=held,
        )
    at_draft = issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=road,
        title="ทางเท้าทรุด",
        meeting=draft,
    )
    resolved = issues[1]
    resolved = issue_services.issue_update(
        issue=resolved,
        actor=officer_user,
        version=None,
        to_status=Status.IN_PROGRESS,
        note="เริ่มซ่อม",
        photos=[image_upload()],
    )
    resolved = issue_services.issue_update(
        issue=resolved,
        actor=officer_user,
        version=None,
        to_status=Status.RESOLVED,
        note="ซ่อมเสร็จ",
    )
    issue_services.issue_update(
        issue=resolved,
        actor=officer_user,
        version=None,
        note="บันทึกภายใน: ใช้งบซ่อมบำรุง",
        is_public=False,
        photos=[image_upload()],
    )
    return {
        "draft": draft,
        "held": held,
        "published": published,
        "approved": approved,
        "resolved": resolved,
        "at_draft": at_draft,
    }


def test_a_leader_reads_held_and_published_meetings_never_drafts(client, leader_user, record):
    client.force_login(leader_user)
    for name in ("held", "approved", "published"):
        response = client.get(record[name].get_absolute_url())
        assert response.status_code == 200, name
    assert client.get(record["draft"].get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("role", "draft_status"),
    [
        ("officer_user", 404),
        ("kpt_user", 404),
        ("leader_user", 404),
        ("staff_user", 200),
        ("admin_user", 200),
    ],
)
def test_every_role_reads_a_held_meetings_page_and_only_staff_a_draft(
    client, request, role, draft_status, record
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(record["held"].get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "ไฟฟ้าส่องสว่างดับ ชุมชน 2" in page  # the issues raised there
    assert "บันทึกภายใน" not in page  # the carried-forward notes are public ones
    assert client.get(record["draft"].get_absolute_url()).status_code == draft_status


def test_the_held_meetings_minutes_pdf_is_for_staff_until_published(
    client, leader_user, staff_user, record
):
    held_pdf = reverse("reports:minutes_pdf", args=[record["held"].pk])
    client.force_login(leader_user)
    assert client.get(held_pdf).status_code == 404
    response = client.get(record["held"].get_absolute_url())
    assert response.status_code == 200
    assert held_pdf not in response.content.decode()
    published_pdf = reverse("reports:minutes_pdf", args=[record["published"].pk])
    assert published_pdf in client.get(record["published"].get_absolute_url()).content.decode()
    client.force_login(staff_user)
    assert held_pdf in client.get(record["held"].get_absolute_url()).content.decode()


def test_the_meetings_list_and_home_list_the_years_held_meetings(client, leader_user, record):
    client.force_login(leader_user)
    for url in (reverse("meetings:list"), reverse("home")):
        page = client.get(url).content.decode()
        assert record["held"].get_absolute_url() in page, url
        assert record["draft"].get_absolute_url() not in page, url
        assert "ยังไม่มีการประชุมในปีงบประมาณนี้" not in page, url


@pytest.mark.parametrize("name", ["held", "published"])
def test_a_meeting_page_links_only_the_leaders_own_issues(client, leader_user, record, name):
    client.force_login(leader_user)
    response = client.get(record[name].get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    linked = set(re.findall(r'href="(/issues/\d+/)"', page))
    own = {issue.get_absolute_url() for issue in record[name].issues.filter(community__number=1)}
    assert own <= linked
    for url in linked:
        assert client.get(url).status_code == 200
    # Every other community's issue is still listed, as the record of the meeting.
    other = record[name].issues.exclude(community__number=1).first()
    assert other.title in page
    assert other.get_absolute_url() not in linked


def test_every_link_on_a_leaders_pages_opens_for_the_leader(client, leader_user, record):
    client.force_login(leader_user)
    start = [
        reverse("home"),
        reverse("meetings:list"),
        *(record[name].get_absolute_url() for name in ("held", "approved", "published")),
        record["resolved"].get_absolute_url(),
        record["at_draft"].get_absolute_url(),
    ]
    reached = crawl(client, start)
    refused = {url: status for url, status in reached.items() if status != 200}
    assert refused == {}
    # The crawl went through the meeting pages into the issues and their photos.
    assert any(url.startswith("/issues/") and "/photos/" in url for url in reached)
    assert any(url.startswith("/meetings/") and "/photos/" in url for url in reached)


def test_every_url_in_the_line_summary_opens_for_a_leader(client, staff_user, leader_user, record):
    for name in ("held", "approved", "published"):
        client.force_login(staff_user)
        response = client.get(reverse("reports:line_summary", args=[record[name].pk]))
        text = response.context["text"]
        urls = re.findall(r"https?://\S+", text)
        assert urls, name
        client.force_login(leader_user)
        for url in urls:
            parts = urlsplit(url)
            assert parts.netloc == "testserver"
            assert client.get(parts.path).status_code == 200, (name, url)


def test_an_issue_raised_at_a_draft_meeting_names_it_without_a_link(client, leader_user, record):
    client.force_login(leader_user)
    page = client.get(record["at_draft"].get_absolute_url()).content.decode()
    assert record["draft"].get_absolute_url() not in page
    assert record["draft"].number_label in page
