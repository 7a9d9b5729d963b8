"""What the reports show: the monthly summary, the dashboard, the community's progress
and the department's open work. Each builder returns a template context; the pages
and the PDFs render the same context."""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from accounts.permissions import user_department
from communities.models import Community, Department, Participant
from core.pdf import image_data_uri, render_pdf
from core.thaidates import fiscal_year, format_month
from issues.models import (
    ENDED_STATUSES,
    UNRESOLVED_STATUSES,
    Issue,
    IssuePhoto,
    IssueUpdate,
    Status,
)
from issues.selectors import overdue_q, visible_issues, visible_updates_q, with_list_columns
from meetings.models import Attendance, Meeting

from . import charts, kpis


@dataclass(frozen=True)
class Compiler:
    """Who compiled a report: their name and position and the office that issues it."""

    name: str
    position: str
    office: str


def compiler_of(user) -> Compiler:
    """Return who compiles a report printed by ``user`` (nobody named, for the command
    line): their name, their position on the roll or their department, and the
    issuing office — the department and the municipality."""
    municipality = settings.MUNICIPALITY_NAME
    if user is None:
        return Compiler(name="", position="", office=municipality)
    participant = getattr(user, "participant", None)
    department = user_department(user)
    position = (participant.position if participant else "") or (
        department.name_th if department else ""
    )
    office = f"{department.name_th} {municipality}" if department else municipality
    return Compiler(
        name=user.get_full_name() or user.get_username(), position=position, office=office
    )


# A report lists at most this many issues of a long list, the most urgent first,
# says how many there are in all and links to the issue list, filtered, for the rest.
MONTHLY_OVERDUE_LIMIT = 50
DEPARTMENT_LIST_LIMIT = 50


def issue_list_url(**filters) -> str:
    """Return the issue list's address filtered by ``filters`` (a list repeats its key)."""
    return f"{reverse('issues:list')}?{urlencode(filters, doseq=True)}"


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def _month_label(day: datetime.date) -> str:
    return format_month(day, short=True).split(" ")[0]


def _trend_chart(trend: list[kpis.MonthRow], *, year: int) -> str:
    """Return the chart of ``trend``: fiscal year ``year``'s issues raised and resolved
    per month, each month in front of the same month of the year before."""
    gettext = translation.gettext
    return charts.trend_chart(
        labels=[_month_label(row.month) for row in trend],
        current=charts.YearSeries(
            str(year),
            raised=[row.raised for row in trend],
            resolved=[row.resolved for row in trend],
            months=[format_month(row.month) for row in trend],
        ),
        previous=charts.YearSeries(
            str(year - 1),
            raised=[row.previous.raised for row in trend],
            resolved=[row.previous.resolved for row in trend],
            months=[format_month(row.previous.month) for row in trend],
        ),
        raised_label=str(kpis.FIGURES["raised_in_month"].name),
        resolved_label=str(kpis.FIGURES["resolved_in_month"].name),
        year_heading=gettext("Fiscal year"),
        title=gettext(
            "Issues raised and resolved per month, fiscal year %(year)s beside %(previous)s"
        )
        % {"year": year, "previous": year - 1},
    )


def _trend(*, year: int, as_of: datetime.date) -> dict:
    """Return the trend keys of a report's context: the months of fiscal year ``year``
    to ``as_of`` with the year before, their totals, chart and figures' definitions."""
    trend = kpis.monthly_trend(year=year, as_of=as_of)
    return {
        "trend": trend,
        "trend_total": kpis.trend_total(trend),
        "trend_chart": _trend_chart(trend, year=year),
        "trend_figures": [kpis.FIGURES[key] for key in kpis.TREND_FIGURES],
        "previous_fiscal_year": year - 1,
    }


def community_attendance(*, meetings: list[Meeting]) -> list[dict]:
    """Return one row per community: for each meeting, how many of its people came."""
    counts = (
        Attendance.objects.filter(
            meeting__in=meetings,
            status__in=Attendance.ATTENDED,
            participant__role__in=Participant.COMMUNITY_ROLES,
        )
        .values("participant__community", "meeting")
        .annotate(people=Count("pk"))
    )
    by_key = {(row["participant__community"], row["meeting"]): row["people"] for row in counts}
    rows = []
    for community in Community.objects.filter(active=True).order_by("number"):
        people = [by_key.get((community.pk, meeting.pk), 0) for meeting in meetings]
        rows.append({"community": community, "people": people, "attended": any(people)})
    return rows


