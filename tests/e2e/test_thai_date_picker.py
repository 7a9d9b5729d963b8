"""The Buddhist-Era date input in a real browser: typed, and picked from the Thai calendar."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from core.thaidates import BE_OFFSET, THAI_MONTHS
from meetings.models import Meeting


def _be(day: datetime.date) -> str:
    return f"{day.day}/{day.month}/{day.year + BE_OFFSET}"


def _next_month(day: datetime.date, on: int) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=on)


def test_staff_pick_the_meeting_date_from_the_thai_calendar(page, log_in, step, staff_user):
    today = timezone.localdate()
    log_in("staff")
    page.goto("/meetings/new/")
    date = page.get_by_role("textbox", name="วันที่")
    expect(date).to_have_attribute("placeholder", "วว/ดด/ปปปป")

    # By keyboard: open, one day on, Enter fills the input.
    opener = page.get_by_role("button", name="เปิดปฏิทิน")
    opener.click()
    calendar = page.get_by_role("dialog", name="ปฏิทิน")
    expect(calendar).to_be_visible()
    expect(calendar.get_by_role("heading")).to_have_text(
        f"{THAI_MONTHS[today.month - 1]} {today.year + BE_OFFSET}"
    )
    step("calendar-open")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(calendar).to_be_hidden()
    expect(date).to_have_value(_be(today + datetime.timedelta(days=1)))
    expect(date).to_be_focused()

    # Escape closes without a change and gives the focus back to the button.
    opener.click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(calendar).to_be_hidden()
    expect(opener).to_be_focused()
    expect(date).to_have_value(_be(today + datetime.timedelta(days=1)))

    # By pointer: next month, day 15.
    chosen = _next_month(today, 15)
    opener.click()
    calendar.get_by_role("button", name="เดือนถัดไป").click()
    expect(calendar.get_by_role("heading")).to_have_text(
        f"{THAI_MONTHS[chosen.month - 1]} {chosen.year + BE_OFFSET}"
    )
    calendar.get_by_role(
        "button", name=re.compile(rf" 15 {THAI_MONTHS[chosen.month - 1]} ")
    ).click()
    expect(date).to_have_value(_be(chosen))
    step("date-picked")

    page.get_by_label("เวลาเริ่มประชุม").fill("09:30")
    page.get_by_label("สถานที่ประชุม").fill("ห้องประชุมเทศบาลนครหัวหิน ชั้น 3")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    assert (meeting.date, meeting.start_time) == (chosen, datetime.time(9, 30))


def test_a_christian_era_year_typed_is_explained(page, log_in, staff_user):
    log_in("staff")
    page.goto("/meetings/new/")
    page.get_by_role("textbox", name="วันที่").fill("4/2/2026")
    page.get_by_label("สถานที่ประชุม").fill("ห้องประชุม")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.get_by_text("ค.ศ. 2026 คือ พ.ศ. 2569")).to_be_visible()
    expect(page.get_by_role("textbox", name="วันที่")).to_have_value("4/2/2026")
    assert not Meeting.objects.exists()
