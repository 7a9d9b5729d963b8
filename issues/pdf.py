"""The printed list of issues that staff tick on the issue list."""

from django.conf import settings
from django.utils import timezone, translation

from core.pdf import render_pdf
from core.thaidates import be_date_slug

from .models import Issue


def issue_list_pdf(*, issues: list[Issue]) -> bytes:
    """Return ``issues`` (with the list's columns) as an A4 table to print."""
    with translation.override("th"):
        return render_pdf(
            "issues/pdf/issue_list.html",
            {
                "issues": issues,
                "now": timezone.localtime(),
                "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
            },
        )


def issue_list_filename() -> str:
    """Name the file by the day it was printed: ``issues-2569-12-01.pdf``."""
    return f"issues-{be_date_slug(timezone.localdate())}.pdf"