def monthly_summary_context(*, year: int, month: int, today: datetime.date | None = None) -> dict:
    """Return the monthly summary of ``year``-``month`` (CE), as it stands today
    (or at the month's end, for a past month)."""
    today = today or timezone.localdate()
    start, end = month_bounds(year, month)
    as_of = min(today, end)
    meetings = list(
        Meeting.objects.filter(date__range=(start, end))
        .exclude(status=Meeting.Status.DRAFT)
        .order_by("date")
    )
    attendance = community_attendance(meetings=meetings)
    fy = fiscal_year(start)
    # The year's tiles, the month's and its tables count the same issues still open
    # on ``as_of``: counted once.
    by = ("department", "category")
    still_open = kpis.open_rows(by, as_of=as_of)
    year_start, year_end = kpis.fiscal_year_bounds(fy)
    year_indicators, _tables = kpis.indicators_and_tables(
        start=year_start, end=min(year_end, as_of), as_of=as_of, by=(), still_open=still_open
    )
    month_indicators, tables = kpis.indicators_and_tables(
        start=start, end=end, as_of=as_of, by=by, still_open=still_open
    )
    return {
        "year": year,
        "month": month,
        "start": start,
        "end": end,
        "as_of": as_of,
        "fiscal_year": fy,
        "meetings": meetings,
        "attendance": attendance,
        "communities_attended": sum(row["attended"] for row in attendance),
        "figures": kpis.FIGURES,
        "described_figures": [
            kpis.FIGURES[key] for key in kpis.REPORT_FIGURES + kpis.TREND_FIGURES
        ],
        "ranking_min": kpis.RANKING_MIN_ISSUES,
        "month_indicators": month_indicators,
        "year_indicators": year_indicators,
        "by_department": tables["department"],
        "by_category": tables["category"],
        # The most overdue (``MONTHLY_OVERDUE_LIMIT``) of ``overdue_count``, which is
        # the overdue figure: every issue open on ``as_of`` past its target date.
        "overdue": kpis.overdue_issues(as_of=as_of, limit=MONTHLY_OVERDUE_LIMIT),
        "overdue_count": year_indicators.overdue,
        "overdue_url": issue_list_url(overdue="on"),
        **_trend(year=fy, as_of=as_of),
    }


def monthly_summary_pdf(
    *, year: int, month: int, today: datetime.date | None = None, user=None, live_url: str = ""
) -> bytes:
    """Return the monthly summary PDF, signed by ``user`` who compiled it; the overdue
    list is cut (``MONTHLY_OVERDUE_LIMIT``) with a pointer to ``live_url``, the issue
    list of every issue overdue (``issue_list_url(overdue="on")``, in full)."""
    with translation.override("th"):
        context = monthly_summary_context(year=year, month=month, today=today)
        context["municipality"] = settings.MUNICIPALITY_NAME
        context["compiler"] = compiler_of(user)
        context["live_url"] = live_url
        return render_pdf("reports/pdf/monthly_summary.html", context, keep=True)


def dashboard_context(*, year: int, today: datetime.date | None = None) -> dict:
    """Return the city's indicators for fiscal year ``year`` (B.E.) as they stand today."""
    today = today or timezone.localdate()
    start, end = kpis.fiscal_year_bounds(year)
    as_of = min(today, end)
    # The tiles and the two tables count the same issues: one pass over them.
    indicators, tables = kpis.indicators_and_tables(
        start=start, end=min(end, as_of), as_of=as_of, by=("department", "community")
    )
    return {
        "fiscal_year": year,
        "as_of": as_of,
        "figures": kpis.FIGURES,
        "described_figures": [kpis.FIGURES[key] for key in kpis.REPORT_FIGURES],
        "ranking_min": kpis.RANKING_MIN_ISSUES,
        "indicators": indicators,
        **_trend(year=year, as_of=as_of),
        "by_department": tables["department"],
        "by_community": tables["community"],
    }


# The columns a community's report (its page and its PDF) reads of each issue and of
# each entry of its timeline.
REPORT_ISSUE_FIELDS = (
    "fiscal_year",
    "number",
    "title",
    "status",
    "target_date",
    "department__name_th",
    "department__name_en",
)
REPORT_UPDATE_FIELDS = (
    "issue",
    "created_at",
    "kind",
    "to_status",
    "note",
    "is_public",
    "to_department__name_th",
    "to_department__name_en",
)


