"""One definition per figure: the tiles, the tables under them and the lists they
head count the same issues, and every figure carries its definition."""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from lxml import html

from communities.models import Department
from issues.models import Issue, Status
from reports import documents, kpis
from tests.pdf_text import nfkc, pdf_text

pytestmark = pytest.mark.django_db

# Fiscal year 2569 ran from 1 October 2025 to 30 September 2026: its dashboard
# counts as of its last day, whatever today is.
YEAR = 2569
YEAR_END = datetime.date(2026, 9, 30)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _move(issue: Issue, *, received: datetime.date, target: datetime.date | None = None):
    Issue.objects.filter(pk=issue.pk).update(received_at=_at(received), target_date=target)


@pytest.fixture
def backlog(make_issue, unrouted_issue):
    """Issues of FY 2569 and one left open from FY 2568, as of 30 September 2026:
    - 2568: raised in August 2025, still open, overdue since January 2026;
    - 2569: one open and not yet due, one overdue, one resolved, and one not yet
      routed to any department (a leader's submission from before submissions were
      routed when sent)."""
    old = make_issue(Status.FORWARDED)
    _move(old, received=datetime.date(2025, 8, 4), target=datetime.date(2026, 1, 15))
    due_later = make_issue(Status.FORWARDED, community_number=2)
    _move(due_later, received=datetime.date(2026, 9, 1), target=datetime.date(2026, 12, 31))
    overdue = make_issue(Status.IN_PROGRESS, community_number=2, category_code="drainage")
    _move(overdue, received=datetime.date(2026, 3, 2), target=datetime.date(2026, 4, 30))
    resolved = make_issue(Status.RESOLVED)
    Issue.objects.filter(pk=resolved.pk).update(
        received_at=_at(datetime.date(2026, 5, 1)), resolved_at=_at(datetime.date(2026, 5, 20))
    )
    Issue.objects.filter(pk=unrouted_issue.pk).update(received_at=_at(datetime.date(2026, 6, 1)))
    return {"old": old, "due_later": due_later, "overdue": overdue, "resolved": resolved}


def test_tiles_count_every_issue_open_on_the_day_like_the_tables(backlog):
    context = documents.dashboard_context(year=YEAR, today=datetime.date(2026, 12, 1))
    tiles = context["indicators"]

    # The open issue of FY 2568 is still open on 30 September 2026.
    assert (tiles.open, tiles.overdue) == (4, 2)
    for table in ("by_department", "by_community"):
        total = context[table].total
        assert (total.open, total.overdue) == (tiles.open, tiles.overdue), table
    assert len(kpis.overdue_issues(as_of=YEAR_END)) == tiles.overdue
    # Raised and resolved are of the year's issues, in the tiles and the tables alike.
    assert tiles.raised == 4
    assert context["by_department"].total.raised == context["by_community"].total.raised == 4
    assert context["by_department"].total.resolved == tiles.resolved == 1


def test_issues_not_routed_yet_have_a_department_row_of_their_own(backlog):
    rows = kpis.by_department(start=datetime.date(2025, 10, 1), end=YEAR_END, as_of=YEAR_END)
    unrouted = [row for row in rows if row.key is None]
    assert [(row.label, row.raised, row.open) for row in unrouted] == [("ยังไม่ได้ส่งส่วนราชการ", 1, 1)]


def _figure(tree, scope: str, key: str) -> str:
    (cell,) = tree.xpath(f'//*[@data-scope="{scope}"]//*[@data-figure="{key}"]')
    return cell.text_content().strip()


def _total(tree, table: str, key: str) -> str:
    (cell,) = tree.xpath(f'//table[@data-table="{table}"]/tfoot//*[@data-figure="{key}"]')
    return cell.text_content().strip()


def test_the_dashboard_page_shows_tiles_equal_to_the_table_totals(client, admin_user, backlog):
    client.force_login(admin_user)
    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).content.decode()
    tree = html.fromstring(page)

    assert _figure(tree, "as_of", "open") == "4"
    assert _figure(tree, "as_of", "overdue") == "2"
    assert _figure(tree, "year", "raised") == "4"
    for table in ("by_department", "by_community"):
        assert _total(tree, table, "open") == "4"
        assert _total(tree, table, "overdue") == "2"
        assert _total(tree, table, "raised") == "4"
    # Each scope is named above its tiles and every figure has its definition.
    assert "ปัญหาที่แจ้งในปีงบประมาณ 2569" in page
    assert "ทุกเรื่อง ไม่ว่าแจ้งเมื่อใด" in page
    for key in kpis.REPORT_FIGURES + kpis.TREND_FIGURES:
        assert page.count(str(kpis.FIGURES[key].definition)) == 1, key
    # The open data's own figures are described on its page, not here.
    assert str(kpis.FIGURES["handled"].definition) not in page


