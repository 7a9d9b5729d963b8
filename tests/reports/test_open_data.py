"""The open data: the statistics per month, community, department and category, and
the complaint-handling statistics of the ITA, as a page and CSV/JSON downloads."""

import csv
import datetime
import io
import json

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Department, IssueCategory, Participant
from core.thaidates import fiscal_year
from issues import services
from issues.models import Channel, Issue, Outcome
from meetings import services as meeting_services
from reports import kpis, open_data
from tests.issues.conftest import bulk_issues

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 4, 30)
YEAR = 2569  # 1 October 2025 to 30 September 2026
MONTHS = 7  # October to April

# What the issues and the people behind them say: none of it may be published.
PERSONAL = [
    "ถนนพังหน้าบ้านนายสมศักดิ์",
    "รายละเอียดลับเฉพาะ",
    "นายสมศักดิ์ รักชุมชน",
    "081-234-5678",
    "บันทึกภายในห้ามเผยแพร่",
    "089-999-1111",
    "ท่อแตกซอยสุขใจ",
    "นางสาวผู้เข้าร่วม ประชุมลับ",
    "0861112222",
    "สมหญิง",
    "ผู้นำชุมชนทดสอบ",
    "somying.leader",
    "officer.somchai",
    "035-511-047",
    "Uline-private",
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def frozen(monkeypatch):
    """The figures are those of 30 April 2026, whatever today is."""
    monkeypatch.setattr(open_data, "today", lambda: AS_OF)
    return AS_OF


def _move(issue, actor, to_status, day, **extra):
    return services.issue_update(
        issue=Issue.objects.get(pk=issue.pk),
        actor=actor,
        version=None,
        to_status=to_status,
        at=_at(day),
        **extra,
    )


@pytest.fixture
def year_data(make_issue, staff_user, officer_user, leader_user):
    """A fiscal year of issues through every channel, written with personal data."""
    leader_user.username, leader_user.first_name = "somying.leader", "สมหญิง"
    leader_user.last_name = "ผู้นำชุมชนทดสอบ"
    leader_user.save()
    officer_user.username = "officer.somchai"
    officer_user.save()
    Community.objects.filter(number=1).update(phone="035-511-047", line_id="Uline-private")
    Participant.objects.create(
        name="นางสาวผู้เข้าร่วม ประชุมลับ",
        role="committee",
        community=Community.objects.get(number=1),
        phone="0861112222",
    )
    meeting = meeting_services.meeting_create(
        actor=staff_user, date=datetime.date(2026, 3, 4), venue="ห้องประชุม"
    )
    # At the March meeting: resolved on 14 March, before its target of 20 March, closed fixed.
    at_meeting = make_issue(
        meeting=meeting,
        at=_at(datetime.date(2026, 3, 4)),
        title="ถนนพังหน้าบ้านนายสมศักดิ์",
        description="รายละเอียดลับเฉพาะ โทร 081-234-5678",
        raised_by="นายสมศักดิ์ รักชุมชน",
        target_date=datetime.date(2026, 3, 20),
    )
    _move(at_meeting, officer_user, "in_progress", datetime.date(2026, 3, 10))
    _move(
        at_meeting,
        officer_user,
        "resolved",
        datetime.date(2026, 3, 14),
        note="บันทึกภายในห้ามเผยแพร่ 089-999-1111",
    )
    _move(
        at_meeting,
        staff_user,
        "closed",
        datetime.date(2026, 3, 20),
        outcome="fixed",
        note="ชุมชนยืนยันแล้ว",
    )
    # Logged by staff in February, resolved on 3 April, after its target of 25 March.
    late = make_issue(
        at=_at(datetime.date(2026, 2, 10)),
        community_number=2,
        category_code="drainage",
        title="ท่อแตกซอยสุขใจ",
        target_date=datetime.date(2026, 3, 25),
    )
    _move(late, officer_user, "in_progress", datetime.date(2026, 3, 1))
    _move(late, officer_user, "resolved", datetime.date(2026, 4, 3))
    # Logged in November, withdrawn in December: handled, without being resolved.
    withdrawn = make_issue(at=_at(datetime.date(2025, 11, 5)), community_number=3)
    _move(withdrawn, staff_user, "withdrawn", datetime.date(2025, 12, 1), note="ชุมชนขอถอน")
    # In progress since March, past its target of 1 April: overdue on 30 April.
    overdue = make_issue(at=_at(datetime.date(2026, 3, 10)), target_date=datetime.date(2026, 4, 1))
    _move(overdue, officer_user, "in_progress", datetime.date(2026, 3, 12))
    # A leader's submission of January, still awaiting a meeting.
    online = services.issue_submit(
        actor=leader_user,
        category=IssueCategory.objects.get(code="road"),
        title="ไฟฟ้าดับหน้าบ้านนางสมหญิง",
        description="ติดต่อ 081-234-5678",
    )
    Issue.objects.filter(pk=online.pk).update(received_at=_at(datetime.date(2026, 1, 15)))
    # Raised the year before and still open: not raised this year, still not resolved.
    make_issue(at=_at(datetime.date(2025, 9, 1)), target_date=datetime.date(2025, 9, 30))
    # Raised after the date of the figures: not counted at all.
    make_issue(at=_at(datetime.date(2026, 5, 2)))
    return {"at_meeting": at_meeting, "late": late, "withdrawn": withdrawn, "online": online}


def _csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _download(client, table, fmt, year=YEAR):
    return client.get(reverse("reports:open_data_download", args=[year, table, fmt]))


# What is published ------------------------------------------------------------------


def test_no_download_and_no_page_carries_personal_data(client, admin_user, frozen, year_data):
    client.force_login(admin_user)
    published = {
        "page": client.get(reverse("reports:open_data"), {"year": YEAR}).content.decode(),
    }
    for table in ("statistics", "complaints"):
        for fmt in ("csv", "json"):
            response = _download(client, table, fmt)
            assert response.status_code == 200
            published[f"{table}.{fmt}"] = response.content.decode("utf-8-sig")
    # The statistics were there to be published: the issues were counted.
    assert json.loads(published["statistics.json"])["rows"][0]["dimension"] == "city"
    assert (
        sum(
            int(row["raised"])
            for row in csv.DictReader(io.StringIO(published["statistics.csv"]))
            if row["dimension"] == "city"
        )
        == 5
    )
    found = {
        (where, secret)
        for where, text in published.items()
        for secret in PERSONAL
        if secret in text
    }
    assert found == set()


def test_the_totals_agree_with_the_indicators_of_the_same_period(frozen, year_data):
    table = open_data.statistics(year=YEAR, as_of=AS_OF)
    start, _end = (
        kpis.fiscal_year_bounds(YEAR)
        if hasattr(kpis, "fiscal_year_bounds")
        else (
            datetime.date(2025, 10, 1),
            None,
        )
    )
    year = kpis.indicators(start=start, end=AS_OF, as_of=AS_OF)
    city = [row for row in table.rows if row["dimension"] == "city"]
    assert [row["month"] for row in city] == [
        "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04"
    ]  # fmt: skip
    assert sum(row["raised"] for row in city) == year.raised == 5
    assert sum(row["resolved"] for row in city) == year.resolved == 2
    assert sum(row["raised"] - row["duplicate_or_withdrawn"] for row in city) == year.counted
    for value in Outcome.values:
        assert sum(row[f"closed_{value}"] for row in city) == year.closed_by_outcome.get(value, 0)
    assert sum(row["resolved_by_target_date"] for row in city) == year.resolved_within_target
    assert sum(row["resolved_with_target_date"] for row in city) == year.resolved_with_target
    # Every dimension sums to the city in every month.
    for dimension in ("community", "department", "category"):
        for month in city:
            rows = [
                row
                for row in table.rows
                if row["dimension"] == dimension and row["month"] == month["month"]
            ]
            for name in ("raised", "resolved", "closed_fixed"):
                assert sum(row[name] for row in rows) == month[name], (dimension, name)
    # A month's median is the indicators' median of the issues raised that month.
    march = kpis.indicators(
        start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31), as_of=AS_OF
    )
    assert city[5]["median_days_to_resolve"] == march.median_days_to_resolve == 10.0
    # What was still open at the end of April, in any year, and overdue.
    april = city[-1]
    open_then = Issue.objects.filter(kpis.open_on(kpis.day_after(AS_OF)))
    assert april["not_yet_resolved_at_month_end"] == open_then.count() == 3
    assert april["overdue_at_month_end"] == len(kpis.overdue_issues(as_of=AS_OF)) == 2
    # At the end of March the late issue was not yet resolved and already overdue.
    assert city[5]["not_yet_resolved_at_month_end"] == 4
    assert city[5]["overdue_at_month_end"] == 2


