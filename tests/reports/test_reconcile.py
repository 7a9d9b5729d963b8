"""Every figure the reports print can be checked against the rows under it.

For issue data of several shapes (``reconcile_data``): each total of the dashboard,
the monthly summary (page and PDF) and the community and department reports equals
the sum of its rows and the length of the list it heads, and a figure shown on two
pages is the same number on both. The reports are read as on a fixed day; the
figures "on the date of the figures" (not yet resolved, overdue) are also checked
against their definition, read from the rows in Python.
"""

import datetime
import re
from collections import defaultdict

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

from communities.models import Community, Department
from core.thaidates import fiscal_year, fiscal_year_bounds
from reports import documents, kpis, open_data
from tests.factories import make_user
from tests.pdf_text import nfkc, pdf_text

from .reconcile_data import (
    SHAPES,
    clear_issues,
    datasets,
    issues_from,
    open_on,
    overdue_on,
    received_in,
    resolved_on,
    runs,
)

pytestmark = pytest.mark.django_db

COUNTS = ("raised", "resolved", "open", "overdue")


@pytest.fixture
def frozen_clock(monkeypatch):
    """``freeze(day)`` makes ``timezone.localdate()`` say ``day``: what the pages and
    the list columns read as today."""
    real = timezone.localdate

    def freeze(day: datetime.date) -> None:
        def localdate(value=None, timezone=None):
            return day if value is None else real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)

    return freeze


def _load(dataset, freeze=None):
    """Start the example from an empty issue table, write the dataset, and read the
    reports as on the dataset's day."""
    clear_issues()
    if freeze is not None:
        freeze(dataset.today)
    return issues_from(dataset)


def _month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    return documents.month_bounds(day.year, day.month)


def _months_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _sums(rows) -> dict:
    return {key: sum(getattr(row, key) for row in rows) for key in COUNTS}


def _assert_rows_add_up(rows, ind, *, table: str, keys=COUNTS):
    sums = _sums(rows)
    tiles = {key: getattr(ind, key) for key in keys}
    assert {key: sums[key] for key in keys} == tiles, (
        f"{table}: the rows add up to {sums}, the tiles say {tiles}"
    )


# The contexts ------------------------------------------------------------------


@pytest.mark.parametrize("shape", list(SHAPES))
@runs(6)
@given(data=st.data())
def test_dashboard_tiles_are_the_sums_of_its_tables(shape, data):
    dataset = data.draw(datasets(shape), label="dataset")
    # This fiscal year's dashboard, or last year's (as it stood on its last day).
    year = fiscal_year(dataset.today) - data.draw(st.sampled_from((0, 1)), label="years_back")
    issues = _load(dataset)
    context = documents.dashboard_context(year=year, today=dataset.today)
    ind = context["indicators"]
    start, end = fiscal_year_bounds(year)
    as_of = min(dataset.today, end)
    assert context["as_of"] == as_of

    _assert_rows_add_up(context["by_community"], ind, table="by community")
    _assert_rows_add_up(context["by_department"], ind, table="by department")
    assert {row.key.pk for row in context["by_community"]} == set(
        Community.objects.values_list("pk", flat=True)
    ), "the community table lists every community"
    # The figures mean what their definitions say.
    raised = [issue for issue in issues if received_in(issue, start, as_of)]
    assert ind.raised == len(raised)
    assert ind.resolved == sum(resolved_on(issue, as_of) for issue in raised)
    assert ind.open == sum(open_on(issue, as_of) for issue in issues)
    assert ind.overdue == sum(overdue_on(issue, as_of) for issue in issues)
    assert len(kpis.overdue_issues(as_of=as_of)) == ind.overdue
    assert ind.resolved <= ind.counted <= ind.raised
    assert ind.resolved + ind.partly_fixed <= ind.counted
    assert sum(count for _value, _label, count in ind.outcome_rows) == ind.closed
    # The month-by-month table: its total is the year's, its last month ends on the day.
    trend = context["trend"]
    assert sum(row.raised for row in trend) == context["trend_total"].raised == ind.raised
    assert trend[-1].open_at_end == ind.open
    assert sum(row.raised for row in context["trend"]) == ind.raised


