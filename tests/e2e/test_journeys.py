"""The work of each role, done in a real browser, in Thai, as people do it."""

import datetime
import re

from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from communities.models import Community, IssueCategory
from core.thaidates import format_date
from issues import services as issue_services
from issues.models import Issue, Status
from meetings import services as meeting_services
from meetings.models import Meeting


def _issue(actor, *, community_number=1, category="road", title, **fields) -> Issue:
    return issue_services.issue_create(
        actor=actor,
        community=Community.objects.get(number=community_number),
        category=IssueCategory.objects.get(code=category),
        title=title,
        **fields,
    )


# A bound, not a timing: the test server renders one request at a time, and while
# the suite runs in parallel (pytest-xdist) the other workers share the CPU, so the
# viewer's request and the download's may each wait for a whole WeasyPrint render.
PDF_TIMEOUT_MS = 60_000


def _download_pdf(page, link, url_pattern: str) -> bytes:
    """Click a PDF link, check the server answered with a PDF, and return the file.

    The PDFs are served inline and Chromium shows them in its viewer, whose page
    stands in for the response body; the file itself is fetched again with the
    same session, as "save as" would."""
    with page.expect_response(re.compile(url_pattern), timeout=PDF_TIMEOUT_MS) as pdf:
        link.click()
    response = pdf.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    download = page.request.get(response.url, timeout=PDF_TIMEOUT_MS)
    assert download.headers["content-type"] == "application/pdf"
    content = download.body()
    assert content.startswith(b"%PDF-")
    return content


