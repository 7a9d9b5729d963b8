import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from meetings import services
from meetings.models import Meeting

PAST_DAY = datetime.date(2026, 3, 4)


@pytest.fixture
def make_meeting(staff_user):
    """Create a meeting through the service, as the secretariat does."""

    def make(day=PAST_DAY, status=Meeting.Status.DRAFT, **fields) -> Meeting:
        fields.setdefault("venue", "ห้องประชุมเทศบาลนครหัวหิน ชั้น 3")
        fields.setdefault("start_time", datetime.time(9, 30))
        meeting = services.meeting_create(actor=staff_user, date=day, **fields)
        order = [Meeting.Status.HELD, Meeting.Status.APPROVED, Meeting.Status.PUBLISHED]
        for step in order[: order.index(status) + 1] if status in order else []:
            later = None
            if step == Meeting.Status.APPROVED:
                later = services.meeting_create(
                    actor=staff_user, date=day + datetime.timedelta(days=28), venue="ห้องประชุม"
                )
            meeting = services.meeting_transition(
                meeting=meeting, to_status=step, actor=staff_user, approved_at=later
            )
        return meeting

    return make


def image_upload(name="photo.jpg", size=(64, 48), image_format="JPEG", exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 80, 40))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type[image_format])


@pytest.fixture
def today():
    return timezone.localdate()
