"""The report pages and PDFs: dashboard, monthly summary, community and department
reports, a community's page, a meeting's minutes PDF and its LINE summary."""

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.permissions import ANY_ROLE, is_secretariat, role_required
from accounts.services import contact_access_record
from communities.models import Community, Department
from communities.permissions import can_view_contacts
from communities.selectors import community_people
from core.numbers import parse_int
from core.pdf import pdf_response
from core.thaidates import be_date_slug, fiscal_year, fiscal_year_bounds
from meetings.models import Meeting
from meetings.permissions import minutes_readable
from meetings.selectors import community_attendance_history, readable_meeting
from notifications import services as notification_services
from notifications.models import Status as NotificationStatus

from . import documents, line, minutes, open_data, prints
from .permissions import (
    can_read_community_report,
    can_read_dashboard,
    can_read_department_report,
    can_read_monthly_summary,
    can_read_open_data,
)

NOT_SENT = (NotificationStatus.FAILED, NotificationStatus.SKIPPED)

# The pages and PDFs that only read run outside the request's transaction. On SQLite
# every transaction takes the write lock from its start (IMMEDIATE), so a PDF that
# renders for seconds inside one would hold up every check-in and roll meanwhile;
# each of these queries reads committed data on its own instead.
read_only = transaction.non_atomic_requests


def _month(year: int, month: int) -> tuple[int, int]:
    if not 1 <= month <= 12 or not 2000 <= year <= 2200:
        raise Http404
    return year, month


@read_only
@role_required(*ANY_ROLE)
def dashboard(request):
    if not can_read_dashboard(request.user):
        raise PermissionDenied
    current = fiscal_year(timezone.localdate())
    year = parse_int(request.GET.get("year", ""), min_value=2543, max_value=current) or current
    context = documents.dashboard_context(year=year)
    context["years"] = list(range(current, current - 5, -1))
    return render(request, "reports/dashboard.html", context)


@read_only
@role_required(*ANY_ROLE)
def monthly_summary(request, year: int, month: int):
    if not can_read_monthly_summary(request.user):
        raise PermissionDenied
    year, month = _month(year, month)
    context = documents.monthly_summary_context(year=year, month=month)
    first = datetime.date(year, month, 1)
    context["previous"] = (first - datetime.timedelta(days=1)).replace(day=1)
    context["next"] = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "reports/monthly_summary.html", context)


@read_only
@role_required(*ANY_ROLE)
def monthly_summary_pdf(request, year: int, month: int):
    if not can_read_monthly_summary(request.user):
        raise PermissionDenied
    year, month = _month(year, month)
    # The printed list is cut; the issue list holds every overdue issue.
    live_url = request.build_absolute_uri(documents.issue_list_url(overdue="on"))
    content = documents.monthly_summary_pdf(
        year=year, month=month, user=request.user, live_url=live_url
    )
    prints.record_print(
        user=request.user,
        document=prints.Document.MONTHLY_SUMMARY,
        argument=f"{year:04d}-{month:02d}",
        live_url=live_url,
    )
    month_slug = be_date_slug(datetime.date(year, month, 1), day=False)
    return pdf_response(content, f"monthly-summary-{month_slug}.pdf")


def _community_for(request, number: int) -> Community:
    community = get_object_or_404(Community, number=number)
    if not can_read_community_report(request.user, community):
        raise PermissionDenied
    return community


@read_only
@role_required(*ANY_ROLE)
def community_report(request, number: int):
    community = _community_for(request, number)
    context = documents.community_report_context(community=community, user=request.user)
    return render(request, "reports/community_report.html", context)


@read_only
@role_required(*ANY_ROLE)
def community_report_pdf(request, number: int):
    community = _community_for(request, number)
    content = documents.community_report_pdf(community=community, user=request.user)
    prints.record_print(
        user=request.user, document=prints.Document.COMMUNITY_REPORT, argument=community.number
    )
    today = be_date_slug(timezone.localdate())
    return pdf_response(content, f"community-{community.number}-report-{today}.pdf")


@read_only
@role_required(*ANY_ROLE)
def department_report(request, code: str):
    department = get_object_or_404(Department, code=code)
    if not can_read_department_report(request.user, department):
        raise PermissionDenied
    return render(
        request,
        "reports/department_report.html",
        documents.department_report_context(department=department),
    )


@role_required(*ANY_ROLE)
def community_detail(request, number: int):
    """A community's page: its people, its attendance at the year's meetings and
    the link to its progress report."""
    community = get_object_or_404(Community, number=number)
    year = parse_int(request.GET.get("year", ""), max_value=9999) or fiscal_year(
        timezone.localdate()
    )
    history = community_attendance_history(community=community, user=request.user, year=year)
    people = list(community_people(community=community))
    show_contacts = can_view_contacts(request.user, community)
    if show_contacts:
        contact_access_record(
            reader=request.user,
            page=request.get_full_path(),
            people=people,
            community=community,
        )
    return render(
        request,
        "reports/community_detail.html",
        {
            "community": community,
            "people": people,
            "show_contacts": show_contacts,
            "history": history,
            "can_read_report": can_read_community_report(request.user, community),
            "year": year,
            "attended_count": sum(row.attended for row in history),
        },
    )