def test_staff_run_the_months_meeting(page, log_in, step, staff_user, hundred_participants):
    today = timezone.localdate()
    log_in("staff")
    step("home")

    # The month's meeting, today.
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="การประชุม").click()
    page.get_by_role("link", name="สร้างการประชุม").click()
    page.get_by_label("วันที่").fill(today.isoformat())
    page.get_by_label("เวลาเริ่มประชุม").fill("09:30")
    page.get_by_label("สถานที่ประชุม").fill("ห้องประชุมเทศบาลนครหัวหิน ชั้น 3")
    step("new-meeting")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    expect(page.get_by_role("status")).to_contain_text(meeting.number_label)
    expect(page.locator(".lead")).to_contain_text(format_date(today, language="th"))
    step("meeting-created")

    # The attendance roll: everyone starts absent, each community folded.
    page.get_by_role("link", name="บัญชีลงชื่อผู้เข้าประชุม").click()
    people = page.locator("[data-count=present]")
    communities = page.locator("[data-count=communities]")
    expect(people).to_have_text("0")
    community_3, community_7 = (Community.objects.get(number=n) for n in (3, 7))

    # Filter to one community and mark its whole group present.
    search = page.get_by_label("ค้นหาชื่อหรือชุมชน")
    search.fill(community_3.name)
    expect(page.locator(".roll-row:visible")).to_have_count(2)
    page.locator('[data-group="community-3"]').get_by_role(
        "button", name="ทำเครื่องหมายมาประชุมทั้งกลุ่ม"
    ).click()
    expect(people).to_have_text("2")
    expect(communities).to_have_text("1")
    step("community-3-present")

    # Another community by keyboard alone: Enter in the filter jumps to the first
    # person's choice; arrow keys move between choices; Tab goes on to the next person.
    search.fill(community_7.name)
    search.press("Enter")
    chair_absent = page.get_by_role("group", name="ประธาน 7").get_by_role("radio", name="ไม่มาประชุม")
    expect(chair_absent).to_be_focused()
    for _key in range(3):
        page.keyboard.press("ArrowUp")  # absent → represented → late → present
    expect(
        page.get_by_role("group", name="ประธาน 7").get_by_role("radio", name="มาประชุม", exact=True)
    ).to_be_checked()
    page.keyboard.press("Tab")  # the committee member's choices (a note only for the absent)
    committee = page.get_by_role("group", name="กรรมการ 7")
    expect(committee.get_by_role("radio", name="ไม่มาประชุม")).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # late
    expect(committee.get_by_role("radio", name="มาสาย")).to_be_checked()
    expect(people).to_have_text("4")
    expect(communities).to_have_text("2")

    # The officials (six executives, ten departments), unfiltered: open their group.
    search.fill("")
    officials = page.locator('[data-group="officials"]')
    officials.locator("summary").click()
    officials.get_by_role("button", name="ทำเครื่องหมายมาประชุมทั้งกลุ่ม").click()
    expect(people).to_have_text("20")
    step("roll-ticked")

    page.get_by_role("button", name="บันทึกบัญชีลงชื่อ").click()
    expect(page.get_by_role("status")).to_contain_text("บันทึก")
    expect(people).to_have_text("20")
    expect(communities).to_have_text("2")
    step("roll-saved")
    assert meeting.attendances.filter(status="present").count() == 19
    assert meeting.attendances.filter(status="late").count() == 1

    page.get_by_role("link", name=f"ครั้งที่ {meeting.number_label}").click()
    expect(page.locator(".summary .stat").first).to_have_text("2/42")

    # Two issues raised at the meeting, from the quick-add form under its issues.
    raised = page.get_by_role("region", name=re.compile("ปัญหาที่แจ้งในการประชุมครั้งนี้"))
    quick_add = raised.locator("details.quick-add")
    for community, category, title in (
        (community_3, "ถนน ทางเท้า", "ถนนชำรุดเป็นหลุมบ่อหน้าโรงเรียน"),
        (community_7, "ไฟฟ้าส่องสว่างสาธารณะ", "ไฟฟ้าส่องสว่างดับทั้งซอย"),
    ):
        quick_add.get_by_label("ชุมชน").select_option(label=str(community))
        quick_add.get_by_label("หมวดปัญหา").select_option(label=category)
        quick_add.get_by_label("ปัญหา", exact=True).fill(title)
        quick_add.get_by_label("ผู้แจ้ง").fill(f"ประธาน {community.number}")
        quick_add.get_by_role("button", name="บันทึกปัญหา").click()
        # Back on the meeting, the issue is listed and was sent to the engineers.
        expect(raised.locator("tbody")).to_contain_text(title)
        expect(page.get_by_role("status")).to_contain_text("สำนักการช่าง")
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    expect(raised.locator("tbody tr")).to_have_count(2)
    step("issues-logged")
    assert set(meeting.issues.values_list("status", flat=True)) == {Status.FORWARDED}

    page.get_by_role("button", name="บันทึกสถานะเป็น “ประชุมแล้ว”").click()
    expect(page.locator(".lead .badge")).to_have_text("ประชุมแล้ว")
    step("meeting-held")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_officer_starts_work_with_a_photo(page, log_in, step, staff_user, officer_user, tmp_path):
    issue = _issue(staff_user, title="ท่อระบายน้ำอุดตันหน้าตลาด", category="drainage")
    assert issue.department.code == "ENG"
    photo = tmp_path / "drain.png"
    Image.new("RGB", (320, 240), (40, 120, 200)).save(photo)
    target = timezone.localdate() + datetime.timedelta(days=14)

    log_in("officer")
    page.get_by_role("link", name="งานของส่วนราชการ").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("งานของส่วนราชการ")
    step("worklist")
    page.get_by_role("link", name=issue.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(issue.title)
    page.get_by_role("link", name="บันทึกความคืบหน้าหรือเปลี่ยนสถานะ").click()

    page.get_by_label("สถานะใหม่").select_option(label="กำลังดำเนินการ")
    page.get_by_label("ความคืบหน้า").fill("ลงพื้นที่แล้ว เริ่มลอกท่อระบายน้ำ")
    page.get_by_label("กำหนดแล้วเสร็จ").fill(target.isoformat())
    page.get_by_label("เหตุผลที่กำหนดวันเอง").fill("ท่ออุดตันไม่มาก ลอกได้ภายในสองสัปดาห์")
    page.get_by_label("ภาพถ่าย").set_input_files(photo)
    step("update-form")
    page.get_by_role("button", name="บันทึก", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator(".lead .badge").first).to_have_text("กำลังดำเนินการ")
    expect(page.locator(".facts")).to_contain_text(format_date(target, language="th"))
    thumbnail = page.locator(".timeline img").first
    expect(thumbnail).to_be_visible()
    # Shown is not yet loaded: wait for the file, then check it decoded to a picture.
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth > 0")
    step("in-progress")
    issue.refresh_from_db()
    assert (issue.status, issue.target_date) == (Status.IN_PROGRESS, target)


def test_follow_up_team_records_a_survey(page, log_in, step, staff_user, kpt_user):
    issue = _issue(
        staff_user,
        community_number=12,
        category="trees",
        title="กิ่งไม้พาดสายไฟ เสี่ยงอันตราย",
        follow_up_team=True,
    )
    today = timezone.localdate()

    log_in("kpt")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role(
        "link", name="กระดานติดตาม คปต."
    ).click()
    step("board")
    page.get_by_role("link", name=re.compile(issue.title)).click()
    page.get_by_role("link", name="บันทึกการลงพื้นที่สำรวจ").click()
    page.get_by_label("วันที่ลงพื้นที่").fill(today.isoformat())
    page.get_by_label("ผู้ร่วมลงพื้นที่").fill("นายปิยะ ติดตามงาน, นางสาวกมลา สำรวจดี")
    page.get_by_label("ผลการสำรวจ").fill("กิ่งไม้ใหญ่พาดสายไฟแรงต่ำ 3 จุด")
    page.get_by_label("ข้อเสนอแนะ").fill("ประสานการไฟฟ้าส่วนภูมิภาคตัดกิ่งไม้")
    step("survey-form")
    page.get_by_role("button", name="บันทึกผลการสำรวจ").click()

    expect(page).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator(".lead .badge").first).to_have_text("ลงพื้นที่สำรวจ")
    expect(page.locator(".timeline")).to_contain_text("กิ่งไม้ใหญ่พาดสายไฟแรงต่ำ 3 จุด")
    step("surveyed")
    issue.refresh_from_db()
    assert issue.status == Status.SURVEYED
    assert issue.updates.filter(survey__isnull=False).count() == 1


