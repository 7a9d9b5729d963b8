"""Reads of the meetings app; each returns what a page needs in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can_view, is_secretariat
from communities.models import Community, Participant, ParticipantRole
from core.thaidates import fiscal_year

from .models import AgendaItem, Attendance, Meeting

MEMBER_ROLES = (
    ParticipantRole.CHAIR,
    ParticipantRole.COMMITTEE,
    ParticipantRole.EXECUTIVE,
    ParticipantRole.COUNCIL,
)
ATTENDED = Q(attendances__status__in=Attendance.ATTENDED)


def visible_meetings(user) -> QuerySet[Meeting]:
    """Return the meetings ``user`` may read (``meetings.permissions.meeting_visible``):
    all for the secretariat, else those held (held, minutes approved or published)."""
    meetings = Meeting.objects.all()
    if not is_secretariat(user):
        meetings = meetings.exclude(status=Meeting.Status.DRAFT)
    return meetings


def readable_meeting(*, user, pk: int) -> Meeting:
    """Return meeting ``pk``, with its chair, if ``user`` may read it; a meeting they
    may not read does not exist for them (``Http404``)."""
    meeting = get_object_or_404(Meeting.objects.select_related("chair"), pk=pk)
    if not can_view(user, meeting):
        raise Http404
    return meeting


def meeting_list(*, user, year: int) -> QuerySet[Meeting]:
    """Return the year's meetings with their attendance counts."""
    return (
        visible_meetings(user)
        .filter(fiscal_year=year)
        .annotate(
            # The same split as the minutes (``minutes_people``): members present
            # (ผู้มาประชุม) and the others who attended (ผู้เข้าร่วมประชุม).
            attended_count=Count(
                "attendances",
                filter=ATTENDED & Q(attendances__participant__role__in=MEMBER_ROLES),
            ),
            attending_count=Count(
                "attendances",
                filter=ATTENDED & ~Q(attendances__participant__role__in=MEMBER_ROLES),
            ),
            communities_attended=Count(
                "attendances__participant__community",
                filter=ATTENDED & Q(attendances__participant__role__in=Participant.COMMUNITY_ROLES),
                distinct=True,
            ),
        )
        .order_by("-date", "-number")
    )


# What a new meeting takes from the one before: the same room, hours and people.
CARRIED_OVER = (
    "start_time",
    "end_time",
    "venue",
    "chair",
    "minute_taker",
    "minute_taker_position",
    "minute_checker",
    "minute_checker_position",
)


def new_meeting_initial() -> dict:
    """Return the details a new meeting starts from: those of the latest meeting
    (by date), or nothing when there is none."""
    latest = Meeting.objects.order_by("-date", "-number").first()
    if latest is None:
        return {}
    return {
        name: getattr(latest, f"{name}_id" if name == "chair" else name) for name in CARRIED_OVER
    }


def meeting_years(*, user) -> list[int]:
    """Return the fiscal years that have meetings, newest first, with the current one."""
    years = set(visible_meetings(user).values_list("fiscal_year", flat=True).distinct())
    years.add(fiscal_year(timezone.localdate()))
    return sorted(years, reverse=True)


def active_community_count() -> int:
    return Community.objects.filter(active=True).count()


def meeting_agenda(*, meeting: Meeting) -> list[AgendaItem]:
    """Return the top-level agenda items with their sub-items."""
    return list(
        meeting.agenda_items.filter(parent__isnull=True)
        .select_related("refers_to_meeting")
        .prefetch_related(Prefetch("sub_items", queryset=AgendaItem.objects.order_by("order")))
        .order_by("order")
    )


@dataclass
class MinutesPeople:
    """The three lists of the official minutes."""

    present: list[Attendance] = field(default_factory=list)  # ผู้มาประชุม
    absent: list[Attendance] = field(default_factory=list)  # ผู้ไม่มาประชุม
    attending: list[Attendance] = field(default_factory=list)  # ผู้เข้าร่วมประชุม

    @property
    def communities_attended(self) -> int:
        return len(
            {
                row.participant.community_id
                for row in self.present
                if row.participant.role in Participant.COMMUNITY_ROLES
            }
        )


# The order of the official lists: executives (the mayor first, as entered), council,
# then each community's chair and committee, then departments and guests.
_MINUTES_ORDER = {
    ParticipantRole.EXECUTIVE: 0,
    ParticipantRole.COUNCIL: 1,
    ParticipantRole.CHAIR: 2,
    ParticipantRole.COMMITTEE: 2,
    ParticipantRole.DEPARTMENT: 3,
    ParticipantRole.GUEST: 4,
}


def _minutes_order(row: Attendance) -> tuple:
    person = row.participant
    community = person.community.number if person.community else 0
    return (
        _MINUTES_ORDER.get(person.role, 5),
        community,
        person.role != ParticipantRole.CHAIR,
        person.pk,
    )


