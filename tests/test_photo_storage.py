"""A disk that is full or read-only, or a database that fails after the files were
written: the user is told, keeps what they typed, and no file is left behind."""

import errno
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, IssueCategory
from core.images import PhotosNotStored
from issues import services as issue_services
from issues.models import IssuePhoto, IssueUpdate
from meetings import services as meeting_services
from meetings.models import MeetingPhoto
from tests.meetings.conftest import PAST_DAY, image_upload

pytestmark = pytest.mark.django_db

NOT_STORED = "ระบบจัดเก็บรูปภาพไม่ได้ จึงยังไม่ได้บันทึกสิ่งใด"
DATABASE_FAILED = "ฐานข้อมูลไม่ตอบสนอง จึงยังไม่ได้บันทึกสิ่งใด"


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def disk_fails(monkeypatch):
    """Make the ``at``-th file written fail as a real disk does: the file is
    created, then the write fails (``ENOSPC`` leaves an empty file behind)."""

    def fail(at: int, code: int = errno.ENOSPC):
        real_save = FileSystemStorage._save
        calls = []

        def _save(self, name, content):
            calls.append(name)
            if len(calls) >= at:
                if code == errno.ENOSPC:
                    path = Path(self.path(name))
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.touch()
                raise OSError(code, "simulated disk failure")
            return real_save(self, name, content)

        monkeypatch.setattr(FileSystemStorage, "_save", _save)
        return calls

    return fail


@pytest.fixture
def draft(staff_user):
    return meeting_services.meeting_create(actor=staff_user, date=PAST_DAY, venue="ห้องประชุม")


@pytest.fixture
def eng_issue(staff_user):
    """A road issue, routed by its category to the officer's department."""
    return issue_services.issue_create(
        actor=staff_user,
        community=Community.objects.get(number=1),
        category=IssueCategory.objects.get(code="road"),
        title="ถนนชำรุดหน้าศาลาชุมชน",
    )


@pytest.mark.parametrize(("at", "code"), [(3, errno.ENOSPC), (1, errno.EROFS), (6, errno.EACCES)])
def test_meeting_photos_on_a_failing_disk(client, staff_user, draft, disk_fails, at, code):
    calls = disk_fails(at, code)
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:photos", args=[draft.pk]),
        {
            "images": [image_upload("a.jpg"), image_upload("b.jpg"), image_upload("c.jpg")],
            "caption": "ผู้นำชุมชนร่วมประชุม",
        },
    )
    assert len(calls) == at
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_STORED in page
    assert "ผู้นำชุมชนร่วมประชุม" in page
    assert not MeetingPhoto.objects.exists()
    assert _files() == []


def test_meeting_photos_when_the_database_fails_after_the_files(staff_user, draft, monkeypatch):
    real_save = MeetingPhoto.save
    saved = []

    def save(self, *args, **kwargs):
        saved.append(self)
        if len(saved) == 2:
            raise DatabaseError("simulated database failure")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(MeetingPhoto, "save", save)
    with pytest.raises(PhotosNotStored, match=DATABASE_FAILED):
        meeting_services.photos_add(
            meeting=draft, actor=staff_user, files=[image_upload("a.jpg"), image_upload("b.jpg")]
        )
    assert not MeetingPhoto.objects.exists()
    assert _files() == []


def test_the_photos_page_tells_of_a_database_failure_and_keeps_the_caption(
    client, staff_user, draft, monkeypatch
):
    def save(self, *args, **kwargs):
        raise DatabaseError("simulated database failure")

    monkeypatch.setattr(MeetingPhoto, "save", save)
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:photos", args=[draft.pk]),
        {"images": [image_upload("a.jpg")], "caption": "ผู้นำชุมชนร่วมประชุม"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert DATABASE_FAILED in page
    assert "ผู้นำชุมชนร่วมประชุม" in page
    assert not MeetingPhoto.objects.exists()
    assert _files() == []


def test_issue_update_on_a_full_disk_keeps_the_note(client, officer_user, eng_issue, disk_fails):
    disk_fails(3)
    before = (eng_issue.updates.count(), eng_issue.status, eng_issue.version)
    client.force_login(officer_user)
    response = client.post(
        reverse("issues:update", args=[eng_issue.pk]),
        {
            "version": eng_issue.version,
            "to_status": "in_progress",
            "note": "เริ่มซ่อมผิวถนนช่วงหน้าโรงเรียน",
            "is_public": "on",
            "photos": [image_upload("a.jpg"), image_upload("b.jpg")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_STORED in page
    assert "เริ่มซ่อมผิวถนนช่วงหน้าโรงเรียน" in page
    eng_issue.refresh_from_db()
    assert (eng_issue.updates.count(), eng_issue.status, eng_issue.version) == before
    assert not IssuePhoto.objects.exists()
    assert _files() == []


def test_field_survey_on_a_full_disk_keeps_the_findings(client, kpt_user, eng_issue, disk_fails):
    disk_fails(2)
    updates = IssueUpdate.objects.count()
    client.force_login(kpt_user)
    response = client.post(
        reverse("issues:survey", args=[eng_issue.pk]),
        {
            "version": eng_issue.version,
            "survey_date": timezone.localdate().isoformat(),
            "team_members": "นายสมชาย ใจดี",
            "findings": "ผิวถนนทรุดเป็นแนวยาวประมาณสิบเมตร",
            "photos": [image_upload("a.jpg")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_STORED in page
    assert "ผิวถนนทรุดเป็นแนวยาวประมาณสิบเมตร" in page
    assert IssueUpdate.objects.count() == updates
    assert _files() == []


def test_issue_photos_when_the_database_fails_after_the_files(officer_user, eng_issue, monkeypatch):
    def save(self, *args, **kwargs):
        raise DatabaseError("simulated database failure")

    monkeypatch.setattr(IssuePhoto, "save", save)
    updates = IssueUpdate.objects.count()
    with pytest.raises(PhotosNotStored, match=DATABASE_FAILED):
        issue_services.issue_update(
            issue=eng_issue,
            actor=officer_user,
            version=eng_issue.version,
            note="ซ่อมแล้ว",
            photos=[image_upload("a.jpg")],
        )
    assert IssueUpdate.objects.count() == updates
    assert _files() == []


def test_photos_that_are_stored_stay(client, staff_user, draft):
    """The removal touches only a failed upload's files."""
    client.force_login(staff_user)
    client.post(reverse("meetings:photos", args=[draft.pk]), {"images": [image_upload("a.jpg")]})
    photo = MeetingPhoto.objects.get()
    assert _files() == sorted(
        [
            Path(settings.MEDIA_ROOT) / photo.image.name,
            Path(settings.MEDIA_ROOT) / photo.thumbnail.name,
        ]
    )
    assert (photo.width, photo.height) == (64, 48)
