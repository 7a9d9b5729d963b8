"""The official minutes of a meeting (รายงานการประชุม) as a PDF.

Their size is bounded whatever the backlog: the issues raised at the meeting are
listed in full; agenda item ๓ (carried forward) gives a count per department and
the issues with progress reported since the previous meeting; the full follow-up
table is an annex of at most ``FOLLOW_UP_ANNEX_LIMIT`` rows, with a pointer to the
live meeting page for the rest.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation

from core.pdf import image_data_uri, render_pdf
from issues.selectors import (
    CarriedIssue,
    carried_forward_by_department,
    carried_forward_count,
    carried_forward_first,
    carried_forward_progressed,
)
from meetings import selectors
from meetings.models import Meeting


def _photo_uri(photo) -> str:
    # Thumbnails are sharp enough at the printed size and keep the file small.
    return image_data_uri(photo.thumbnail)


FOLLOW_UP_ANNEX_LIMIT = 100


@dataclass
class FollowUp:
    """Agenda item ๓ as the minutes give it (see the module's docstring)."""

    total: int = 0
    by_department: list[tuple[str, int]] = field(default_factory=list)
    previous: Meeting | None = None
    progressed: list[CarriedIssue] = field(default_factory=list)
    progressed_total: int = 0
    annex: list[CarriedIssue] = field(default_factory=list)

    @property
    def annex_cut(self) -> bool:
        return self.total > len(self.annex)


def follow_up(*, meeting: Meeting, limit: int = FOLLOW_UP_ANNEX_LIMIT) -> FollowUp:
    """Return agenda item ๓ of ``meeting``, its lists cut at ``limit`` rows: counted
    by the database, the rows read only for the lists' first ``limit``."""
    previous = (
        Meeting.objects.filter(date__lt=meeting.date)
        .exclude(status=Meeting.Status.DRAFT)
        .order_by("-date", "-number")
        .first()
    )
    since = (
        timezone.make_aware(datetime.datetime.combine(previous.date, datetime.time.min))
        if previous
        else None
    )
    progressed, progressed_total = carried_forward_progressed(
        meeting=meeting, since=since, limit=limit
    )
    return FollowUp(
        total=carried_forward_count(meeting=meeting),
        by_department=carried_forward_by_department(meeting=meeting),
        previous=previous,
        progressed=progressed,
        progressed_total=progressed_total,
        annex=carried_forward_first(meeting=meeting, limit=limit),
    )


def minutes_context(*, meeting: Meeting, live_url: str = "") -> dict:
    """Return everything the minutes show, in the order of the document;
    ``live_url`` is the meeting's page, where lists cut for print stand in full."""
    return {
        "meeting": meeting,
        "municipality": settings.MUNICIPALITY_NAME,
        "people": selectors.minutes_people(meeting=meeting),
        "agenda": selectors.meeting_agenda(meeting=meeting),
        "follow_up": follow_up(meeting=meeting),
        "live_url": live_url,
        "raised_here": list(
            meeting.issues.select_related("community", "category", "department").order_by("number")
        ),
        "photos": [
            {"uri": _photo_uri(photo), "caption": photo.caption} for photo in meeting.photos.all()
        ],
    }


def minutes_pdf(*, meeting: Meeting, live_url: str = "") -> bytes:
    """Return the minutes in the official Thai layout, whatever the user's language;
    laid out once for the same content (they are the same for every reader)."""
    with translation.override("th"):
        return render_pdf(
            "reports/pdf/minutes.html",
            minutes_context(meeting=meeting, live_url=live_url),
            keep=True,
        )