@pytest.mark.parametrize("shape", list(SHAPES))
@runs(5)
@given(data=st.data())
def test_monthly_summary_totals_reconcile(shape, data):
    dataset = data.draw(datasets(shape), label="dataset")
    months_back = data.draw(st.integers(0, 3), label="months_back")
    issues = _load(dataset)
    today = dataset.today
    first = _months_back(today, months_back)
    start, end = _month_bounds(first)
    context = documents.monthly_summary_context(year=first.year, month=first.month, today=today)
    as_of = context["as_of"]
    assert as_of == min(today, end)
    month, year = context["month_indicators"], context["year_indicators"]

    _assert_rows_add_up(context["by_department"], month, table="by department")
    _assert_rows_add_up(context["by_category"], month, table="by category")
    # Not yet resolved and overdue are figures of the day, whenever raised: the
    # month's, the year's and the overdue list's are one number.
    assert (month.open, month.overdue) == (year.open, year.overdue)
    assert len(context["overdue"]) == year.overdue
    assert month.raised == sum(received_in(issue, start, end) for issue in issues)
    assert year.open == sum(open_on(issue, as_of) for issue in issues)
    assert year.overdue == sum(overdue_on(issue, as_of) for issue in issues)
    assert sum(row.raised for row in context["trend"]) == year.raised
    # The month's issues are some of the year's.
    assert month.raised <= year.raised and month.resolved <= year.resolved
    if as_of == today:
        dashboard = documents.dashboard_context(year=context["fiscal_year"], today=today)
        assert dashboard["indicators"] == year


@pytest.fixture
def reader(reference_data):
    """Someone who may read every report: the city's administrator."""
    return make_user(username="reconciler", role="admin")


@pytest.mark.parametrize("shape", list(SHAPES))
@runs(4)
@given(data=st.data())
def test_department_and_community_reports_agree_with_the_dashboard(
    shape, data, reader, frozen_clock
):
    dataset = data.draw(datasets(shape), label="dataset")
    _load(dataset)
    today = dataset.today
    # The department report counts as of the day it is given, whatever the clock says.
    frozen_clock(today + datetime.timedelta(days=400))
    context = documents.dashboard_context(year=fiscal_year(today), today=today)
    departments = {row.key.pk: row for row in context["by_department"] if row.key is not None}
    for department in Department.objects.exclude(kind=Department.Kind.EXTERNAL):
        row = departments.get(department.pk)
        report = documents.department_report_context(department=department, today=today)
        shown = (len(report["issues"]), report["overdue_count"])
        expected = (row.open, row.overdue) if row else (0, 0)
        assert shown == expected, (
            f"{department.code}: the report says {shown} not yet resolved and overdue, "
            f"the dashboard's row {expected}"
        )
        assert report["overdue_count"] == sum(issue.overdue for issue in report["issues"])
    # The community report counts as of the clock's day.
    frozen_clock(today)
    communities = {row.key.pk: row for row in context["by_community"]}
    for community in _communities_to_read(context):
        report = documents.community_report_context(community=community, user=reader)
        shown, expected = report["not_resolved_count"], communities[community.pk].open
        assert shown == expected, (
            f"community {community.number}: the report says {shown} not yet resolved, "
            f"the dashboard's row {expected}"
        )
        # The three counts head the list of the report's issues.
        counts = (shown, report["awaiting_closing_count"], report["closed_count"])
        assert sum(counts) == len(report["issues"]), (counts, len(report["issues"]))


def _communities_to_read(dashboard: dict) -> list:
    """Every community with an issue in the dashboard's table, and one without."""
    rows = dashboard["by_community"]
    busy = [row.key for row in rows if row.raised or row.open]
    idle = [row.key for row in rows if not (row.raised or row.open)]
    return busy + idle[:1]


# The pages and the PDF -----------------------------------------------------------

_FROM_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def number(text: str):
    """The figure a cell shows: an int, a float for a rate ("50.0%", also "50.0%
    (1 of 2)"), None for "—"; in ASCII or Thai digits."""
    text = nfkc(text).translate(_FROM_THAI_DIGITS).strip().replace(",", "")
    if text in ("", "—", "-"):
        return None
    rate = re.match(r"([0-9.]+)%", text)
    if rate:
        return float(rate.group(1))
    return float(text) if "." in text else int(text)


