"""Nothing typed is lost: adding a walk-in guest or a minutes sub-item keeps what
was typed elsewhere on the page, and leaving a page with unsaved changes asks."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Participant
from meetings import services as meeting_services
from meetings.models import Attendance
from tests.factories import ParticipantFactory


def _meeting(staff_user):
    return meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้องประชุมเทศบาล"
    )


def test_a_guest_added_keeps_the_roll_ticked_before(page, log_in, step, staff_user):
    meeting = _meeting(staff_user)
    mayor = ParticipantFactory(name="นายนพพร วุฒิกุล", role="executive", community=None)
    ParticipantFactory(name="นางสาวสุดา ใจงาม", role="council", community=None)
    log_in("staff")
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    page.get_by_role("link", name="ทุกคนมาประชุม").click()
    officials = page.locator('[data-group="officials"]')
    officials.locator("summary").click()
    page.get_by_role("group", name="นางสาวสุดา ใจงาม").get_by_text("มาสาย", exact=True).click()
    page.get_by_label("ชื่อผู้เข้าร่วมประชุม").fill("นายแขก รับเชิญ")
    page.get_by_label("ตำแหน่งหรือหน่วยงาน").fill("การไฟฟ้าส่วนภูมิภาคหัวหิน")
    step("guest-typed")
    page.get_by_role("button", name="เพิ่มผู้เข้าร่วมประชุม").click()
    expect(page.get_by_role("status").first).to_contain_text("นายแขก รับเชิญ")
    rows = Attendance.objects.filter(meeting=meeting)
    assert rows.get(participant=mayor).status == "present"
    assert rows.get(participant__name="นางสาวสุดา ใจงาม").status == "late"
    guest = Participant.objects.get(name="นายแขก รับเชิญ")
    assert rows.get(participant=guest).status == "present"
    expect(page.locator("[data-count=present]")).to_have_text("3")


def test_a_sub_item_added_keeps_the_minutes_typed_before(page, log_in, step, staff_user):
    meeting = _meeting(staff_user)
    log_in("staff")
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.get_by_label("สาระการประชุม").first.fill("ประธานแจ้งกำหนดการงานลอยกระทง")
    page.get_by_label("ภายใต้ระเบียบวาระ").select_option(index=3)
    page.get_by_role("textbox", name="หัวข้อย่อย").fill("ไฟส่องสว่างซอยหัวหิน 5")
    step("minutes-typed")
    page.get_by_role("button", name="เพิ่ม", exact=True).click()
    expect(page.get_by_role("status").first).to_be_visible()
    expect(page.get_by_label("สาระการประชุม").first).to_have_value("ประธานแจ้งกำหนดการงานลอยกระทง")
    expect(page.get_by_role("group", name="4.1 ไฟส่องสว่างซอยหัวหิน 5")).to_be_visible()
    announcements = meeting.agenda_items.get(order=1, parent=None)
    assert announcements.discussion == "ประธานแจ้งกำหนดการงานลอยกระทง"
    assert (
        meeting.agenda_items.get(order=4, parent=None).sub_items.get().title == "ไฟส่องสว่างซอยหัวหิน 5"
    )


def test_leaving_a_page_with_unsaved_changes_asks_first(page, log_in, staff_user):
    meeting = _meeting(staff_user)
    log_in("staff")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    minutes_url = f"/meetings/{meeting.pk}/minutes/"
    page.goto(minutes_url)
    # Unchanged: leaving does not ask.
    page.get_by_role("link", name=f"ครั้งที่ {meeting.number_label}").first.click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    assert asked == []

    page.goto(minutes_url)
    page.get_by_label("สาระการประชุม").first.fill("ยังไม่ได้บันทึก")
    page.get_by_role("link", name=f"ครั้งที่ {meeting.number_label}").first.click()
    expect(page.get_by_label("สาระการประชุม").first).to_have_value("ยังไม่ได้บันทึก")
    assert asked == ["beforeunload"]

    # Saving is not leaving: no question, and the text is kept.
    page.get_by_role("button", name="บันทึกรายงานการประชุม").click()
    expect(page.get_by_role("status").first).to_be_visible()
    assert asked == ["beforeunload"]
    assert meeting.agenda_items.get(order=1, parent=None).discussion == "ยังไม่ได้บันทึก"

    # The roll too: "everyone present" is a change.
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    page.get_by_role("link", name="ทุกคนมาประชุม").click()
    page.get_by_role("link", name=f"ครั้งที่ {meeting.number_label}").first.click()
    assert asked == ["beforeunload", "beforeunload"]
