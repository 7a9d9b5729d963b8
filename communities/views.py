from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.permissions import ANY_ROLE, role_required
from core.numbers import parse_int
from core.thaidates import fiscal_year
from issues.permissions import can_read_community_report
from meetings.selectors import community_attendance_history

from . import selectors
from .models import Community
from .permissions import can_view_contacts


@role_required(*ANY_ROLE)
def community_list(request):
    search = request.GET.get("q", "")
    communities = selectors.community_list(search=search)
    return render(
        request,
        "communities/community_list.html",
        {"communities": communities, "search": search},
    )


@role_required(*ANY_ROLE)
def community_detail(request, number: int):
    community = get_object_or_404(Community, number=number)
    year = parse_int(request.GET.get("year", ""), max_value=9999) or fiscal_year(
        timezone.localdate()
    )
    history = community_attendance_history(community=community, user=request.user, year=year)
    return render(
        request,
        "communities/community_detail.html",
        {
            "community": community,
            "people": selectors.community_people(community=community),
            "show_contacts": can_view_contacts(request.user, community),
            "history": history,
            "can_read_report": can_read_community_report(request.user, community),
            "year": year,
            "attended_count": sum(row.attended for row in history),
        },
    )