def tiles(root) -> dict:
    """The figures of the tiles under ``root`` (not those of a table), by key."""
    found = {}
    for element in root.xpath(".//*[@data-figure][not(ancestor::table)]"):
        key = element.get("data-figure")
        assert key not in found, f"two tiles show {key}"
        found[key] = number(element.text_content())
    return found


def scope(page, name: str) -> dict:
    (element,) = page.xpath(f"//*[@data-scope='{name}']")
    return tiles(element)


def table(root, name: str):
    tables = root.xpath(f".//table[@data-table='{name}']")
    assert len(tables) == 1, f"{len(tables)} tables {name}"
    return tables[0]


def table_totals(element, name: str, keys=COUNTS) -> dict:
    """Check that each total of the table's footer equals the sum of its body rows;
    return the footer's figures (its resolution rate too, if it shows one)."""
    if not element.xpath("./tbody/tr/*[@data-figure]"):
        # No row at all ("—"), and no total: nothing is counted.
        assert not element.xpath("./tfoot"), f"{name}: a total without rows"
        return {key: 0 for key in keys} | ({"resolution_rate": None} if "raised" in keys else {})
    totals = {}
    for key in keys:
        cells = element.xpath(f"./tbody/tr/*[@data-figure='{key}']")
        footer = element.xpath(f"./tfoot/tr/*[@data-figure='{key}']")
        assert len(footer) == 1, f"{name}: {len(footer)} totals of {key}"
        totals[key] = number(footer[0].text_content())
        rows = sum(number(cell.text_content()) for cell in cells)
        assert rows == totals[key], (
            f"{name}: the rows' {key} add up to {rows}, the total says {totals[key]}"
        )
    rate = element.xpath("./tfoot/tr/*[@data-figure='resolution_rate']")
    if rate:
        totals["resolution_rate"] = number(rate[0].text_content())
    return totals


