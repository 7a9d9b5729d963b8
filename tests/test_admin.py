"""Django's admin keeps reference data and users; it never changes or deletes a
record of a meeting or an issue (SPEC §2).

Each refusal is checked with the form a browser would send: the fields are read
from the admin's own change page, so where the admin still offered an editable
form, the post would be valid and the change would go through."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, label_for_field
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.utils import translation

from communities.models import Community, Department, IssueCategory
from issues.models import Issue, IssueUpdate
from meetings import services as meeting_services
from meetings.models import AgendaItem, Attendance, Meeting, MeetingChange, MeetingPhoto
from tests.issues.conftest import make_issue  # noqa: F401  (fixture)
from tests.meetings.conftest import image_upload, make_meeting  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


class _ChangeForm(HTMLParser):
    """The values a browser would post from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = (attrs.get("id") or "").endswith("_form")
        if not self._in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(
                attrs.get("value") or ("on" if kind in {"checkbox", "radio"} else "")
            )
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.data[self._select].append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.data[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data.removeprefix("\n")


def post_change_form(client, url: str, **changes):
    """Post the admin's change form at ``url`` as shown, with ``changes`` typed in."""
    page = client.get(url)
    assert page.status_code == 200
    parser = _ChangeForm()
    parser.feed(page.content.decode())
    data = {name: values for name, values in parser.data.items()}
    for name, value in changes.items():
        data[name] = [value]
    data["_save"] = ["Save"]
    return client.post(url, data)


def post_delete(client, model, obj):
    meta = model._meta
    return client.post(
        f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/delete/", {"post": "yes"}
    )


def post_bulk_delete(client, model, objects):
    meta = model._meta
    return client.post(
        f"/admin/{meta.app_label}/{meta.model_name}/",
        {
            "action": "delete_selected",
            "_selected_action": [obj.pk for obj in objects],
            "post": "yes",
            "index": "0",
        },
    )


def change_url(obj) -> str:
    meta = obj._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"


@pytest.fixture
def superuser(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    return admin_user


@pytest.fixture(params=["admin_role", "superuser"])
def admin_client(request, client, admin_user):
    """A client logged in as an admin-role user, and as a Django superuser."""
    if request.param == "superuser":
        request.getfixturevalue("superuser")
    client.force_login(admin_user)
    return client


@pytest.fixture
def published_meeting(make_meeting, staff_user, admin_user):  # noqa: F811
    """A published meeting with its agenda, minutes, two attendance rows and two photos."""
    meeting = make_meeting(status=Meeting.Status.HELD)
    meeting_services.guest_add(meeting=meeting, actor=staff_user, name="นายแขก หนึ่ง")
    meeting_services.guest_add(meeting=meeting, actor=staff_user, name="นางแขก สอง")
    meeting_services.photos_add(
        meeting=meeting, actor=staff_user, files=[image_upload(), image_upload("b.jpg")]
    )
    item = meeting.agenda_items.order_by("order").first()
    meeting_services.minutes_update(
        meeting=meeting,
        actor=staff_user,
        texts={item.pk: ("ประธานแจ้งเรื่องน้ำท่วม", "ที่ประชุมรับทราบ")},
    )
    later = make_meeting(day=meeting.date + datetime.timedelta(days=28))
    for status in [Meeting.Status.APPROVED, Meeting.Status.PUBLISHED]:
        meeting = meeting_services.meeting_transition(
            meeting=meeting, to_status=status, actor=staff_user, approved_at=later
        )
    return meeting


def test_a_published_meeting_cannot_be_set_back_to_draft(admin_client, published_meeting):
    response = post_change_form(admin_client, change_url(published_meeting), status="draft")
    assert response.status_code == 403
    published_meeting.refresh_from_db()
    assert published_meeting.status == Meeting.Status.PUBLISHED


def test_an_agenda_item_cannot_be_deleted_through_the_meetings_inline(
    admin_client, published_meeting
):
    items = list(published_meeting.agenda_items.order_by("order"))
    last = len(items) - 1
    response = post_change_form(
        admin_client, change_url(published_meeting), **{f"agenda_items-{last}-DELETE": "on"}
    )
    assert response.status_code == 403
    assert list(published_meeting.agenda_items.order_by("order")) == items


def test_published_minutes_cannot_be_edited_in_the_agenda_item_admin(
    admin_client, published_meeting
):
    item = published_meeting.agenda_items.order_by("order").first()
    changes_before = MeetingChange.objects.count()
    response = post_change_form(
        admin_client, change_url(item), discussion="แก้รายงานย้อนหลัง", resolution="มติใหม่"
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.discussion, item.resolution) == ("ประธานแจ้งเรื่องน้ำท่วม", "ที่ประชุมรับทราบ")
    assert MeetingChange.objects.count() == changes_before


@pytest.mark.parametrize("model", [Attendance, MeetingPhoto], ids=["attendance", "photo"])
def test_attendance_and_photos_cannot_be_deleted_one_by_one(admin_client, published_meeting, model):
    rows = list(model.objects.filter(meeting=published_meeting).order_by("pk"))
    assert len(rows) == 2
    assert post_delete(admin_client, model, rows[0]).status_code == 403
    assert list(model.objects.filter(meeting=published_meeting).order_by("pk")) == rows


@pytest.mark.parametrize("model", [Attendance, MeetingPhoto], ids=["attendance", "photo"])
def test_attendance_and_photos_cannot_be_deleted_in_bulk(admin_client, published_meeting, model):
    rows = list(model.objects.filter(meeting=published_meeting).order_by("pk"))
    post_bulk_delete(admin_client, model, rows)
    assert list(model.objects.filter(meeting=published_meeting).order_by("pk")) == rows


def test_meetings_agenda_items_and_their_history_cannot_be_deleted(
    admin_client, published_meeting, admin_user
):
    meeting_services.meeting_update(
        meeting=published_meeting, actor=admin_user, venue="ห้องประชุมใหม่"
    )
    change = MeetingChange.objects.get(meeting=published_meeting)
    item = published_meeting.agenda_items.order_by("order").last()
    for model, obj in [(Meeting, published_meeting), (AgendaItem, item), (MeetingChange, change)]:
        assert post_delete(admin_client, model, obj).status_code == 403
        post_bulk_delete(admin_client, model, [obj])
        assert model.objects.filter(pk=obj.pk).exists()
    response = post_change_form(admin_client, change_url(change), summary="ไม่มีอะไรเปลี่ยน")
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.summary != "ไม่มีอะไรเปลี่ยน"


@pytest.mark.parametrize(
    "field,value",
    [
        ("department", "department"),
        ("community", "community"),
        ("title", "เรื่องที่แก้ชื่อในหลังบ้าน"),
        ("description", "รายละเอียดที่แก้โดยไม่มีประวัติ"),
    ],
)
def test_an_issue_cannot_be_changed_in_the_admin(admin_client, make_issue, field, value):  # noqa: F811
    issue = make_issue()
    if value == "department":
        value = str(Department.objects.exclude(pk=issue.department_id).get(code="PALAD").pk)
    elif value == "community":
        value = str(Community.objects.get(number=2).pk)
    before = Issue.objects.filter(pk=issue.pk).values().get()
    history = list(IssueUpdate.objects.filter(issue=issue).values())
    response = post_change_form(admin_client, change_url(issue), **{field: value})
    assert response.status_code == 403
    assert Issue.objects.filter(pk=issue.pk).values().get() == before
    assert list(IssueUpdate.objects.filter(issue=issue).values()) == history


def test_issue_history_cannot_be_edited_or_deleted(admin_client, make_issue):  # noqa: F811
    issue = make_issue()
    update = issue.updates.first()
    response = post_change_form(admin_client, change_url(update), note="แก้ประวัติ")
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.note != "แก้ประวัติ"
    for model, obj in [(Issue, issue), (IssueUpdate, update)]:
        assert post_delete(admin_client, model, obj).status_code == 403
        post_bulk_delete(admin_client, model, [obj])
        assert model.objects.filter(pk=obj.pk).exists()


def test_records_can_still_be_read_in_the_admin(admin_client, published_meeting, make_issue):  # noqa: F811
    issue = make_issue(title="ไฟทางดับทั้งซอย")
    assert "ไฟทางดับทั้งซอย" in admin_client.get(change_url(issue)).content.decode()
    page = admin_client.get(change_url(published_meeting)).content.decode()
    assert published_meeting.venue in page


def test_users_are_never_deleted_in_the_admin(admin_client, staff_user, officer_user):
    User = get_user_model()
    assert post_delete(admin_client, User, staff_user).status_code == 403
    post_bulk_delete(admin_client, User, [staff_user, officer_user])
    assert User.objects.filter(pk__in=[staff_user.pk, officer_user.pk]).count() == 2


def test_reference_data_is_still_edited_in_the_admin(admin_client):
    community = Community.objects.get(number=5)
    response = post_change_form(admin_client, change_url(community), phone="032-511-005")
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.phone == "032-511-005"

    category = IssueCategory.objects.get(code="road")
    response = post_change_form(admin_client, change_url(category), name_th="ถนนและทางเท้า")
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name_th == "ถนนและทางเท้า"


def test_the_admin_sets_a_categorys_target_days(admin_client):
    category = IssueCategory.objects.get(code="street_light")
    response = post_change_form(admin_client, change_url(category), target_days="10")
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.target_days == 10

    response = post_change_form(admin_client, change_url(category), target_days="0")
    assert response.status_code == 200  # the form again, with the error
    category.refresh_from_db()
    assert category.target_days == 10


def test_a_users_name_can_still_be_edited_in_the_admin(admin_client, officer_user):
    response = post_change_form(admin_client, change_url(officer_user), first_name="ณรงค์ฤทธิ์")
    assert response.status_code == 302
    officer_user.refresh_from_db()
    assert officer_user.first_name == "ณรงค์ฤทธิ์"


# What the admin looks like: Sarabun and Thai.

THAI = re.compile("[\u0e00-\u0e7f]")


def test_the_admin_loads_sarabun_and_names_the_municipality(client, admin_user, settings):
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    assert "/static/css/fonts.css" in page
    assert "/static/css/admin.css" in page
    assert f">{settings.MUNICIPALITY_NAME}</a>" in page
    assert "Django" not in page
    fonts = finders.find("css/fonts.css")
    with open(fonts, encoding="utf-8") as file:
        assert 'font-family: "Sarabun"' in file.read()
    with open(finders.find("css/admin.css"), encoding="utf-8") as file:
        assert '--font-family-primary: "Sarabun"' in file.read()
    assert finders.find("fonts/sarabun/Sarabun-Regular.woff2")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/admin/").content.decode()
    assert f">{settings.MUNICIPALITY_NAME_EN}</a>" in page


def test_every_label_the_admin_shows_is_in_thai(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    missing = []
    with translation.override("th"):
        for model, model_admin in admin.site._registry.items():
            obj = model._base_manager.order_by("pk").first()
            labels = [model._meta.verbose_name, model._meta.verbose_name_plural]
            fields = flatten_fieldsets(model_admin.get_fieldsets(request, obj))
            for name in [*fields, *model_admin.get_list_display(request)]:
                if name != "__str__":
                    labels.append(label_for_field(name, model, model_admin))
            labels.append(apps.get_app_config(model._meta.app_label).verbose_name)
            missing += [
                f"{model._meta.label}: {label}" for label in labels if not THAI.search(str(label))
            ]
    assert sorted(set(missing)) == [], "\n".join(sorted(set(missing)))


def test_the_admins_pages_speak_thai(admin_client, published_meeting, make_issue):  # noqa: F811
    issue = make_issue()
    update = issue.updates.first()
    page = admin_client.get(change_url(update)).content.decode()
    assert "จากสถานะ" in page and "เป็นสถานะ" in page
    page = admin_client.get("/admin/meetings/meetingphoto/").content.decode()
    assert "ผู้อัปโหลด" in page
    page = admin_client.get("/admin/auth/user/").content.decode()
    assert "ผู้ดูแลระบบ / ผู้บริหาร" in page  # the role's Thai name, not the group's