def test_the_statistics_name_every_body_once_a_month(frozen, year_data):
    table = open_data.statistics(year=YEAR, as_of=AS_OF)
    bodies = (
        1
        + Community.objects.count()
        + Department.objects.exclude(kind="external").count()
        + 1  # the issues not yet routed to a department
        + IssueCategory.objects.count()
    )
    assert len(table.rows) == MONTHS * bodies
    community_two = [
        row for row in table.rows if row["dimension"] == "community" and row["code"] == "2"
    ]
    assert [row["raised"] for row in community_two] == [0, 0, 0, 0, 1, 0, 0]
    assert community_two[4]["name_th"] == Community.objects.get(number=2).name_th


def test_the_complaint_statistics_count_by_channel(frozen, year_data):
    channels, total = open_data.complaints_by_channel(open_data.complaints(year=YEAR, as_of=AS_OF))
    by_channel = {row["channel"]: row for row in channels}
    assert list(by_channel) == [Channel.MEETING, Channel.ONLINE, Channel.STAFF]
    assert {key: by_channel["meeting"][key] for key in open_data.COMPLAINT_COUNTS} == {
        "received": 1,
        "handled": 1,
        "not_yet_handled": 0,
        "handled_with_target_date": 1,
        "handled_in_time": 1,
    }
    assert (by_channel["online"]["received"], by_channel["online"]["handled"]) == (1, 0)
    staff = by_channel["staff"]
    assert (staff["received"], staff["handled"], staff["not_yet_handled"]) == (3, 2, 1)
    # The late one missed its date; the withdrawn one ended before its category's target.
    assert (staff["handled_with_target_date"], staff["handled_in_time"]) == (2, 1)
    assert (
        total["received"]
        == kpis.indicators(start=datetime.date(2025, 10, 1), end=AS_OF, as_of=AS_OF).raised
    )