def test_the_monthly_pdf_counts_the_overdue_section_it_heads(backlog, settings):
    settings.PDF_THAI_DIGITS = False
    context = documents.monthly_summary_context(year=2026, month=9, today=YEAR_END)
    assert context["year_indicators"].overdue == len(context["overdue"]) == 2

    text = nfkc(pdf_text(documents.monthly_summary_pdf(year=2026, month=9, today=YEAR_END)))
    flat = "".join(text.split())
    assert nfkc("เกินกำหนด(เรื่อง)2") in flat
    assert nfkc("ปัญหาที่เกินกำหนด(2เรื่อง)") in flat
    # The definitions are printed as footnotes.
    assert nfkc("วิธีนับตัวชี้วัด") in flat
    assert nfkc("".join(str(kpis.FIGURES["open"].definition).split())) in flat


def test_the_department_report_counts_what_the_dashboard_counts_for_it(
    client, officer_user, backlog
):
    """The resolved issue waits for closing: it is listed apart, not counted as
    not yet resolved, as on the dashboard's row for the department."""
    department = Department.objects.get(code="ENG")
    context = documents.department_report_context(department=department)
    today = timezone.localdate()
    (row,) = [
        row
        for row in kpis.by_department(start=today, end=today, as_of=today)
        if row.key == department
    ]
    assert len(context["issues"]) == row.open
    assert context["overdue_count"] == row.overdue
    assert backlog["resolved"].pk not in [issue.pk for issue in context["issues"]]
    assert [issue.pk for issue in context["awaiting_closing"]] == [backlog["resolved"].pk]

    client.force_login(officer_user)
    tree = html.fromstring(client.get(reverse("reports:department", args=["ENG"])).content)
    (open_tile,) = tree.xpath('//*[@data-figure="open"]')
    assert open_tile.text_content().strip() == str(row.open)
    assert len(tree.xpath('//table[@data-table="awaiting_closing"]/tbody/tr')) == 1


@pytest.fixture
def communities_of_two_sizes(make_issue):
    """Community 1: five issues, three resolved. Community 2: four, all resolved."""
    for community, resolved, unresolved in ((1, 3, 2), (2, 4, 0)):
        for status in [Status.RESOLVED] * resolved + [Status.FORWARDED] * unresolved:
            issue = make_issue(status, community_number=community)
            Issue.objects.filter(pk=issue.pk).update(received_at=_at(datetime.date(2026, 5, 4)))
            Issue.objects.filter(pk=issue.pk, resolved_at__isnull=False).update(
                resolved_at=_at(datetime.date(2026, 6, 1))
            )


def test_a_community_with_too_few_issues_is_shown_but_not_ranked(communities_of_two_sizes):
    rows = {
        row.key.number: row
        for row in kpis.by_community(start=datetime.date(2025, 10, 1), end=YEAR_END, as_of=YEAR_END)
    }
    assert (rows[1].resolution_rate, rows[1].rank) == (60.0, 1)
    # 4 of 4 is a higher rate, from too few issues to compare.
    assert (rows[2].resolution_rate, rows[2].rank) == (100.0, None)
    assert rows[3].rank is None and rows[3].resolution_rate is None


def test_rates_carry_their_counts_on_the_page(client, admin_user, communities_of_two_sizes):
    client.force_login(admin_user)
    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).content.decode()
    tree = html.fromstring(page)
    rates = [
        " ".join(cell.text_content().split())
        for cell in tree.xpath(
            '//table[@data-table="by_community"]/tbody//*[@data-figure="resolution_rate"]'
        )
    ]
    assert rates[:2] == ["60.0% (3 จาก 5)", "100.0% (4 จาก 4)"]
    assert _figure(tree, "year", "resolution_rate") == "77.8%"
    assert "7 จาก 9" in page
    assert "ไม่จัดอันดับ" in page


def test_ranks_are_shared_by_equal_rates():
    rows = [
        kpis.GroupRow(label=name, key=name, counted=10, resolved=resolved)
        for name, resolved in (("a", 5), ("b", 8), ("c", 5), ("d", 2))
    ]
    kpis._ranked(rows)
    assert [row.rank for row in rows] == [2, 1, 2, 4]


