"""The officer's worklist in a real browser: accept a new issue in one press."""

from playwright.sync_api import expect

from communities.models import Community, IssueCategory
from issues import services as issue_services
from issues.models import Issue


def test_the_officer_accepts_a_new_issue_from_the_worklist(page, log_in, staff_user, officer_user):
    issue = issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=5),
        category=IssueCategory.objects.get(code="road"),
        title="ถนนทรุดหน้าวัด",
    )
    log_in("officer")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role(
        "link", name="งานของส่วนราชการ"
    ).click()
    new = page.locator("#section-to_accept")
    expect(new.get_by_role("heading", level=2)).to_contain_text("เรื่องใหม่ รอตอบรับ")
    expect(new.get_by_role("link", name="ถนนทรุดหน้าวัด")).to_be_visible()
    new.get_by_role("button", name=f"ตอบรับเรื่อง {issue.reference}").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(new.get_by_text("ไม่มี", exact=True)).to_be_visible()
    working = page.locator("#section-in_progress")
    expect(working.get_by_role("link", name="ถนนทรุดหน้าวัด")).to_be_visible()
    issue = Issue.objects.get(pk=issue.pk)
    assert issue.accepted_by == officer_user
