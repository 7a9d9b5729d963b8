"""The reports show meetings and issues together: the fixtures of both, here too."""

from tests.issues.conftest import make_issue, received_issue, today, yesterday  # noqa: F401
from tests.meetings.conftest import PAST_DAY, image_upload, make_meeting  # noqa: F401