def test_leader_reads_the_progress_report(page, log_in, step, staff_user, leader_user):
    issue = _issue(staff_user, title="ถนนชำรุดเป็นหลุมบ่อ", location_text="ซอยหัวหิน 51")
    issue_services.issue_update(
        issue=issue,
        actor=staff_user,
        version=None,
        to_status=Status.IN_PROGRESS,
        note="ผู้รับจ้างเข้าซ่อมผิวถนนแล้ว",
    )
    issue_services.issue_update(
        issue=issue, actor=staff_user, version=None, note="บันทึกภายใน", is_public=False
    )
    _issue(staff_user, community_number=2, title="ปัญหาของชุมชนอื่น")

    log_in("leader")
    page.get_by_role("link", name="รายงานความคืบหน้า").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("รายงานความคืบหน้า")
    report = page.locator("main")
    expect(report).to_contain_text(issue.title)
    expect(report).to_contain_text("ผู้รับจ้างเข้าซ่อมผิวถนนแล้ว")
    expect(report).not_to_contain_text("บันทึกภายใน")
    expect(report).not_to_contain_text("ปัญหาของชุมชนอื่น")
    step("report")
    _download_pdf(page, page.get_by_role("link", name="พิมพ์ (PDF)"), r"/reports/communities/1\.pdf$")


def test_admin_downloads_the_monthly_summary(page, log_in, step, admin_user, staff_user):
    today = timezone.localdate()
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=today, start_time=datetime.time(9, 30), venue="ห้องประชุม"
    )
    meeting_services.meeting_transition(
        meeting=meeting, to_status=Meeting.Status.HELD, actor=staff_user
    )
    _issue(staff_user, title="ไฟฟ้าส่องสว่างดับหลายจุด", category="street_light", meeting=meeting)

    log_in("admin")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="ตัวชี้วัด").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ตัวชี้วัดการพัฒนาเมือง")
    expect(page.locator(".kpi-cards .stat").first).to_have_text("1")
    step("dashboard")
    page.get_by_role("link", name="สรุปประจำเดือน").click()
    expect(page).to_have_url(re.compile(rf"/reports/monthly/{today:%Y-%m}/$"))
    expect(page.locator("main")).to_contain_text(f"ครั้งที่ {meeting.number_label}")
    step("monthly-summary")
    pdf = _download_pdf(
        page, page.get_by_role("link", name="พิมพ์ (PDF)"), rf"/reports/monthly/{today:%Y-%m}\.pdf$"
    )
    assert len(pdf) > 1000
