"""The reports show meetings and issues together: the fixtures of both, here too."""

from tests.issues.conftest import (  # noqa: F401
    make_issue,
    today,
    unrouted_issue,
    yesterday,
)
from tests.meetings.conftest import PAST_DAY, image_upload, make_meeting  # noqa: F401