@read_only
@role_required(*ANY_ROLE)
def minutes_pdf(request, pk: int):
    """The official minutes: staff print them at any time, every other role once
    they are published (a held meeting's page is theirs, its draft minutes are not)."""
    meeting = readable_meeting(user=request.user, pk=pk)
    if not minutes_readable(request.user, meeting):
        raise Http404
    # Named as the meeting is numbered: ครั้งที่ 12/2569 is minutes-2569-12.pdf.
    filename = f"minutes-{meeting.number_year}-{meeting.number:02d}.pdf"
    live_url = request.build_absolute_uri(meeting.get_absolute_url())
    content = minutes.minutes_pdf(meeting=meeting, live_url=live_url)
    prints.record_print(
        user=request.user, document=prints.Document.MINUTES, argument=meeting.pk, live_url=live_url
    )
    return pdf_response(content, filename)


@role_required(*ANY_ROLE)
def line_summary(request, pk: int):
    """The meeting's summary for the chairs' LINE group: to copy, or to send through
    the background worker when a LINE channel is set up, with each sending's status."""
    meeting = readable_meeting(user=request.user, pk=pk)
    if not is_secretariat(request.user):
        raise PermissionDenied
    if request.method == "POST":
        number = parse_int(request.POST.get("push", ""), min_value=1, max_value=10_000)
        if number is None:
            messages.error(request, _("The form was incomplete. Nothing was sent; try again."))
            return redirect("reports:line_summary", pk=meeting.pk)
        # Rebuilt here rather than taken from the form: only what the system says
        # about the meeting goes out.
        text = line.line_summary(meeting=meeting, url=_meeting_url(request, meeting))
        try:
            notification_services.meeting_summary_push(
                meeting=meeting,
                actor=request.user,
                text=text,
                number=number,
                again=request.POST.get("again") == "1",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The summary is queued for the LINE group; its status is shown below."),
            )
        return redirect("reports:line_summary", pk=meeting.pk)
    text = line.line_summary(meeting=meeting, url=_meeting_url(request, meeting))
    pushes = list(notification_services.meeting_summary_pushes(meeting))
    return render(
        request,
        "reports/line_summary.html",
        {
            "meeting": meeting,
            "text": text,
            "length": line.message_length(text),
            "limit": line.LINE_MESSAGE_LIMIT,
            "configured": line.line_configured(),
            "pushes": pushes,
            "next_push": len(pushes) + 1,
            "pushed_before": any(push.status not in NOT_SENT for push in pushes),
        },
    )


def _meeting_url(request, meeting: Meeting) -> str:
    return request.build_absolute_uri(meeting.get_absolute_url())


# Open data -------------------------------------------------------------------------

OPEN_DATA_TABLES = {
    "statistics": (open_data.statistics, _lazy("Issue statistics per month")),
    "complaints": (open_data.complaints, _lazy("Complaint-handling statistics (ITA)")),
}


def _open_data_reader(request):
    """Let in whoever ``OPEN_DATA_AUDIENCE`` names: others get the login page, or 403
    once signed in."""
    if can_read_open_data(request.user):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _open_data_year(year: int, as_of: datetime.date) -> int:
    if not 2543 <= year <= fiscal_year(as_of):
        raise Http404
    return year


@read_only
def open_data_page(request):
    """The published statistics: what each column holds, the period, the downloads."""
    if refused := _open_data_reader(request):
        return refused
    current = fiscal_year(open_data.today())
    year = parse_int(request.GET.get("year", ""), min_value=2543, max_value=current) or current
    as_of = open_data.figures_date(year)
    # The page shows the city's rows; the download has every body's.
    statistics = open_data.statistics(year=year, as_of=as_of, dimensions=("city",))
    complaints = open_data.complaints(year=year, as_of=as_of)
    channels, channel_total = open_data.complaints_by_channel(complaints)
    start, end = fiscal_year_bounds(year)
    return render(
        request,
        "reports/open_data.html",
        {
            "year": year,
            "years": list(range(current, current - 5, -1)),
            "as_of": as_of,
            "period_start": start,
            "period_end": min(end, as_of),
            "city_rows": [
                {**row, "first_day": datetime.date.fromisoformat(f"{row['month']}-01")}
                for row in statistics.rows
                if row["dimension"] == "city"
            ],
            "channels": channels,
            "channel_total": channel_total,
            "statistics_columns": statistics.columns,
            "complaints_columns": complaints.columns,
        },
    )


@read_only
def open_data_download(request, year: int, table: str, fmt: str):
    """A table of the open data as CSV or JSON, for data.go.th and the ITA."""
    if refused := _open_data_reader(request):
        return refused
    year = _open_data_year(year, open_data.today())
    as_of = open_data.figures_date(year)
    build, title = OPEN_DATA_TABLES[table]
    content = build(year=year, as_of=as_of)
    if fmt == "csv":
        body, content_type = open_data.as_csv(content), "text/csv; charset=utf-8"
    else:
        body = open_data.as_json(content, title=title)
        content_type = "application/json; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{table}-{year}.{fmt}"'
    return response
