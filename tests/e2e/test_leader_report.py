"""A leader reports a problem on a phone: one tap for the phone's position, a clear
message when the phone refuses, a pin on the map when a tile server is set; and
answers a resolved issue with the two buttons."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from communities.models import Community, IssueCategory
from issues import services as issue_services
from issues.models import Issue, Status

PHONE = {"width": 390, "height": 844}
HUA_HIN_CLOCK_TOWER = {"latitude": 12.5707123, "longitude": 99.9578456}
TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


def _tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (226, 232, 224)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def report(page, log_in, leader_user):
    page.set_viewport_size(PHONE)
    log_in("leader")
    page.goto("/issues/submit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("แจ้งปัญหา")
    page.get_by_label("หมวดปัญหา").select_option(label="ท่อระบายน้ำ น้ำท่วมขัง")
    page.get_by_label("หัวข้อ").fill("น้ำท่วมขังหน้าหอนาฬิกา")
    page.get_by_label("รายละเอียด").fill("ฝนตกทีไรน้ำท่วมสูงถึงข้อเท้า")
    page.get_by_label("สถานที่").fill("หน้าหอนาฬิกา ถนนเพชรเกษม")
    return page


def test_one_tap_sends_the_phones_position(report, step):
    page = report
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(HUA_HIN_CLOCK_TOWER)
    page.get_by_role("button", name="ใช้ตำแหน่งปัจจุบัน").click()
    expect(page.get_by_role("status")).to_have_text("บันทึกตำแหน่งจากโทรศัพท์ไว้กับเรื่องที่แจ้งแล้ว")
    assert page.locator("input[name=latitude]").input_value() == "12.570712"
    step("position")
    page.get_by_role("button", name="ส่ง", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("น้ำท่วมขังหน้าหอนาฬิกา")
    issue = Issue.objects.get()
    assert (str(issue.latitude), str(issue.longitude)) == ("12.570712", "99.957846")
    assert issue.status == Status.FORWARDED


def test_a_phone_that_refuses_its_position_is_told_plainly(report):
    page = report
    page.context.clear_permissions()
    page.get_by_role("button", name="ใช้ตำแหน่งปัจจุบัน").click()
    expect(page.get_by_role("status")).to_contain_text("โทรศัพท์ไม่อนุญาตให้ใช้ตำแหน่ง")
    assert page.locator("input[name=latitude]").input_value() == ""
    # The report still goes, with the place in words.
    page.get_by_role("button", name="ส่ง", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("น้ำท่วมขังหน้าหอนาฬิกา")
    assert Issue.objects.get().latitude is None


@pytest.fixture
def tile_server(settings, page):
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_ATTRIBUTION = "แผนที่ทดสอบ"
    settings.MAP_TILE_ORIGIN = "https://tiles.example.org"
    png = _tile()
    page.route(
        re.compile(r"^https://tiles\.example\.org/"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=png),
    )


def test_a_tap_on_the_map_places_the_pin(tile_server, report, step):
    page = report
    the_map = page.locator("#report-map")
    expect(the_map.locator("img.leaflet-tile-loaded").first).to_be_visible()
    the_map.scroll_into_view_if_needed()
    the_map.click(position={"x": 120, "y": 90})
    expect(page.get_by_role("status")).to_have_text("บันทึกตำแหน่งหมุดบนแผนที่ไว้กับเรื่องที่แจ้งแล้ว")
    expect(the_map.locator(".leaflet-marker-icon")).to_be_visible()
    latitude = float(page.locator("input[name=latitude]").input_value())
    assert 12.0 < latitude < 13.2
    step("pin")
    page.get_by_role("button", name="ส่ง", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("น้ำท่วมขังหน้าหอนาฬิกา")
    assert Issue.objects.get().latitude is not None


def test_a_leader_answers_not_fixed_on_a_phone(page, log_in, staff_user, leader_user):
    issue = issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="drainage"),
        title="ท่อระบายน้ำอุดตันหน้าตลาด",
    )
    for status in (Status.IN_PROGRESS, Status.RESOLVED):
        issue = issue_services.issue_update(
            issue=issue, actor=staff_user, version=None, to_status=status
        )
    page.set_viewport_size(PHONE)
    log_in("leader")
    page.goto(issue.get_absolute_url())
    expect(page.get_by_role("button", name="แก้ไขแล้ว", exact=True)).to_be_visible()
    page.get_by_label("ส่วนใดที่ยังไม่ได้แก้ไข").fill("ฝนตกเมื่อวานน้ำยังท่วมขัง")
    page.get_by_role("button", name="ยังไม่ได้แก้ไข", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("เปิดเรื่องนี้ดำเนินการต่ออีกครั้ง")
    expect(page.locator(".timeline")).to_contain_text("ฝนตกเมื่อวานน้ำยังท่วมขัง")
    issue.refresh_from_db()
    assert issue.status == Status.IN_PROGRESS