def _page(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return response, lxml_html.fromstring(response.content.decode())


# The tiles of a period, and those of the day (every issue, whenever raised).
PERIOD_FIGURES = (
    "raised",
    "resolved",
    "resolution_rate",
    "partly_fixed",
    "median_days",
    "within_target",
)
DAY_FIGURES = ("open", "overdue")


def _figures_of(ind, keys) -> dict:
    figures = {
        "raised": ind.raised,
        "resolved": ind.resolved,
        "resolution_rate": ind.resolution_rate,
        "partly_fixed": ind.partly_fixed,
        "median_days": ind.median_days_to_resolve,
        "within_target": ind.within_target_rate,
        "open": ind.open,
        "overdue": ind.overdue,
    }
    return {key: figures[key] for key in keys}


def _outcome_totals(page) -> list[int]:
    """The total of each table of closings by outcome, checked against its rows."""
    totals = []
    for element in page.xpath("//table[./tfoot//*[@data-figure='closed']]"):
        totals.append(table_totals(element, "outcomes", keys=("closed",))["closed"])
    return totals


@pytest.mark.parametrize("shape", list(SHAPES))
@runs(3)
@given(data=st.data())
def test_dashboard_page_totals_reconcile(shape, data, client, reader, frozen_clock):
    dataset = data.draw(datasets(shape), label="dataset")
    _load(dataset, frozen_clock)
    client.force_login(reader)
    response, page = _page(client, reverse("reports:dashboard"))
    ind = response.context["indicators"]
    year, day = scope(page, "year"), scope(page, "as_of")
    assert year == _figures_of(ind, PERIOD_FIGURES)
    assert day == _figures_of(ind, DAY_FIGURES)
    assert set(year) | set(day) <= set(kpis.FIGURES)
    shown = {**year, **day}
    for name in ("by_department", "by_community"):
        totals = table_totals(table(page, name), name)
        expected = {key: shown[key] for key in totals}
        assert totals == expected, f"{name}: the totals say {totals}, the tiles {expected}"
    assert _outcome_totals(page) == [ind.closed]


@pytest.mark.parametrize("shape", list(SHAPES))
@runs(3)
@given(data=st.data())
def test_monthly_page_totals_reconcile(shape, data, client, reader, frozen_clock):
    dataset = data.draw(datasets(shape), label="dataset")
    first = _months_back(dataset.today, data.draw(st.integers(0, 2), label="months_back"))
    _load(dataset, frozen_clock)
    client.force_login(reader)
    response, page = _page(client, reverse("reports:monthly", args=[first.year, first.month]))
    context = response.context
    month, year, day = scope(page, "month"), scope(page, "year"), scope(page, "as_of")
    assert month == _figures_of(context["month_indicators"], PERIOD_FIGURES)
    assert year == _figures_of(context["year_indicators"], PERIOD_FIGURES)
    assert day == _figures_of(context["year_indicators"], DAY_FIGURES)
    assert day == _figures_of(context["month_indicators"], DAY_FIGURES)
    # The tables are of the month's issues, and of every issue on the day.
    shown = {**month, **day}
    for name in ("by_department", "by_category"):
        totals = table_totals(table(page, name), name)
        expected = {key: shown[key] for key in totals}
        assert totals == expected, f"{name}: the totals say {totals}, the tiles {expected}"
    assert _outcome_totals(page) == [
        context["month_indicators"].closed,
        context["year_indicators"].closed,
    ]
    overdue = table(page, "overdue")
    listed = overdue.xpath("./tbody/tr[.//a]")
    assert len(listed) == day["overdue"], f"{len(listed)} overdue listed, the tile says {day}"
    heading = overdue.xpath("preceding::h2[1]")[0].text_content()
    assert number(re.search(r"\(([^)]*)\)", heading).group(1)) == day["overdue"], heading


@pytest.mark.parametrize("shape", ["one_community", "backlog", "mixed"])
@runs(2)
@given(data=st.data())
def test_department_and_community_pages_show_the_dashboard_rows(
    shape, data, client, reader, frozen_clock
):
    dataset = data.draw(datasets(shape), label="dataset")
    _load(dataset, frozen_clock)
    client.force_login(reader)
    _response, dashboard = _page(client, reverse("reports:dashboard"))
    rows = {}
    for name in ("by_department", "by_community"):
        for row in table(dashboard, name).xpath("./tbody/tr[.//a]"):
            link = row.xpath(".//a/@href")[0]
            rows[link] = {
                key: number(row.xpath(f"./*[@data-figure='{key}']")[0].text_content())
                for key in DAY_FIGURES
            }
    assert rows, "the dashboard links every community's report"
    department_links = [link for link in rows if "/departments/" in link]
    community_links = [link for link in rows if "/communities/" in link]
    busy = [link for link in community_links if rows[link]["open"]]
    for link in department_links + busy[:3] + community_links[:1]:
        _response, report = _page(client, link)
        shown = tiles(report)
        if "/departments/" in link:
            expected = rows[link]
            listed = len(table(report, "open").xpath("./tbody/tr[.//a]"))
            assert listed == shown["open"], f"{link}: {listed} listed, the tile says {shown}"
        else:
            expected = {"open": rows[link]["open"]}
        assert {key: shown[key] for key in expected} == expected, (
            f"{link} shows {shown}, the dashboard's row {expected}"
        )
    if busy:
        # The printed report of the community with the most issues not yet resolved.
        link = max(busy, key=lambda link: rows[link]["open"])
        text = " ".join(pdf_text(client.get(link.rstrip("/") + ".pdf").content).split())
        printed = re.search(nfkc(r"ปัญหาที่ยังไม่แล้วเสร็จ ([0-9๐-๙]+) เรื่อง"), text)
        assert printed and number(printed.group(1)) == rows[link]["open"], (link, text[:300])


def _pdf_figures(text: str) -> dict:
    """The figures of the monthly PDF read back: not yet resolved and overdue on the
    day, the overdue section's count in its heading, and the totals of the department
    table (raised, resolved, not yet resolved, overdue)."""
    flat = " ".join(text.split())
    n = r"([0-9๐-๙]+)"
    rate = r"(?:—|[0-9๐-๙.]+% \([0-9๐-๙]+ จาก [0-9๐-๙]+\))"
    found = {
        "open": re.search(nfkc(rf"ยังไม่แล้วเสร็จ \(เรื่อง\) {n}"), flat),
        "overdue": re.search(nfkc(rf"เกินกำหนด \(เรื่อง\) {n}"), flat),
        "heading": re.search(nfkc(rf"ปัญหาที่เกินกำหนด \({n} เรื่อง\)"), flat),
    }
    assert all(found.values()), flat
    figures = {key: number(match.group(1)) for key, match in found.items()}
    section = flat[
        flat.index(nfkc("๓. ปัญหาแยกตามส่วนราชการ")) : flat.index(nfkc("๔. ปัญหาแยกตามหมวด"))
    ]
    total = re.search(nfkc(rf"รวม {n} {n} {rate} {n} {n}"), section)
    if nfkc("รวม") in section:
        assert total, section
        figures["department_total"] = tuple(number(value) for value in total.groups())
    else:
        figures["department_total"] = None  # no row at all: the table shows "—"
    return figures


@pytest.mark.parametrize("shape", ["backlog", "month_turns", "mixed"])
@runs(2)
@given(data=st.data())
def test_monthly_pdf_figures_are_those_of_its_sections(shape, data):
    dataset = data.draw(datasets(shape), label="dataset")
    thai_digits = data.draw(st.booleans(), label="thai_digits")
    issues = _load(dataset)
    today = dataset.today
    with override_settings(PDF_THAI_DIGITS=thai_digits):
        content = documents.monthly_summary_pdf(year=today.year, month=today.month, today=today)
    figures = _pdf_figures(pdf_text(content))
    open_ = sum(open_on(issue, today) for issue in issues)
    overdue = sum(overdue_on(issue, today) for issue in issues)
    assert (figures["open"], figures["overdue"], figures["heading"]) == (open_, overdue, overdue)
    month = kpis.indicators(start=today.replace(day=1), end=today, as_of=today)
    expected = (month.raised, month.resolved, open_, overdue)
    if figures["department_total"] is not None or any(expected):
        assert figures["department_total"] == expected, figures


@pytest.mark.parametrize("shape", ["single", "one_community", "backlog", "month_turns", "mixed"])
@runs(3)
@given(data=st.data())
def test_open_data_statistics_are_the_dashboard_and_monthly_figures(shape, data):
    """The published statistics per month add up to the dashboard's rows, and each
    month's city row is that month's summary."""
    dataset = data.draw(datasets(shape), label="dataset")
    _load(dataset)
    today = dataset.today
    year = fiscal_year(today)
    table = open_data.statistics(year=year, as_of=today)
    rows = defaultdict(list)
    for row in table.rows:
        rows[(row["dimension"], row["code"])].append(row)
    dashboard = documents.dashboard_context(year=year, today=today)
    current = today.strftime("%Y-%m")

    def published(dimension: str, code: str) -> dict:
        months = rows[(dimension, code)]
        (last,) = [row for row in months if row["month"] == current]
        return {
            "raised": sum(row["raised"] for row in months),
            "resolved": sum(row["resolved"] for row in months),
            "open": last["not_yet_resolved_at_month_end"],
            "overdue": last["overdue_at_month_end"],
        }

    ind = dashboard["indicators"]
    city = {key: getattr(ind, key) for key in COUNTS}
    assert published("city", open_data.CITY_CODE) == city
    for name, dimension, code_of in (
        ("by_community", "community", lambda key: str(key.number)),
        (
            "by_department",
            "department",
            lambda key: key.code if key is not None else open_data.UNROUTED_CODE,
        ),
    ):
        for row in dashboard[name]:
            code = code_of(row.key)
            expected = {key: getattr(row, key) for key in COUNTS}
            assert published(dimension, code) == expected, (
                f"{dimension} {code}: published {published(dimension, code)}, "
                f"the dashboard {expected}"
            )
    # A month's city row is the month's summary, as it stood at the month's end: the
    # fiscal year's first month and its last two.
    months = rows[("city", open_data.CITY_CODE)]
    assert [row["not_yet_resolved_at_month_end"] for row in months] == [
        row.open_at_end for row in dashboard["trend"]
    ], "the published stock at each month's end is the dashboard's trend"
    for row in {id(row): row for row in [*months[:1], *months[-2:]]}.values():
        first = datetime.date.fromisoformat(row["month"] + "-01")
        summary = documents.monthly_summary_context(year=first.year, month=first.month, today=today)
        month = summary["month_indicators"]
        shown = (row["raised"], row["not_yet_resolved_at_month_end"], row["overdue_at_month_end"])
        assert shown == (month.raised, month.open, month.overdue), (row["month"], shown, month)
