"""The reports show meetings and issues together: the fixtures of both, here too."""

import pytest

from core import pdf
from tests.issues.conftest import (  # noqa: F401
    make_issue,
    today,
    unrouted_issue,
    yesterday,
)
from tests.meetings.conftest import PAST_DAY, image_upload, make_meeting  # noqa: F401


@pytest.fixture
def layouts(monkeypatch):
    """How many times WeasyPrint laid a document out."""
    count = []
    real = pdf.html_to_pdf

    def counted(*args, **kwargs):
        count.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", counted)
    return count
