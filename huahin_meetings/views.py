"""The home page: one per role."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db import connection, transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache

from accounts.models import Role
from accounts.permissions import primary_role, user_community, user_department
from accounts.services import contact_access_record
from communities import selectors
from communities.models import Community, Department
from core.thaidates import fiscal_year
from issues import selectors as issue_selectors
from issues.models import ENDED_STATUSES, Issue
from meetings import selectors as meeting_selectors

HOME_TEMPLATES = {
    Role.ADMIN: "home/admin.html",
    Role.SECRETARIAT: "home/secretariat.html",
    Role.OFFICER: "home/officer.html",
    Role.FOLLOW_UP: "home/follow_up.html",
    Role.LEADER: "home/leader.html",
}


@login_required
def home(request):
    role = primary_role(request.user)
    if role is None:
        # An account nobody has given a role yet sees no data at all.
        return render(request, "home/no_role.html", status=403)
    context = {"role": role}
    if role in (Role.ADMIN, Role.SECRETARIAT):
        context["awaiting"] = issue_selectors.with_list_columns(
            Issue.objects.filter(awaiting_meeting=True)
        ).order_by("received_at")
        context["community_count"] = Community.objects.filter(active=True).count()
        context["department_count"] = Department.objects.filter(
            active=True, kind=Department.Kind.DEPARTMENT
        ).count()
    if role == Role.OFFICER:
        department = user_department(request.user)
        context["department"] = department
        context["routed_categories"] = (
            department.default_for_categories.filter(active=True) if department else []
        )
        worklist = issue_selectors.worklist(user=request.user)
        context["open_count"] = worklist.count() if department else 0
        context["overdue_count"] = worklist.filter(overdue=1).count() if department else 0
        context["to_accept_count"] = (
            worklist.filter(issue_selectors.to_accept_q()).count() if department else 0
        )
    if role == Role.FOLLOW_UP:
        context["department"] = user_department(request.user)
        context["communities"] = selectors.community_list()
    if role == Role.LEADER:
        community = user_community(request.user)
        context["community"] = community
        context["people"] = (
            list(selectors.community_people(community=community)) if community else []
        )
        if community:
            # The leader's page shows the committee's phones and LINE IDs.
            contact_access_record(
                reader=request.user, page=request.get_full_path(), people=context["people"]
            )
        context["issues"] = (
            issue_selectors.table_rows(
                Issue.objects.filter(community=community).exclude(status__in=ENDED_STATUSES)
            ).order_by("-received_at")
            if community
            else []
        )
        # The meetings of the fiscal year a leader may read: every one held.
        context["year"] = fiscal_year(timezone.localdate())
        context["meetings"] = list(
            meeting_selectors.visible_meetings(request.user)
            .filter(fiscal_year=context["year"])
            .order_by("-date", "-number")
        )
    return render(request, HOME_TEMPLATES[role], context)


# Outside the request transaction: with the database down, opening one would fail
# before the view could answer 503.
@transaction.non_atomic_requests
@never_cache
def healthz(request):
    """Answer a load balancer or monitor: 200 when the database answers, 503 if not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Answer ``/favicon.ico``, which browsers ask for whatever the page says, with the
    icon the pages link to (``static/favicon.svg``)."""
    path = finders.find("favicon.svg")
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/svg+xml")
