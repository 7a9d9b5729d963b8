"""Reads of the communities app."""

from django.db.models import Count, Prefetch, Q, QuerySet

from core.numbers import parse_int

from .models import Community, Department, Participant, ParticipantRole


def community_list(*, search: str = "") -> QuerySet[Community]:
    """Return the communities with their chair prefetched, filtered by a name or number."""
    communities = Community.objects.prefetch_related(
        Prefetch(
            "participants",
            queryset=Participant.objects.filter(role=ParticipantRole.CHAIR, active=True),
            to_attr="chairs",
        )
    ).annotate(
        committee_count=Count(
            "participants",
            filter=Q(participants__active=True, participants__role=ParticipantRole.COMMITTEE),
        )
    )
    # U+0000 cannot reach PostgreSQL; nobody searches for it on purpose.
    search = search.replace("\x00", "").strip()
    if search:
        # Thai has no spaces between words, so match substrings, not words.
        query = Q(name_th__contains=search) | Q(name_en__icontains=search)
        query |= Q(zone__contains=search)
        number = parse_int(search)
        if number is not None:
            query |= Q(number=number)
        communities = communities.filter(query)
    return communities


def community_people(*, community: Community) -> QuerySet[Participant]:
    """Return the active chair and committee members of ``community``, chair first."""
    return (
        community.participants.filter(active=True, role__in=Participant.COMMUNITY_ROLES)
        .select_related("user")
        .order_by("role", "name")
    )


def department_list() -> QuerySet[Department]:
    return Department.objects.filter(active=True)