def test_the_csv_is_utf8_with_one_header_row_of_the_documented_columns(
    client, admin_user, frozen, year_data
):
    client.force_login(admin_user)
    response = _download(client, "statistics", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statistics-2569.csv"'
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text)))
    documented = json.loads(_download(client, "statistics", "json").content)
    assert header == [column["name"] for column in documented["columns"]]
    assert all(column["description_th"] and column["type"] for column in documented["columns"])
    assert header[:5] == ["fiscal_year", "month", "dimension", "code", "name_th"]
    assert all(name == name.lower() and " " not in name for name in header)
    assert len(lines) == len(documented["rows"])
    # The same values in both files; a median of nothing is an empty cell and null.
    as_csv = _csv_rows(response)
    assert as_csv[0] == {
        name: "" if value is None else str(value) for name, value in documented["rows"][0].items()
    }
    assert documented["rows"][0]["median_days_to_resolve"] is None
    assert (documented["fiscal_year"], documented["figures_as_of"]) == (YEAR, "2026-04-30")
    # The descriptions are in Thai whatever the language of the request.
    assert "เดือน" in json.dumps(documented["columns"], ensure_ascii=False)


def test_the_page_describes_every_column_and_links_the_downloads(
    client, admin_user, frozen, year_data
):
    client.force_login(admin_user)
    page = client.get(reverse("reports:open_data"), {"year": YEAR}).content.decode()
    for column in open_data.statistics_columns() + open_data.complaints_columns():
        assert f"<code>{column.name}</code>" in page
    for table in ("statistics", "complaints"):
        for fmt in ("csv", "json"):
            assert reverse("reports:open_data_download", args=[YEAR, table, fmt]) in page
    # The complaints of the year per channel, in Thai.
    assert "แจ้งในที่ประชุมผู้นำชุมชน" in page
    assert "ผู้นำชุมชนแจ้งทางออนไลน์" in page


