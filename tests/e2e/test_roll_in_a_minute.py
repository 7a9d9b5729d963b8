"""The roll of a full meeting, 113 people, taken as the secretariat takes it:
everyone present in one click, then the ten who were not, saved once. Every click
and every text typed is counted; the whole must take at most 15."""

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Community, Department, Participant, ParticipantRole
from meetings import services as meeting_services
from meetings.models import Attendance

MAX_ACTIONS = 15


@pytest.fixture
def full_roll(reference_data):
    """113 people: chair and committee of the 42 communities, 6 executives,
    12 council members and 17 department representatives."""
    people = []
    for community in Community.objects.all():
        people.append(
            Participant(
                name=f"ประธาน {community.number}", role=ParticipantRole.CHAIR, community=community
            )
        )
        people.append(
            Participant(
                name=f"กรรมการ {community.number}",
                role=ParticipantRole.COMMITTEE,
                community=community,
            )
        )
    people += [
        Participant(name=f"ผู้บริหาร {n:02d}", role=ParticipantRole.EXECUTIVE) for n in range(1, 7)
    ]
    people += [
        Participant(name=f"สมาชิกสภา {n:02d}", role=ParticipantRole.COUNCIL) for n in range(1, 13)
    ]
    departments = list(Department.objects.filter(kind="department"))
    extra = 113 - len(people)
    people += [
        Participant(
            name=f"ผู้แทนส่วนราชการ {n:02d}",
            role=ParticipantRole.DEPARTMENT,
            department=departments[n % len(departments)],
        )
        for n in range(1, extra + 1)
    ]
    Participant.objects.bulk_create(people)
    assert Participant.objects.filter(active=True).count() == 113


class Counter:
    """Counts what a person does: each click, each key pressed on its own, and
    each text typed into a field (one action however long the text)."""

    def __init__(self):
        self.actions = []

    def __call__(self, what: str, action) -> None:
        self.actions.append(what)
        action()


def test_roll_of_113_people_present_all_and_ten_exceptions(
    page, log_in, step, staff_user, full_roll
):
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้องประชุมเทศบาล"
    )
    log_in("staff")
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    present = page.locator("[data-count=present]")
    absent = page.locator("[data-count=absent]")
    expect(present).to_have_text("0")
    expect(absent).to_have_text("113")
    step("roll-opened")
    act = Counter()

    def person(name):
        return page.get_by_role("group", name=name)

    def choose(name, status):
        act(f"{name}: {status}", lambda: person(name).get_by_text(status, exact=True).click())

    started = time.monotonic()
    act("everyone present", lambda: page.get_by_role("link", name="ทุกคนมาประชุม").click())
    expect(present).to_have_text("113")
    expect(absent).to_have_text("0")

    officials = page.locator('[data-group="officials"]')
    act("open the officials", lambda: officials.locator("summary").click())
    for name in ("สมาชิกสภา 01", "สมาชิกสภา 02", "สมาชิกสภา 03", "สมาชิกสภา 04"):
        choose(name, "ไม่มาประชุม")
    choose("ผู้บริหาร 01", "มาสาย")
    choose("ผู้แทนส่วนราชการ 01", "ไม่มาประชุม")
    choose("ผู้แทนส่วนราชการ 02", "มาสาย")
    choose("ผู้แทนส่วนราชการ 03", "มีผู้มาประชุมแทน")
    # Chosen by a click, the substitute's name field has the focus: type the name.
    note = person("ผู้แทนส่วนราชการ 03").locator(".note")
    expect(note).to_be_focused()
    act("substitute's name", lambda: page.keyboard.type("นายแทน ใจดี"))

    community = page.locator('[data-group="community-17"]')
    act("open community 17", lambda: community.locator("summary").click())
    choose("ประธาน 17", "ไม่มาประชุม")
    choose("กรรมการ 17", "มาสาย")
    expect(present).to_have_text("107")
    expect(absent).to_have_text("6")
    expect(community.locator("[data-group-absent]")).to_have_text("1")
    step("ten-exceptions")

    act("save", lambda: page.get_by_role("button", name="บันทึกบัญชีลงชื่อ").click())
    expect(page.get_by_role("status")).to_contain_text("บันทึกบัญชีลงชื่อแล้ว")
    elapsed = time.monotonic() - started
    step("roll-saved")

    print(f"\nThe roll of 113: {len(act.actions)} actions in {elapsed:.1f} s: {act.actions}")
    assert len(act.actions) <= MAX_ACTIONS, act.actions
    rows = Attendance.objects.filter(meeting=meeting)
    counts = {status: rows.filter(status=status).count() for status in Attendance.Status.values}
    assert counts == {"present": 103, "late": 3, "represented": 1, "absent": 6}
    assert rows.get(participant__name="ผู้แทนส่วนราชการ 03").substitute_name == "นายแทน ใจดี"
    # Saved once: every row written by the one save.
    assert set(rows.values_list("version", flat=True)) == {1}
    expect(present).to_have_text("107")


def test_the_folded_roll_is_a_few_screens_with_44_px_targets_on_a_phone(
    page, log_in, step, staff_user, full_roll
):
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้องประชุมเทศบาล"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("staff")
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    page.get_by_role("link", name="ทุกคนมาประชุม").click()
    expect(page.locator("[data-count=present]")).to_have_text("113")
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\nThe folded roll of 113 on a phone: {height} px")
    assert height < 6 * 844
    community = page.locator('[data-group="community-5"]')
    summary = community.locator("summary")
    assert summary.bounding_box()["height"] >= 44
    summary.click()
    for choice in community.locator(".choice").all():
        box = choice.bounding_box()
        assert box["height"] >= 44, choice.text_content()
    members = int(page.locator("[data-count=members]").text_content())
    others = int(page.locator("[data-count=others]").text_content())
    assert members + others == 113 and others > 0
    community.locator(".roll-row").first.get_by_text("ไม่มาประชุม", exact=True).click()
    expect(page.locator("[data-count=absent]")).to_have_text("1")
    # A community's member marked absent: one member fewer, the others as they were.
    expect(page.locator("[data-count=members]")).to_have_text(str(members - 1))
    expect(page.locator("[data-count=others]")).to_have_text(str(others))
    page.evaluate("window.scrollTo(0, 0)")
    step("phone")
