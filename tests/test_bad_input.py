"""Random and hostile input against every form: never a server error, never a
partial write, never a script rendered back unescaped."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from communities.models import Community, IssueCategory, Participant
from issues import services as issue_services
from issues.models import Issue, IssueUpdate
from meetings import services as meeting_services
from meetings.models import Attendance, Meeting

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
# Text a user might type or paste, and text an attacker would send.
hostile_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet="กขคงจฉชซญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะาำิีึืุู่้๊๋็์ํ๐๑๒๓", max_size=80),
    st.sampled_from(
        [SCRIPT, "😀🙏🏽🇹🇭", "'; DROP TABLE issues_issue; --", "\x00", "=HYPERLINK(1)", "../../etc"]
    ),
    st.text(min_size=300, max_size=5000),
)
junk_value = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["", "abc", "1e309", "NaN", "-1", "0", "9" * 40, "2026-02-30", "0001-01-01"]),
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(str),
)
# How many examples is the profile's (conftest.py): derandomised for `make test`,
# thousands at random for `make fuzz`.
RUNS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


COUNTED = (Meeting, Issue, IssueUpdate, Attendance, Participant)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _assert_safe(response, before, *, writes=()):
    """No server error, no script echoed, and no partial write: a refused post
    changes nothing; a redirect either changed nothing (refused with a message) or
    added exactly the rows of one of ``writes``, such as {"Issue": 1}."""
    assert response.status_code < 500
    assert SCRIPT.encode() not in response.content
    added = {name: count - before[name] for name, count in _counts().items()}
    added = {name: count for name, count in added.items() if count}
    if response.status_code == 302:
        assert added == {} or added in writes, added
    else:
        assert added == {}, added


@pytest.fixture
def meeting(staff_user):
    return meeting_services.meeting_create(
        actor=staff_user, date=timezone.localdate(), venue="ห้องประชุม"
    )


@pytest.fixture
def issue(staff_user):
    return issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="road"),
        title="ถนนชำรุด",
    )


# Each form: who posts it, where, about which object, its fields, and the rows a
# successful post adds.
FORMS = {
    "meeting": (
        "staff_user",
        "meetings:create",
        None,
        ("date", "start_time", "end_time", "venue", "chair", "minute_taker"),
        [{"Meeting": 1}],
    ),
    "issue": (
        "staff_user",
        "issues:create",
        None,
        (
            "community",
            "category",
            "title",
            "description",
            "location_text",
            "latitude",
            "longitude",
            "meeting",
            "priority",
            "target_date",
            "department",
        ),
        # Its creation, and its routing to the department.
        [{"Issue": 1, "IssueUpdate": 2}],
    ),
    "leader submission": (
        "leader_user",
        "issues:submit",
        None,
        ("category", "title", "description", "location_text", "latitude", "longitude"),
        # Its receipt, and its routing by the category.
        [{"Issue": 1, "IssueUpdate": 2}],
    ),
    "issue update": (
        "officer_user",
        "issues:update",
        "issue",
        (
            "version",
            "to_status",
            "note",
            "target_date",
            "target_reason",
            "duplicate_of",
            "referred_to",
        ),
        [{"IssueUpdate": 1}],
    ),
    "field survey": (
        "kpt_user",
        "issues:survey",
        "issue",
        ("version", "survey_date", "team_members", "findings", "recommendation"),
        [{"IssueUpdate": 1}],
    ),
    "walk-in guest": (
        "staff_user",
        "meetings:attendance_guest",
        "meeting",
        ("name", "position"),
        [{"Participant": 1, "Attendance": 1}],
    ),
}


@pytest.mark.parametrize("form", list(FORMS))
@RUNS
@given(values=st.lists(junk_value, min_size=11, max_size=11))
# A digit that ``str.isdigit()`` accepts and ``int()`` refuses, in every field.
@example(values=["³"] * 11)
def test_every_form_takes_any_input_safely(client, request, form, values):
    user, url_name, target, fields, writes = FORMS[form]
    client.force_login(request.getfixturevalue(user))
    args = [request.getfixturevalue(target).pk] if target else []
    before = _counts()
    response = client.post(reverse(url_name, args=args), dict(zip(fields, values, strict=False)))
    _assert_safe(response, before, writes=writes)


def _valid_post(form: str, issue) -> dict:
    """What a careful user sends on each form: every post is accepted."""
    community = Community.objects.get(number=1).pk
    category = IssueCategory.objects.get(code="road").pk
    today = timezone.localdate()
    return {
        "meeting": {"date": str(today + datetime.timedelta(days=28)), "venue": "ห้องประชุม"},
        "issue": {"community": community, "category": category, "title": "ท่อตัน", "priority": 2},
        "leader submission": {"category": category, "title": "ท่อตัน", "description": "น้ำขัง"},
        "issue update": {"version": issue.version, "note": "ลงพื้นที่แล้ว"},
        "field survey": {
            "version": issue.version,
            "survey_date": str(today),
            "team_members": "คปต. 2 คน",
            "findings": "ท่อแตก",
        },
        "walk-in guest": {"name": "นางแขก ผู้มาเยือน"},
    }[form]


@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_accepted_adds_exactly_its_rows(client, request, form, issue):
    """The rows each form may add, above, are the rows it adds: no more, no fewer."""
    user, url_name, target, _, writes = FORMS[form]
    client.force_login(request.getfixturevalue(user))
    args = [request.getfixturevalue(target).pk] if target else []
    before = _counts()
    response = client.post(reverse(url_name, args=args), _valid_post(form, issue))
    assert response.status_code == 302
    _assert_safe(response, before, writes=writes)
    assert _counts() != before


@RUNS
@given(
    keys=st.lists(st.one_of(st.integers(-5, 10**9).map(str), hostile_text), max_size=5),
    values=st.lists(junk_value, min_size=5, max_size=5),
)
def test_attendance_roll(client, staff_user, meeting, keys, values):
    client.force_login(staff_user)
    data = {f"status-{key}": value for key, value in zip(keys, values, strict=False)}
    data.update({f"note-{key}": value for key, value in zip(keys, values, strict=False)})
    before = _counts()
    response = client.post(reverse("meetings:attendance", args=[meeting.pk]), data)
    # Nobody is on the roll, so no key names a participant: nothing may be written.
    _assert_safe(response, before)


@RUNS
@given(
    query=st.dictionaries(
        st.sampled_from(
            ["q", "status", "community", "department", "category", "fiscal_year", "overdue", "page"]
        ),
        junk_value,
    )
)
@example(query={"q": "2569-³"})
@example(query={"q": "๒๕๖๙-๐๐๐๑", "fiscal_year": "³"})
def test_issue_list_filters(client, leader_user, query):
    client.force_login(leader_user)
    before = _counts()
    response = client.get(reverse("issues:list"), query)
    _assert_safe(response, before)
    export = client.get(reverse("issues:export"), query)
    assert export.status_code < 500


def test_a_script_in_a_title_is_shown_as_text(client, staff_user):
    client.force_login(staff_user)
    client.post(
        reverse("issues:create"),
        {
            "community": Community.objects.get(number=1).pk,
            "category": IssueCategory.objects.get(code="road").pk,
            "title": SCRIPT,
            "priority": 2,
        },
    )
    issue = Issue.objects.get()
    page = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.fixture
def photo(staff_user, meeting):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, format="JPEG")
    upload = SimpleUploadedFile("hall.jpg", buffer.getvalue(), content_type="image/jpeg")
    [photo] = meeting_services.photos_add(
        meeting=meeting, actor=staff_user, files=[upload], caption="ผู้นำชุมชนร่วมประชุม"
    )
    return photo


@pytest.mark.parametrize("where", ["roll", "minutes", "captions"])
def test_a_null_character_is_refused_without_an_error(client, staff_user, meeting, photo, where):
    """PostgreSQL cannot store U+0000; fields that skip Django forms must refuse it,
    keep what was there and say why."""
    person = Participant.objects.create(name="นายทดสอบ", role="executive")
    item = meeting.agenda_items.first()
    item.discussion = "สาระเดิม"
    item.save()
    posts = {
        "roll": (
            reverse("meetings:attendance", args=[meeting.pk]),
            {f"status-{person.pk}": "absent", f"note-{person.pk}": "ป่วย\x00"},
        ),
        "minutes": (
            reverse("meetings:minutes", args=[meeting.pk]),
            {f"discussion-{item.pk}": "สาระ\x00", f"resolution-{item.pk}": ""},
        ),
        "captions": (
            reverse("meetings:photo_captions", args=[meeting.pk]),
            {f"caption-{photo.pk}": "ภาพ\x00"},
        ),
    }
    client.force_login(staff_user)
    url, data = posts[where]
    before = _counts()
    response = client.post(url, data, follow=True)
    assert response.status_code < 500
    assert "ข้อความมีอักขระที่บันทึกไม่ได้" in response.content.decode()
    assert _counts() == before
    item.refresh_from_db()
    photo.refresh_from_db()
    assert (item.discussion, photo.caption) == ("สาระเดิม", "ผู้นำชุมชนร่วมประชุม")


@RUNS
@given(query=junk_value)
@example(query="³")
@example(query="๑")
def test_community_search(client, leader_user, query):
    client.force_login(leader_user)
    response = client.get(reverse("communities:list"), {"q": query})
    assert response.status_code == 200
    assert SCRIPT.encode() not in response.content


def test_community_search_with_a_null_character(client, leader_user):
    client.force_login(leader_user)
    assert client.get(reverse("communities:list"), {"q": "ชุมชน\x00"}).status_code == 200


# The numbers ``str.isdigit()`` lets through and ``int()`` refuses, and other junk in
# fields that carry a number: each answered with a message, nothing changed.


@pytest.mark.parametrize("query", ["³", "²", "٣", "1_0", " 1 ", "9" * 40])
def test_community_search_by_odd_digits_answers_the_page(client, leader_user, query):
    client.force_login(leader_user)
    response = client.get(reverse("communities:list"), {"q": query})
    assert response.status_code == 200


def test_community_search_by_thai_digits_finds_the_community(client, leader_user):
    client.force_login(leader_user)
    wanted = Community.objects.get(number=12)
    response = client.get(reverse("communities:list"), {"q": "๑๒"})
    assert response.status_code == 200
    assert wanted.name_th in response.content.decode()


@pytest.mark.parametrize("query", ["2569-³", "³-1", "2569-²", "2569-" + "9" * 40])
def test_issue_search_by_an_odd_reference_answers_the_list(client, leader_user, issue, query):
    client.force_login(leader_user)
    response = client.get(reverse("issues:list"), {"q": query})
    assert response.status_code == 200
    assert issue.title not in response.content.decode()


def test_issue_search_by_a_reference_in_thai_digits_finds_it(client, leader_user, issue):
    client.force_login(leader_user)
    thai = issue.reference.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    response = client.get(reverse("issues:list"), {"q": thai})
    assert response.status_code == 200
    assert issue.title in response.content.decode()


@pytest.mark.parametrize("value", ["³", "abc", "1.5", "-1", "9" * 40])
def test_a_new_issue_from_a_meeting_link_with_a_bad_number(client, staff_user, value):
    client.force_login(staff_user)
    response = client.get(reverse("issues:create"), {"meeting": value})
    assert response.status_code == 200
    assert "ไม่พบการประชุมตามลิงก์นี้" in response.content.decode()


def test_a_new_issue_from_a_meeting_link_picks_the_meeting(client, staff_user, meeting):
    client.force_login(staff_user)
    response = client.get(reverse("issues:create"), {"meeting": str(meeting.pk)})
    assert response.status_code == 200
    assert "ไม่พบการประชุม" not in response.content.decode()
    assert f'<option value="{meeting.pk}" selected>' in response.content.decode()


@pytest.mark.parametrize("reference", ["³-1", "2569-³", "๒๕๖๙-๙๙๙๙", "-", "9" * 18 + "-1"])
def test_a_duplicate_of_an_odd_reference_is_refused_with_the_typed_note(
    client, staff_user, issue, reference
):
    client.force_login(staff_user)
    before = _counts()
    response = client.post(
        reverse("issues:update", args=[issue.pk]),
        {
            "version": issue.version,
            "to_status": "duplicate",
            "note": "ซ้ำกับเรื่องเดิมของชุมชน",
            "duplicate_of": reference,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ไม่พบเรื่องเลขที่" in page
    assert "ซ้ำกับเรื่องเดิมของชุมชน" in page
    assert _counts() == before


def test_a_duplicate_named_in_thai_digits_is_accepted(client, staff_user, issue):
    original = issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="road"),
        title="ถนนชำรุด (เรื่องแรก)",
    )
    issue.refresh_from_db()
    client.force_login(staff_user)
    thai = original.reference.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    response = client.post(
        reverse("issues:update", args=[issue.pk]),
        {"version": issue.version, "to_status": "duplicate", "note": "ซ้ำ", "duplicate_of": thai},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.duplicate_of == original


@pytest.fixture
def held(staff_user):
    """A held meeting and the later one whose session approves its minutes."""
    day = timezone.localdate() - datetime.timedelta(days=40)
    held = meeting_services.meeting_create(
        actor=staff_user, date=day, venue="ห้องประชุม", start_time=datetime.time(9, 30)
    )
    held = meeting_services.meeting_transition(meeting=held, to_status="held", actor=staff_user)
    later = meeting_services.meeting_create(
        actor=staff_user, date=day + datetime.timedelta(days=28), venue="ห้องประชุม"
    )
    return held, later


@pytest.mark.parametrize(
    "approved_at", ["abc", "1.5", "NaN", "³", "1e309", "9" * 40, "twice", "twice-junk"]
)
def test_approving_minutes_at_a_meeting_that_is_not_one(client, staff_user, held, approved_at):
    meeting, later = held
    values = {"twice": [later.pk, later.pk], "twice-junk": [later.pk, "abc"]}
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:status", args=[meeting.pk]),
        {"status": "approved", "approved_at": values.get(approved_at, approved_at)},
        follow=True,
    )
    assert response.status_code == 200
    assert "ไม่พบการประชุมที่เลือกเป็นครั้งที่รับรองรายงานการประชุม" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert meeting.minutes_approved_at is None


def test_approving_minutes_at_a_meeting_named_in_thai_digits(client, staff_user, held):
    meeting, later = held
    client.force_login(staff_user)
    thai = str(later.pk).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    response = client.post(
        reverse("meetings:status", args=[meeting.pk]),
        {"status": "approved", "approved_at": thai},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_approved_at == later


@pytest.mark.parametrize("key", ["caption-³", "caption-²", "caption-abc", "caption-"])
def test_a_caption_under_an_unreadable_name_is_refused(client, staff_user, meeting, key):
    client.force_login(staff_user)
    response = client.post(reverse("meetings:photo_captions", args=[meeting.pk]), {key: "ภาพหมู่"})
    assert response.status_code == 400
    assert "คำบรรยายภาพถูกส่งมาในรูปแบบที่หน้านี้อ่านไม่ได้" in response.content.decode()