def test_a_year_to_come_or_before_the_era_is_not_found(client, admin_user, frozen):
    client.force_login(admin_user)
    assert _download(client, "statistics", "csv", year=YEAR + 1).status_code == 404
    assert _download(client, "complaints", "json", year=2000).status_code == 404


# Who may read it ------------------------------------------------------------------

VISITORS = (
    "anonymous",
    "no_role_user",
    "leader_user",
    "officer_user",
    "kpt_user",
    "staff_user",
    "admin_user",
)
ALLOWED = {
    "staff": {"kpt_user", "staff_user", "admin_user"},
    "signed_in": set(VISITORS) - {"anonymous"},
    "public": set(VISITORS),
}


@pytest.mark.parametrize("audience", list(ALLOWED))
@pytest.mark.parametrize("visitor", VISITORS)
def test_the_audience_setting_decides_who_reads_the_open_data(
    client, request, settings, frozen, audience, visitor
):
    settings.OPEN_DATA_AUDIENCE = audience
    if visitor != "anonymous":
        client.force_login(request.getfixturevalue(visitor))
    urls = [
        reverse("reports:open_data"),
        reverse("reports:open_data_download", args=[YEAR, "statistics", "csv"]),
        reverse("reports:open_data_download", args=[YEAR, "complaints", "json"]),
    ]
    refused = 302 if visitor == "anonymous" else 403  # anonymous: the login page
    expected = 200 if visitor in ALLOWED[audience] else refused
    assert [client.get(url).status_code for url in urls] == [expected] * 3
    if expected == 302:
        assert client.get(urls[1])["Location"].startswith(reverse("login"))


def test_the_open_data_is_for_staff_unless_the_admin_opens_it():
    assert django_settings.OPEN_DATA_AUDIENCE == "staff"


# Queries --------------------------------------------------------------------------


def test_the_page_and_downloads_ask_as_many_queries_at_ten_times_the_data(
    client, admin_user, staff_user, django_assert_max_num_queries
):
    """Measured: the page 9 queries, the statistics 13, the complaints 6 (with the
    session, the user and their roles), at 15 issues and at 150: the statistics count
    each of their communities, departments and categories in one query of its own,
    and the city from the communities' counts."""
    client.force_login(admin_user)
    year = fiscal_year(timezone.localdate())
    limits = {reverse("reports:open_data"): 9}
    for table, limit in (("statistics", 13), ("complaints", 6)):
        for fmt in ("csv", "json"):
            limits[reverse("reports:open_data_download", args=[year, table, fmt])] = limit
    for size in (15, 150):
        bulk_issues(
            size - Issue.objects.count(), staff_user=staff_user, start=Issue.objects.count()
        )
        assert Issue.objects.count() == size
        for url, limit in limits.items():
            client.get(url)  # the first request fills the caches the next ones reuse
            with django_assert_max_num_queries(limit):
                assert client.get(url).status_code == 200


def test_a_past_year_is_published_as_it_stood_at_its_end_like_its_dashboard(
    client, admin_user, monkeypatch, year_data
):
    """Once fiscal year 2569 is over, its statistics are dated its last day, as its
    dashboard is: a fix made in the next year does not rewrite the year's figures."""
    monkeypatch.setattr(open_data, "today", lambda: datetime.date(2027, 2, 1))
    client.force_login(admin_user)
    documented = json.loads(_download(client, "statistics", "json").content)
    assert documented["figures_as_of"] == "2026-09-30"
    city = [row for row in documented["rows"] if row["dimension"] == "city"]
    indicators = kpis.fiscal_year_indicators(year=YEAR, as_of=datetime.date(2026, 9, 30))
    assert sum(row["raised"] for row in city) == indicators.raised
    assert sum(row["resolved"] for row in city) == indicators.resolved
    page = client.get(reverse("reports:open_data"), {"year": YEAR}).content.decode()
    assert "30 กันยายน 2569" in page


def test_the_citys_rows_alone_are_the_city_rows_of_the_whole_table(frozen, year_data):
    """The page asks for the city's rows only: the same rows as in the download."""
    whole = open_data.statistics(year=YEAR, as_of=AS_OF)
    city = open_data.statistics(year=YEAR, as_of=AS_OF, dimensions=("city",))
    assert city.rows == [row for row in whole.rows if row["dimension"] == "city"]
    assert len(city.rows) == MONTHS
