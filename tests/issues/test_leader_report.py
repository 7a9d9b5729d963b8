"""A leader reports a problem from the phone: photos, the phone's position or a pin
on the map, the place in words; routed by its category at once."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from communities.models import IssueCategory
from issues import services
from issues.models import Issue, IssuePhoto, IssueUpdate, Status
from meetings import services as meeting_services
from tests.issues.test_double_submit import once_token

pytestmark = pytest.mark.django_db

TILES = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"


def photo(name="flood.jpg", *, exif=None, size=(80, 60)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (30, 90, 160))
    image.save(buffer, format="JPEG", **({"exif": exif} if exif is not None else {}))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _form(**changes):
    data = {
        "category": IssueCategory.objects.get(code="drainage").pk,
        "title": "น้ำท่วมขังซอย 5",
        "description": "ฝนตกทีไรท่วมทุกครั้ง",
        "location_text": "ปากซอย 5 หน้าร้านค้า",
        "latitude": "",
        "longitude": "",
    }
    return data | changes


def _submit(**fields):
    return dict(
        category=IssueCategory.objects.get(code="street_light"),
        title="ไฟทางดับทั้งซอย",
        description="ดับมาสามคืนแล้ว",
        **fields,
    )


# The service --------------------------------------------------------------------------


def test_a_submission_is_routed_by_its_category_at_once(leader_user):
    issue = services.issue_submit(actor=leader_user, **_submit())

    category = IssueCategory.objects.get(code="street_light")
    assert issue.status == Status.FORWARDED
    assert issue.department == category.default_department
    assert issue.target_date is not None  # from the category's target
    assert issue.awaiting_meeting  # staff still confirm it into an agenda
    kinds = list(issue.updates.values_list("kind", flat=True))
    assert kinds == [IssueUpdate.Kind.CREATED, IssueUpdate.Kind.ROUTED]


def test_the_leader_is_not_shown_as_the_one_who_routed_it(client, leader_user):
    issue = services.issue_submit(actor=leader_user, **_submit())

    created, routed = issue.updates.order_by("pk")
    assert created.actor == leader_user and routed.actor is None
    client.force_login(leader_user)
    page = client.get(issue.get_absolute_url()).content.decode()
    timeline = page.split('id="timeline-heading"', 1)[1].split('<li class="timeline-entry">')
    [entry] = [entry for entry in timeline if f"→ {issue.department.name_th}" in entry]
    assert "ระบบส่งตามหมวดปัญหาเมื่อชุมชนแจ้งเรื่อง" in entry and "· ระบบ" in entry
    assert leader_user.get_full_name() not in entry


def test_a_submission_is_in_the_departments_worklist_at_once(client, leader_user, reference_data):
    from tests.factories import make_user

    issue = services.issue_submit(actor=leader_user, **_submit())
    officer = make_user("officer-el", role="officer", department_code=issue.department.code)
    client.force_login(officer)
    assert issue.title in client.get(reverse("issues:worklist")).content.decode()
    assert client.get(issue.get_absolute_url()).status_code == 200


def test_confirming_a_routed_submission_does_not_route_it_again(leader_user, staff_user):
    issue = services.issue_submit(actor=leader_user, **_submit())
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=issue.received_at.date(), venue="ห้องประชุม"
    )
    before = (issue.department_id, issue.forwarded_at, issue.target_date)

    issue = services.issue_confirm(issue=issue, actor=staff_user, meeting=meeting)

    issue.refresh_from_db()
    assert (issue.meeting, issue.awaiting_meeting) == (meeting, False)
    assert (issue.department_id, issue.forwarded_at, issue.target_date) == before
    assert issue.updates.filter(kind=IssueUpdate.Kind.ROUTED).count() == 1


def test_confirming_routes_an_old_unrouted_submission_only(leader_user, unrouted_issue, staff_user):
    """Submissions sent before they were routed at once still wait unrouted: those
    are routed when confirmed; one sent now is not routed a second time."""
    new = services.issue_submit(actor=leader_user, **_submit())
    assert new.status == Status.FORWARDED  # routed when sent
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=new.received_at.date(), venue="ห้องประชุม"
    )
    old = services.issue_confirm(issue=unrouted_issue, actor=staff_user, meeting=meeting)
    new = services.issue_confirm(issue=new, actor=staff_user, meeting=meeting)

    assert (old.status, old.department.code) == (Status.FORWARDED, "ENG")
    for issue in (old, new):
        assert issue.updates.filter(kind=IssueUpdate.Kind.ROUTED).count() == 1


def test_a_submission_keeps_its_photos_without_their_metadata(leader_user):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make; phones write the GPS position beside it
    issue = services.issue_submit(
        actor=leader_user, **_submit(photos=[photo(exif=exif), photo("second.jpg")])
    )

    photos = IssuePhoto.objects.filter(update__issue=issue)
    assert photos.count() == 2
    assert {p.update.kind for p in photos} == {IssueUpdate.Kind.CREATED}
    with Image.open(photos.first().image) as stored:
        assert not stored.getexif()


def test_more_than_five_photos_are_refused_and_nothing_is_saved(leader_user, settings):
    with pytest.raises(ValidationError) as refused:
        services.issue_submit(
            actor=leader_user, **_submit(photos=[photo(f"{n}.jpg") for n in range(6)])
        )
    assert "photos" in refused.value.message_dict
    assert Issue.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.glob("**/*.jpg"))


def test_a_bad_photo_saves_nothing(leader_user, settings):
    fake = SimpleUploadedFile("drain.jpg", b"GIF89a not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.issue_submit(actor=leader_user, **_submit(photos=[photo(), fake]))
    assert "drain.jpg" in " ".join(refused.value.message_dict["photos"])
    assert Issue.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.glob("**/*.jpg"))


# The form -----------------------------------------------------------------------------


def test_the_form_takes_photos_from_the_camera_and_shows_no_number_boxes(
    client, leader_user, settings
):
    settings.MAP_TILE_URL = ""
    client.force_login(leader_user)
    response = client.get(reverse("issues:submit"))
    page = response.content.decode()
    # Without a tile server there is no map at all.
    assert "leaflet" not in page.lower() and "report-map" not in page
    assert "tiles.example.org" not in response["Content-Security-Policy"]
    photos = re.search(r"<input[^>]*name=\"photos\"[^>]*>", page).group(0)
    assert 'accept="image/*"' in photos and 'capture="environment"' in photos
    assert "multiple" in photos
    for name in ("latitude", "longitude"):
        box = re.search(rf"<input[^>]*name=\"{name}\"[^>]*>", page).group(0)
        assert 'type="hidden"' in box
    assert "ใช้ตำแหน่งปัจจุบัน" in page
    assert "js/report-location.js" in page


def test_with_a_tile_server_the_map_is_served_from_our_files(client, leader_user, settings):
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_ATTRIBUTION = "© ผู้ร่วมจัดทำ OpenStreetMap"
    settings.MAP_TILE_ORIGIN = "https://*.tiles.example.org"
    client.force_login(leader_user)
    response = client.get(reverse("issues:submit"))
    page = response.content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in page
    assert "/static/vendor/leaflet/leaflet.css" in page
    assert 'id="report-map"' in page and TILES in page
    policy = response["Content-Security-Policy"]
    img_src = re.search(r"img-src ([^;]*)", policy).group(1).split()
    assert "https://*.tiles.example.org" in img_src
    assert "'self'" in img_src
    # Scripts still come from us alone.
    assert re.search(r"script-src ([^;]*)", policy).group(1).split() == ["'self'"]
    # Only this page lets the tiles in.
    other = client.get(reverse("home"))["Content-Security-Policy"]
    assert "tiles.example.org" not in other


def test_the_tile_origin_is_read_from_the_url():
    from django.core.exceptions import ImproperlyConfigured

    from huahin_meetings.settings import _tile_origin

    assert _tile_origin(TILES) == "https://*.tiles.example.org"
    assert _tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    for bad in ("tile.example.org/{z}/{x}/{y}.png", "https://{z}.example.org/{x}.png", "ftp://x/"):
        with pytest.raises(ImproperlyConfigured):
            _tile_origin(bad)


def test_a_report_with_a_position_and_photos_is_sent(client, leader_user):
    client.force_login(leader_user)
    page = client.get(reverse("issues:submit")).content.decode()
    data = _form(latitude="12.570712345678", longitude="99.957812345678", once=once_token(page))
    response = client.post(reverse("issues:submit"), data | {"photos": [photo()]})
    assert response.status_code == 302
    # Sent twice (a double tap): one issue.
    again = client.post(reverse("issues:submit"), data | {"photos": [photo()]}, follow=True)
    assert again.status_code == 200
    issue = Issue.objects.get()
    assert (issue.latitude, issue.longitude) == (Decimal("12.570712"), Decimal("99.957812"))
    assert issue.status == Status.FORWARDED and issue.department.code == "ENG"
    assert IssuePhoto.objects.filter(update__issue=issue).count() == 1
    assert response.url == issue.get_absolute_url()


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("91", "99.9"), ("12.5", "abc"), ("12.5", ""), ("1e3", "99"), ("NaN", "NaN"), ("๑๒", "99")],
)
def test_a_position_that_cannot_be_read_is_refused_and_the_text_kept(
    client, leader_user, latitude, longitude
):
    client.force_login(leader_user)
    response = client.post(reverse("issues:submit"), _form(latitude=latitude, longitude=longitude))
    assert response.status_code == 400
    page = response.content.decode()
    assert "อ่านตำแหน่งจากโทรศัพท์ไม่ได้" in page
    assert "น้ำท่วมขังซอย 5" in page and "ปากซอย 5 หน้าร้านค้า" in page
    assert Issue.objects.count() == 0


def test_a_refused_photo_is_named_with_its_reason_and_the_text_kept(client, leader_user):
    client.force_login(leader_user)
    fake = SimpleUploadedFile("pipe.png", b"<html>not an image</html>", content_type="image/png")
    response = client.post(reverse("issues:submit"), _form(photos=[photo(), fake]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "pipe.png" in page and "JPEG, PNG" in page
    assert "กรุณาเลือกภาพถ่ายอีกครั้ง" in page
    assert "ฝนตกทีไรท่วมทุกครั้ง</textarea>" in page
    assert Issue.objects.count() == 0


def test_six_photos_are_refused_with_a_thai_message(client, leader_user):
    client.force_login(leader_user)
    response = client.post(
        reverse("issues:submit"), _form(photos=[photo(f"{n}.jpg") for n in range(6)])
    )
    assert response.status_code == 400
    assert "แนบภาพได้ไม่เกิน 5 ภาพ" in response.content.decode()
    assert Issue.objects.count() == 0


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("category", "กรุณาเลือก “หมวดปัญหา”"),
        ("title", "กรุณากรอก “หัวข้อ”"),
        ("description", "กรุณากรอก “รายละเอียด”"),
    ],
)
def test_a_missing_field_is_named_in_thai(client, leader_user, missing, message):
    client.force_login(leader_user)
    response = client.post(reverse("issues:submit"), _form(**{missing: ""}))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "ฟิลด์นี้จำเป็น" not in page and "This field is required" not in page
    assert Issue.objects.count() == 0


def test_the_submission_still_waits_for_staff_to_confirm_it(client, leader_user, staff_user):
    client.force_login(leader_user)
    client.post(reverse("issues:submit"), _form())
    issue = Issue.objects.get()
    client.force_login(staff_user)
    home = client.get(reverse("home")).content.decode()
    assert issue.title in home  # awaiting a meeting
    detail = client.get(issue.get_absolute_url()).content.decode()
    assert reverse("issues:confirm", args=[issue.pk]) in detail
    assert "บรรจุเข้าระเบียบวาระ" in detail
