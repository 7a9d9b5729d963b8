"""A leader's problem from report to fix, in the browser: the leader reports it on a
phone with a photo, it is routed by its category at once, the officer resolves it,
the leader is told, and the leader confirms the fix, which closes it as fixed."""

import io

from PIL import Image
from playwright.sync_api import expect

from issues.models import Issue, Outcome, Status
from notifications.models import Notification

PHONE = {"width": 390, "height": 844}


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 140, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _log_out(page) -> None:
    page.get_by_role("button", name="ออกจากระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_leaders_report_is_routed_resolved_told_and_confirmed_fixed(
    page, log_in, step, leader_user, officer_user
):
    page.set_viewport_size(PHONE)
    log_in("leader")
    page.goto("/issues/submit/")
    page.get_by_label("หมวดปัญหา").select_option(label="ท่อระบายน้ำ น้ำท่วมขัง")
    page.get_by_label("หัวข้อ").fill("ท่อระบายน้ำอุดตันหน้าตลาดฉัตรไชย")
    page.get_by_label("รายละเอียด").fill("ฝนตกทุกครั้งน้ำท่วมขังหน้าร้านค้า")
    page.get_by_label("สถานที่").fill("หน้าตลาดฉัตรไชย")
    page.get_by_label("ภาพถ่าย").set_input_files(
        [{"name": "drain.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    step("report-filled")
    page.get_by_role("button", name="ส่ง", exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    step("report-sent")

    issue = Issue.objects.get(title="ท่อระบายน้ำอุดตันหน้าตลาดฉัตรไชย")
    # Routed by its category at once, and still waiting for staff to put it on an agenda.
    assert (issue.status, issue.department.code) == (Status.FORWARDED, "ENG")
    assert issue.awaiting_meeting
    assert issue.updates.filter(photos__isnull=False).exists()
    _log_out(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in("officer")
    page.goto(f"/issues/{issue.pk}/update/")
    page.get_by_label("สถานะใหม่").select_option(label="แก้ไขแล้ว")
    page.get_by_label("ความคืบหน้า").fill("ลอกท่อระบายน้ำเรียบร้อยแล้ว")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator(".timeline")).to_contain_text("ลอกท่อระบายน้ำเรียบร้อยแล้ว")
    step("resolved")
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED
    # The leader is told of the change: a notification row, for them.
    told = Notification.objects.filter(recipient=leader_user, issue=issue)
    assert told.exists()
    _log_out(page)

    page.set_viewport_size(PHONE)
    log_in("leader")
    page.goto(issue.get_absolute_url())
    page.get_by_role("button", name="แก้ไขแล้ว", exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    step("confirmed")
    issue.refresh_from_db()
    assert (issue.status, issue.outcome) == (Status.CLOSED, Outcome.FIXED)
    assert issue.updates.filter(actor=leader_user, to_status=Status.CLOSED).count() == 1