def minutes_people(*, meeting: Meeting) -> MinutesPeople:
    """Split the attendance into members present, members absent and others
    attending (department staff and guests), in the order of the official lists."""
    people = MinutesPeople()
    rows = sorted(
        meeting.attendances.select_related("participant__community", "participant__department"),
        key=_minutes_order,
    )
    for row in rows:
        if row.participant.role in MEMBER_ROLES:
            (people.present if row.attended else people.absent).append(row)
        elif row.attended:
            people.attending.append(row)
    return people


@dataclass
class RollRow:
    participant: Participant
    attendance: Attendance | None
    # What the person's row said at the meeting before, for "start from the
    # previous roll": the status, and the substitute's name when represented.
    previous_status: str = ""
    previous_note: str = ""
    # Set by the view: what the page shows, and what it carries as seen.
    shown_status: str = ""
    shown_note: str = ""

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""

    @property
    def note(self) -> str:
        if not self.attendance:
            return ""
        return self.attendance.substitute_name or self.attendance.absence_reason

    @property
    def version(self) -> int:
        """The row's version, 0 when the person has no attendance yet."""
        return self.attendance.version if self.attendance else 0

    @property
    def checked_status(self) -> str:
        """The choice the page ticks: what is shown, or absent for nobody recorded."""
        return self.shown_status or Attendance.Status.ABSENT


@dataclass
class RollGroup:
    key: str
    label: str
    rows: list[RollRow]

    @property
    def attended(self) -> int:
        return sum(row.checked_status in Attendance.ATTENDED for row in self.rows)

    @property
    def absent(self) -> int:
        return len(self.rows) - self.attended


# The officials sit in one group: executives (the mayor first, as entered), then
# council and departments.
_OFFICIAL_ORDER = {
    ParticipantRole.EXECUTIVE: 0,
    ParticipantRole.COUNCIL: 1,
    ParticipantRole.DEPARTMENT: 2,
}


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """Return the meeting before ``meeting`` by date, if any."""
    return (
        Meeting.objects.filter(date__lt=meeting.date)
        .exclude(pk=meeting.pk)
        .order_by("-date", "-number")
        .first()
    )


def roll_groups(*, meeting: Meeting, previous: Meeting | None = None) -> list[RollGroup]:
    """Return everyone on the roll — active participants and whoever already has
    attendance at this meeting — in a group per community (1-42), then one for the
    officials (executives, council, departments) and one for guests; each row
    carries what the roll of ``previous`` (the meeting before) said of the person."""
    recorded = {row.participant_id: row for row in meeting.attendances.all()}
    participants = (
        Participant.objects.filter(Q(active=True) | Q(pk__in=list(recorded)))
        .select_related("community", "department")
        .order_by("community__number", "role", "name")
    )
    before = {}
    if previous is not None:
        before = {
            pk: (status, substitute if status == Attendance.Status.REPRESENTED else "")
            for pk, status, substitute in previous.attendances.values_list(
                "participant_id", "status", "substitute_name"
            )
        }
    labels = {"officials": _("Executives, council and departments"), "guests": _("Guests")}
    groups: dict[str, RollGroup] = {}
    for participant in participants:
        if participant.community_id and participant.role in Participant.COMMUNITY_ROLES:
            key = f"community-{participant.community.number}"
            label = str(participant.community)
        elif participant.role in _OFFICIAL_ORDER:
            key, label = "officials", labels["officials"]
        else:
            key, label = "guests", labels["guests"]
        groups.setdefault(key, RollGroup(key, label, []))
        status, note = before.get(participant.pk, ("", ""))
        groups[key].rows.append(RollRow(participant, recorded.get(participant.pk), status, note))
    if "officials" in groups:
        groups["officials"].rows.sort(
            key=lambda row: (_OFFICIAL_ORDER[row.participant.role], row.participant.pk)
        )
    community_groups = [group for key, group in groups.items() if key.startswith("community-")]
    role_groups = [groups[key] for key in ("officials", "guests") if key in groups]
    return community_groups + role_groups


@dataclass
class HistoryRow:
    meeting: Meeting
    attended: bool


def community_attendance_history(*, community: Community, user, year: int) -> list[HistoryRow]:
    """Return the year's meetings (held or later) with whether ``community`` was there."""
    meetings = list(
        visible_meetings(user)
        .filter(fiscal_year=year)
        .exclude(status=Meeting.Status.DRAFT)
        .order_by("date")
    )
    attended = set(
        Attendance.objects.filter(
            meeting__in=meetings,
            participant__community=community,
            participant__role__in=Participant.COMMUNITY_ROLES,
            status__in=Attendance.ATTENDED,
        ).values_list("meeting_id", flat=True)
    )
    return [HistoryRow(meeting, meeting.pk in attended) for meeting in meetings]
