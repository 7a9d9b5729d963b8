"""The report pages and PDFs: dashboard, monthly summary, community and department reports."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.permissions import ANY_ROLE, role_required
from communities.models import Community, Department
from core.numbers import parse_int
from core.pdf import pdf_response
from core.thaidates import fiscal_year

from . import reports
from .permissions import (
    can_read_community_report,
    can_read_dashboard,
    can_read_department_report,
    can_read_monthly_summary,
)


def _month(year: int, month: int) -> tuple[int, int]:
    if not 1 <= month <= 12 or not 2000 <= year <= 2200:
        raise Http404
    return year, month


@role_required(*ANY_ROLE)
def dashboard(request):
    if not can_read_dashboard(request.user):
        raise PermissionDenied
    current = fiscal_year(timezone.localdate())
    year = parse_int(request.GET.get("year", ""), min_value=2543, max_value=current) or current
    context = reports.dashboard_context(year=year)
    context["years"] = list(range(current, current - 5, -1))
    return render(request, "issues/dashboard.html", context)


@role_required(*ANY_ROLE)
def monthly_summary(request, year: int, month: int):
    if not can_read_monthly_summary(request.user):
        raise PermissionDenied
    year, month = _month(year, month)
    context = reports.monthly_summary_context(year=year, month=month)
    first = datetime.date(year, month, 1)
    context["previous"] = (first - datetime.timedelta(days=1)).replace(day=1)
    context["next"] = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "issues/monthly_summary.html", context)


@role_required(*ANY_ROLE)
def monthly_summary_pdf(request, year: int, month: int):
    if not can_read_monthly_summary(request.user):
        raise PermissionDenied
    year, month = _month(year, month)
    content = reports.monthly_summary_pdf(year=year, month=month)
    return pdf_response(content, f"monthly-summary-{year}-{month:02d}.pdf")


def _community_for(request, number: int) -> Community:
    community = get_object_or_404(Community, number=number)
    if not can_read_community_report(request.user, community):
        raise PermissionDenied
    return community


@role_required(*ANY_ROLE)
def community_report(request, number: int):
    community = _community_for(request, number)
    context = reports.community_report_context(community=community, user=request.user)
    return render(request, "issues/community_report.html", context)


@role_required(*ANY_ROLE)
def community_report_pdf(request, number: int):
    community = _community_for(request, number)
    content = reports.community_report_pdf(community=community, user=request.user)
    return pdf_response(content, f"community-{community.number}-report.pdf")


@role_required(*ANY_ROLE)
def department_report(request, code: str):
    department = get_object_or_404(Department, code=code)
    if not can_read_department_report(request.user, department):
        raise PermissionDenied
    return render(
        request,
        "issues/department_report.html",
        reports.department_report_context(department=department),
    )