def _thai_texts() -> dict[str, str]:
    """What a Thai reader can see, by where it comes from: the compiled catalogue, every
    template (pages and PDFs) and the LINE and e-mail texts written in Thai."""
    base = Path(settings.BASE_DIR)
    with (base / "locale/th/LC_MESSAGES/django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    texts = {"catalogue": "\n".join(catalogue.values())}
    for path in [*(base / "templates").rglob("*.html"), *(base / "notifications").glob("*.py")]:
        texts[str(path.relative_to(base))] = path.read_text()
    return texts


def test_one_thai_term_for_each_concept():
    """The README's glossary gives one word for each concept and no other is used:
    "open" is ยังไม่ปิด (not closed) in lists and ยังไม่แล้วเสร็จ (not yet resolved) in
    the indicators, never เรื่องค้าง; an issue logged is รับแจ้ง and the department's
    taking it on is ตอบรับเรื่อง, never the ambiguous รับเรื่อง (สำหรับเรื่อง is
    another word); the municipality's
    กอง and สำนัก are ส่วนราชการ, and หน่วยงาน is only an agency outside it
    (หน่วยงานภายนอก, หน่วยงานอื่น) or a guest's organisation (ตำแหน่งหรือหน่วยงาน)."""
    texts = _thai_texts()
    assert "ตอบรับเรื่อง" in texts["catalogue"] and "รับแจ้ง" in texts["catalogue"]
    not_chosen = {
        "เรื่องค้าง": re.compile("เรื่องค้าง"),
        "รับเรื่อง": re.compile("(?<!ตอบ)(?<!สำห)รับเรื่อง"),
        "หน่วยงาน": re.compile("(?<!ตำแหน่งหรือ)หน่วยงาน(?!ภายนอก|อื่น)"),
    }
    found = {
        (word, where, match.string[match.start() - 20 : match.end() + 20])
        for word, pattern in not_chosen.items()
        for where, text in texts.items()
        for match in pattern.finditer(text)
    }
    assert not found


def test_the_community_report_counts_what_the_dashboard_counts_for_it(staff_user, backlog):
    """Community 1 has the open issue of FY 2568 and a resolved one waiting for
    closing: one not yet resolved, as on its dashboard row, and one apart."""
    community = backlog["old"].community
    context = documents.community_report_context(community=community, user=staff_user)
    today = timezone.localdate()
    (row,) = [
        row
        for row in kpis.by_community(start=today, end=today, as_of=today)
        if row.key == community
    ]
    assert context["not_resolved_count"] == row.open == 2  # the old one, the submission
    assert context["awaiting_closing_count"] == 1

    text = "".join(
        nfkc(pdf_text(documents.community_report_pdf(community=community, user=staff_user))).split()
    )
    assert nfkc("ปัญหาที่ยังไม่แล้วเสร็จ๒เรื่องแก้ไขแล้วรอปิดเรื่อง๑เรื่อง") in text
    assert nfkc("".join(str(kpis.FIGURES["open"].definition).split())) in text


def test_the_trend_bars_are_labelled_with_their_own_month_and_year(backlog):
    """Fiscal year 2569's December is December 2568 and the year before's December
    2567: each bar says which, with the trend's own names for what it counts."""
    chart = documents.dashboard_context(year=YEAR, today=datetime.date(2026, 12, 1))["trend_chart"]
    assert "<title>แจ้งในเดือน ธันวาคม 2568: 0</title>" in chart
    assert "<title>แจ้งในเดือน ธันวาคม 2567: 0</title>" in chart
    assert "<title>แจ้งในเดือน มีนาคม 2569: 1</title>" in chart  # the overdue one
    assert "<title>แก้ไขแล้วในเดือน พฤษภาคม 2569: 1</title>" in chart
    assert "2570:" not in chart


def test_the_department_report_describes_each_of_its_figures(client, officer_user, backlog):
    client.force_login(officer_user)
    page = client.get(reverse("reports:department", args=["ENG"])).content.decode()
    for key in ("open", "overdue", "awaiting_closing"):
        assert str(kpis.FIGURES[key].definition) in page, key
    assert "ระยะเวลาแก้ไข (มัธยฐาน, วัน) ปีงบประมาณ" in page
    assert "มัธยฐานวันที่แก้ไขแล้วเสร็จ" not in page


def test_every_link_the_dashboard_gives_its_readers_opens_for_them(
    client, admin_user, staff_user, kpt_user, backlog
):
    """The follow-up team read the dashboard: its monthly summaries, department and
    community reports and open data open for them, as for the secretariat."""
    for user in (kpt_user, staff_user, admin_user):
        client.force_login(user)
        for year in (YEAR, YEAR + 1):
            tree = html.fromstring(client.get(reverse("reports:dashboard"), {"year": year}).content)
            links = {
                href
                for href in tree.xpath("//main//a/@href")
                if href.startswith("/") and not href.startswith("/?")
            }
            assert any(link.startswith("/reports/monthly/") for link in links)
            for link in sorted(links):
                assert client.get(link).status_code == 200, (user.username, link)
