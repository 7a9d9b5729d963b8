"""WCAG 2.1 A and AA on the main pages of every role, checked by axe-core in the browser.

axe-core comes from the npm registry (``package.json``; ``npm ci`` or ``make
e2e-deps`` installs it). The pages are filled with the demo data — a year of
meetings with attendance and minutes, issues at every stage — plus one issue
with a survey, photos and a target date, so that every part of a page is there
to be checked.
"""

import datetime
import io
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from communities.models import Community, IssueCategory
from demo.issue_history import demo_issues_create
from demo.meeting_history import demo_meetings_create
from demo.people import demo_data_create
from issues import services as issue_services
from issues.models import Status
from meetings.models import Meeting
from tests.factories import PASSWORD

from .conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def browser_context_args():
    # The content security policy admits only our own script files; axe is
    # injected into the page by the test, so the policy is set aside for it.
    return {"bypass_csp": True}


@pytest.fixture
def axe(page):
    """``axe("/path/")`` opens the page and returns axe-core's WCAG 2.1 A/AA violations."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (or `make e2e-deps`)")

    def run(path: str) -> list[str]:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        return _violations(page)

    return run


def _violations(page) -> list[str]:
    """Run axe-core on the page as it is now; describe each violation on a few lines."""
    page.add_script_tag(path=AXE)
    result = page.evaluate(
        # Details of the violations only: the passes of a 100-person roll take long.
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    path = urlsplit(page.url).path
    return [_describe(path, violation) for violation in result["violations"]]


def _assert_none(violations: list[str]) -> None:
    assert not violations, "\n" + "\n".join(violations)


def _describe(path: str, violation: dict) -> str:
    lines = [f"{path} — {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"][:5]:
        target = " ".join(map(str, node["target"]))
        lines.append(f"    {target}: {node['failureSummary'].splitlines()[-1].strip()}")
    if len(violation["nodes"]) > 5:
        lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def demo(reference_data):
    """The demo accounts and data, and one issue of community 1 routed to the
    engineering department that has been through a survey and work with photos."""
    demo_data_create(password=PASSWORD)
    demo_meetings_create()
    demo_issues_create()
    users = {user.username: user for user in get_user_model().objects.all()}
    issue = issue_services.issue_create(
        actor=users["staff"],
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="drainage"),
        title="ท่อระบายน้ำอุดตัน น้ำท่วมขังเมื่อฝนตก",
        description="น้ำท่วมขังสูงประมาณ 20 ซม. ทุกครั้งที่ฝนตกหนัก",
        location_text="ซอยหัวหิน 51",
        raised_by="ประธานชุมชน",
        follow_up_team=True,
    )
    issue_services.survey_record(
        issue=issue,
        actor=users["kpt"],
        version=None,
        survey_date=timezone.localdate(),
        team_members="นายปิยะ ติดตามงาน",
        findings="ท่อระบายน้ำอุดตันด้วยเศษดินและขยะ",
        recommendation="ลอกท่อระบายน้ำตลอดแนวซอย",
        photos=[_png("survey.png")],
    )
    issue = issue_services.issue_update(
        issue=issue,
        actor=users["officer"],
        version=None,
        to_status=Status.IN_PROGRESS,
        note="เริ่มลอกท่อระบายน้ำแล้ว",
        target_date=timezone.localdate() + datetime.timedelta(days=14),
        target_reason="ท่ออุดตันไม่มาก ลอกได้ภายในสองสัปดาห์",
        photos=[_png("work.png")],
    )
    meetings = Meeting.objects.order_by("-date")
    return {
        "issue": issue,
        # The newest meeting held, whose minutes are still open, for the staff;
        # leaders read published minutes only.
        "meeting": meetings.filter(status=Meeting.Status.HELD).first(),
        "published": meetings.filter(status=Meeting.Status.PUBLISHED).first(),
    }


def _pages(role: str, issue, meeting, published) -> list[str]:
    month = {"year": meeting.date.year, "month": meeting.date.month}
    pages = {
        "admin": [
            reverse("home"),
            reverse("reports:dashboard"),
            reverse("reports:monthly", kwargs=month),
            reverse("communities:list"),
            reverse("issues:board"),
            reverse("accounts:user_list"),
            reverse("accounts:user_create"),
        ],
        "staff": [
            reverse("home"),
            reverse("meetings:list"),
            reverse("meetings:detail", args=[meeting.pk]),
            reverse("meetings:attendance", args=[meeting.pk]),
            reverse("meetings:minutes", args=[meeting.pk]),
            reverse("meetings:create"),
            reverse("issues:list"),
            reverse("issues:create"),
            reverse("issues:detail", args=[issue.pk]),
            reverse("issues:update", args=[issue.pk]),
            reverse("profile:page"),
        ],
        "officer": [
            reverse("home"),
            reverse("issues:worklist"),
            reverse("issues:detail", args=[issue.pk]),
            reverse("issues:update", args=[issue.pk]),
            reverse("reports:department", args=["ENG"]),
        ],
        "kpt": [
            reverse("home"),
            reverse("issues:board"),
            reverse("issues:detail", args=[issue.pk]),
            reverse("issues:survey", args=[issue.pk]),
            reverse("reports:dashboard"),
        ],
        "leader": [
            reverse("home"),
            reverse("issues:list"),
            reverse("issues:detail", args=[issue.pk]),
            reverse("issues:submit"),
            reverse("reports:community_detail", args=[1]),
            reverse("reports:community", args=[1]),
            reverse("meetings:list"),
            reverse("meetings:detail", args=[published.pk]),
            reverse("profile:page"),
        ],
    }
    return pages[role]


def _phone_pages(issue, meeting, published) -> dict[str, list[str]]:
    """Pages with wide tables: they scroll sideways on a phone, or read as cards."""
    month = {"year": meeting.date.year, "month": meeting.date.month}
    return {
        "leader": [
            reverse("home"),
            reverse("issues:list"),
            reverse("issues:detail", args=[issue.pk]),
            reverse("reports:community_detail", args=[1]),
            reverse("reports:community", args=[1]),
            reverse("meetings:detail", args=[published.pk]),
            reverse("profile:page"),
        ],
        "admin": [
            reverse("reports:dashboard"),
            reverse("reports:monthly", kwargs=month),
            reverse("reports:department", args=["ENG"]),
            reverse("reports:open_data"),
        ],
        # The issue list folds its filters and bulk actions and stacks its rows.
        "staff": [reverse("issues:list")],
    }


def test_main_pages_of_every_role(page, axe, log_in, demo):
    # One test for all roles: the demo data takes seconds to make, and the database
    # is flushed after every test.
    violations = []
    for role in ("admin", "staff", "officer", "kpt", "leader"):
        page.context.clear_cookies()
        log_in(role)
        for path in _pages(role, **demo):
            violations += [f"[{role}] {violation}" for violation in axe(path)]
    # At WCAG's reflow width (320 px) the tables scroll sideways; a keyboard must be
    # able to scroll them too.
    page.set_viewport_size({"width": 320, "height": 640})
    for role, paths in _phone_pages(**demo).items():
        page.context.clear_cookies()
        log_in(role)
        for path in paths:
            violations += [f"[{role}, 320 px] {violation}" for violation in axe(path)]
    _assert_none(violations)


def test_form_errors_are_announced(page, axe, log_in, staff_user):
    """A form sent back with errors puts the focus on the first field to fix, which
    names its error; the page stays free of violations."""
    log_in("staff")
    _assert_none(axe(reverse("meetings:create")))
    page.get_by_role("button", name="บันทึก", exact=True).click()
    date = page.get_by_label("วันที่")
    expect(date).to_be_focused()
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_accessible_description("ฟิลด์นี้จำเป็น")
    _assert_none(_violations(page))


def test_login_error_is_announced(page, axe):
    _assert_none(axe(reverse("login")))
    page.get_by_label("ชื่อผู้ใช้").fill("nobody")
    page.get_by_label("รหัสผ่าน").fill("wrong-password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("ไม่ถูกต้อง")
    expect(alert).to_be_focused()
    _assert_none(_violations(page))


def test_skip_link_by_keyboard(page, log_in, staff_user):
    log_in("staff")
    page.goto(reverse("issues:list"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="ข้ามไปยังเนื้อหา")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