def community_report_context(*, community: Community, user, published: bool = False) -> dict:
    """Return the community's open issues and those closed in the current fiscal year
    that ``user`` may read, each with its timeline and its latest photos.

    The timelines hold the notes ``user`` may read; a ``published`` report (the PDF
    the leader reads out to the community) holds public notes only."""
    year_start, _end = kpis.fiscal_year_bounds(fiscal_year(timezone.localdate()))
    reported = (
        visible_issues(user)
        .filter(community=community)
        # The open ones named by their statuses rather than as "not ended", so that
        # the index on (community, status) finds them without reading the
        # community's years of closed issues; and those ended this fiscal year.
        .filter(
            Q(status__in=[status for status in Status if status not in ENDED_STATUSES])
            | Q(ended_at__gte=kpis.day_start(year_start))
        )
    )
    issues = list(
        with_list_columns(reported)
        # Each issue names its department; its community is the report's and its
        # category is not shown, so neither is joined (a third of the page's rows).
        .select_related(None)
        .select_related("department")
        # What the report and its PDF show of each issue, not its forty columns.
        .only(*REPORT_ISSUE_FIELDS)
        .order_by("-overdue", "status", "-received_at")
    )
    # The timelines and their photos, each read in one query that names the issues by
    # the report's filter, not by a list of hundreds of ids to send and to parse.
    updates = IssueUpdate.objects.filter(visible_updates_q(None if published else user)).filter(
        issue__in=reported.values("pk")
    )
    photos: dict[int, list[IssuePhoto]] = {}
    for photo in IssuePhoto.objects.filter(update__in=updates.values("pk")).order_by("pk"):
        photos.setdefault(photo.update_id, []).append(photo)
    timelines: dict[int, list[IssueUpdate]] = {}
    entries = updates.select_related("to_department").only(*REPORT_UPDATE_FIELDS)
    for update in entries.order_by("created_at", "pk"):
        update.photo_list = photos.get(update.pk, [])
        timelines.setdefault(update.issue_id, []).append(update)
    for issue in issues:
        issue.timeline = timelines.get(issue.pk, [])
    # What each entry did, named once a report: a model's get_..._display translates
    # every one of its choices at each call, most of the time this page took to render.
    statuses, kinds = (
        {value: str(label) for value, label in choices}
        for choices in (Status.choices, IssueUpdate.Kind.choices)
    )
    for issue in issues:
        for update in issue.timeline:
            update.action = statuses.get(update.to_status) or kinds.get(update.kind, "")
        photos = [photo for update in issue.timeline for photo in update.photo_list]
        issue.latest_photos = photos[-3:]
    return {
        "community": community,
        "figures": kpis.FIGURES,
        "issues": issues,
        "not_resolved_count": sum(issue.status in UNRESOLVED_STATUSES for issue in issues),
        "awaiting_closing_count": sum(issue.status == Status.RESOLVED for issue in issues),
        "closed_count": sum(not issue.is_open for issue in issues),
    }


def community_report_pdf(*, community: Community, user) -> bytes:
    """Return the community's report as ``user`` may read it, with public notes only."""
    with translation.override("th"):
        context = community_report_context(community=community, user=user, published=True)
        for issue in context["issues"]:
            issue.photo_uris = [image_data_uri(photo.thumbnail) for photo in issue.latest_photos]
        context["today"] = timezone.localdate()
        context["compiler"] = compiler_of(user)
        return render_pdf("reports/pdf/community_report.html", context, keep=True)


def department_report_context(
    *, department: Department, today: datetime.date | None = None
) -> dict:
    """Return the department's issues not yet resolved, overdue first then oldest,
    with their age, those it resolved that wait for closing, and its median days to
    first response and to resolution this fiscal year. The counts are the
    dashboard's figures for the department's row (``kpis.open_on``); each list holds
    its first ``DEPARTMENT_LIST_LIMIT`` issues, with the address of all of them."""
    today = today or timezone.localdate()
    issues = Issue.objects.filter(department=department)
    not_resolved_q, awaiting_q = Q(status__in=UNRESOLVED_STATUSES), Q(status=Status.RESOLVED)
    # Counted among the issues it still has to finish only: the index on (status,
    # department) finds them without reading the department's years of closed ones.
    # Overdue on ``today``, the day of the figures.
    counts = issues.filter(not_resolved_q | awaiting_q).aggregate(
        open=Count("pk", filter=not_resolved_q),
        overdue=Count("pk", filter=overdue_q(today)),
        awaiting_closing=Count("pk", filter=awaiting_q),
    )
    not_resolved, awaiting_closing = (
        list(
            with_list_columns(issues.filter(scope), today=today).order_by(
                "-overdue", "received_at", "pk"
            )[:DEPARTMENT_LIST_LIMIT]
        )
        for scope in (not_resolved_q, awaiting_q)
    )
    for issue in (*not_resolved, *awaiting_closing):
        issue.age_days = (today - timezone.localtime(issue.received_at).date()).days
    year_start, _end = kpis.fiscal_year_bounds(fiscal_year(today))
    this_year = Issue.objects.filter(
        department=department, received_at__gte=kpis.day_start(year_start)
    )
    answered = this_year.aggregate(
        first_response=Count("first_response_at"), resolved=Count("resolved_at")
    )
    return {
        "department": department,
        "figures": kpis.FIGURES,
        "issues": not_resolved,
        "open_count": counts["open"],
        "open_url": issue_list_url(department=department.pk, status=UNRESOLVED_STATUSES),
        "awaiting_closing": awaiting_closing,
        "awaiting_closing_count": counts["awaiting_closing"],
        "awaiting_closing_url": issue_list_url(department=department.pk, status=Status.RESOLVED),
        "overdue_count": counts["overdue"],
        "median_first_response": kpis.median_days_between(
            this_year, "received_at", "first_response_at", count=answered["first_response"]
        ),
        "median_resolution": kpis.median_days_between(
            this_year, "received_at", "resolved_at", count=answered["resolved"]
        ),
        "fiscal_year": fiscal_year(today),
    }
