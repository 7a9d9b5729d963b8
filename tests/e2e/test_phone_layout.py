"""On a phone (390 px, the width of most phones in the municipality's hands) the issue
list shows its first issue on the first screen, and no page of tables needs sideways
scrolling: the rows read as cards, each figure named. Wide screens keep the tables."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from communities.models import Community
from demo.issue_history import demo_issues_create
from demo.meeting_history import demo_meetings_create
from demo.people import demo_data_create
from tests.factories import PASSWORD

PHONE = {"width": 390, "height": 844}

# Whatever on the page scrolls sideways: the page itself, or a box inside it.
SIDEWAYS = """() => [document.documentElement, ...document.querySelectorAll('body *')]
  .filter(el => el.scrollWidth > el.clientWidth + 1
    && (el === document.documentElement || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)))
  .map(el => el === document.documentElement ? 'the page'
    : `${el.tagName.toLowerCase()}.${el.className} (${el.scrollWidth} px in ${el.clientWidth})`)"""


@pytest.fixture
def demo(reference_data):
    demo_data_create(password=PASSWORD)
    demo_meetings_create()
    demo_issues_create()


def test_the_first_issue_is_on_the_first_screen_of_a_phone(page, log_in, demo):
    page.set_viewport_size(PHONE)
    for role in ("staff", "leader", "officer"):
        page.context.clear_cookies()
        log_in(role)
        page.goto(reverse("issues:list"))
        first = page.locator("table tbody tr").first
        title = first.get_by_role("link").nth(1)
        expect(title).to_be_in_viewport(ratio=1)
        assert first.bounding_box()["y"] < PHONE["height"], role
        # Folded, the filters say how many are set.
        summary = page.locator("summary", has_text="ตัวกรอง")
        expect(summary).to_have_text("ตัวกรอง")
        expect(page.get_by_label("ชุมชน", exact=True)).to_be_hidden()
    # The filter takes the community's id, which is not its number once the
    # reference data has been loaded again by an earlier test.
    community = Community.objects.get(number=1)
    page.goto(reverse("issues:list") + f"?open=on&community={community.pk}")
    expect(summary).to_have_text("ตัวกรอง (2)")
    summary.click()
    expect(page.locator("details.filter-fold")).to_have_attribute("open", "")
    expect(page.get_by_label("ชุมชน", exact=True)).to_be_visible()


def test_no_table_scrolls_sideways_on_a_phone(page, log_in, demo):
    page.set_viewport_size(PHONE)
    log_in("admin")
    for path in (
        reverse("issues:list"),
        reverse("reports:department", args=["ENG"]),
        reverse("reports:dashboard"),
        reverse("reports:monthly", args=[2026, 11]),
        reverse("meetings:list"),
        reverse("accounts:user_list"),
        reverse("reports:open_data"),
    ):
        page.goto(path)
        # The trend chart scrolls on purpose: its months stay wide enough to read,
        # and the table under it gives the same figures.
        sideways = [
            box for box in page.evaluate(SIDEWAYS) if not box.startswith("div.chart-scroll")
        ]
        assert sideways == [], path
    # Each figure of a row is named by its column (the open data, read last).
    expect(page.locator("td[data-label]").first).to_be_visible()
    label = page.locator("td[data-label]").first.evaluate(
        "el => getComputedStyle(el, '::before').content"
    )
    assert label == '"รับแจ้ง"'


def test_wide_screens_keep_the_tables_and_the_open_filters(page, log_in, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in("staff")
    page.goto(reverse("issues:list"))
    expect(page.get_by_label("ชุมชน", exact=True)).to_be_visible()
    expect(page.locator("summary", has_text="ตัวกรอง")).to_be_hidden()
    expect(page.get_by_role("columnheader", name="ส่วนราชการ")).to_be_visible()
    expect(page.get_by_role("button", name="ส่งส่วนราชการ")).to_be_visible()
