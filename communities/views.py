from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Community
from .permissions import ANY_ROLE, can_view_contacts, role_required


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
    return render(
        request,
        "communities/community_detail.html",
        {
            "community": community,
            "people": selectors.community_people(community=community),
            "show_contacts": can_view_contacts(request.user, community),
        },
    )
