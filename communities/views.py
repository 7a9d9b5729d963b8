"""The communities page: the list, searchable. A community's own page shows its
meetings and issues too, so it is a report (``reports.views.community_detail``)."""

from django.shortcuts import render

from accounts.permissions import ANY_ROLE, role_required

from . import selectors


@role_required(*ANY_ROLE)
def community_list(request):
    search = request.GET.get("q", "")
    communities = selectors.community_list(search=search)
    return render(
        request,
        "communities/community_list.html",
        {"communities": communities, "search": search},
    )
