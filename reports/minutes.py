"""The official minutes of a meeting (รายงานการประชุม) as a PDF."""

from django.conf import settings
from django.utils import translation

from core.pdf import image_data_uri, render_pdf
from issues.selectors import carried_forward
from meetings import selectors
from meetings.models import Meeting


def _photo_uri(photo) -> str:
    # Thumbnails are sharp enough at the printed size and keep the file small.
    return image_data_uri(photo.thumbnail)


def minutes_context(*, meeting: Meeting) -> dict:
    """Return everything the minutes show, in the order of the document."""
    return {
        "meeting": meeting,
        "municipality": settings.MUNICIPALITY_NAME,
        "people": selectors.minutes_people(meeting=meeting),
        "agenda": selectors.meeting_agenda(meeting=meeting),
        "carried_forward": carried_forward(meeting=meeting),
        "raised_here": list(
            meeting.issues.select_related("community", "category", "department").order_by("number")
        ),
        "photos": [
            {"uri": _photo_uri(photo), "caption": photo.caption} for photo in meeting.photos.all()
        ],
    }


def minutes_pdf(*, meeting: Meeting) -> bytes:
    """Return the minutes in the official Thai layout, whatever the user's language."""
    with translation.override("th"):
        return render_pdf("reports/pdf/minutes.html", minutes_context(meeting=meeting))
