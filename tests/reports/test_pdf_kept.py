"""The monthly summary and community report PDFs are laid out once for the same
content and kept in the media storage; any change to what they show makes a new one."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from core import pdf
from issues import services
from issues.models import Issue, Status
from tests.pdf_text import nfkc, pdf_text

pytestmark = pytest.mark.django_db


def _community_pdf(client) -> bytes:
    response = client.get(reverse("reports:community_pdf", args=[1]))
    assert response.status_code == 200
    return response.content


def test_the_same_report_is_laid_out_once_and_served_again(
    client, leader_user, make_issue, layouts
):
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    first = _community_pdf(client)
    again = _community_pdf(client)
    assert again == first
    assert len(layouts) == 1
    assert nfkc("ถนนชำรุดหน้าวัด") in pdf_text(again)


def test_a_changed_status_makes_a_new_community_report(
    client, leader_user, staff_user, make_issue, layouts
):
    issue = make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    before = pdf_text(_community_pdf(client))
    services.issue_update(
        issue=Issue.objects.get(pk=issue.pk),
        actor=staff_user,
        version=None,
        to_status=Status.IN_PROGRESS,
    )
    after = pdf_text(_community_pdf(client))
    assert nfkc("กำลังดำเนินการ") in after
    assert nfkc("กำลังดำเนินการ") not in before
    assert len(layouts) == 2


def test_a_change_made_behind_the_workflow_makes_a_new_report_too(
    client, leader_user, make_issue, layouts
):
    """What the document shows decides, not when a row says it was last saved: a
    title fixed by a bulk update (which leaves ``updated_at`` alone) is printed."""
    issue = make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _community_pdf(client)
    Issue.objects.filter(pk=issue.pk).update(title="ถนนชำรุดหน้าโรงเรียน")
    assert nfkc("ถนนชำรุดหน้าโรงเรียน") in pdf_text(_community_pdf(client))


def test_a_resolved_issue_changes_the_monthly_summary(
    client, staff_user, make_issue, layouts, settings
):
    settings.PDF_THAI_DIGITS = False
    issue = make_issue(title="ท่อระบายน้ำอุดตัน")
    today = timezone.localdate()
    url = reverse("reports:monthly_pdf", args=[today.year, today.month])
    client.force_login(staff_user)
    before = client.get(url).content
    assert client.get(url).content == before
    assert len(layouts) == 1
    for status in (Status.IN_PROGRESS, Status.RESOLVED):
        services.issue_update(
            issue=Issue.objects.get(pk=issue.pk), actor=staff_user, version=None, to_status=status
        )
    after = client.get(url).content
    assert after != before
    assert len(layouts) == 2
    # The resolution rate of the month goes from none to all of its one issue.
    assert "100" in pdf_text(after)
    assert "100" not in pdf_text(before)


def test_the_digit_setting_makes_a_document_of_its_own(
    client, leader_user, make_issue, layouts, settings
):
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    settings.PDF_THAI_DIGITS = True
    thai = _community_pdf(client)
    settings.PDF_THAI_DIGITS = False
    arabic = _community_pdf(client)
    assert thai != arabic
    assert len(layouts) == 2


def test_documents_not_made_for_a_week_are_removed_when_another_is_kept(
    client, leader_user, make_issue, monkeypatch
):
    monkeypatch.setattr(pdf, "_last_pruned", None)  # no web worker pruned this hour
    old = default_storage.save(f"{pdf.KEPT_FOLDER}/old.pdf", ContentFile(b"%PDF-old"))
    recent = default_storage.save(f"{pdf.KEPT_FOLDER}/recent.pdf", ContentFile(b"%PDF-new"))
    week_ago = timezone.now() - datetime.timedelta(days=pdf.KEPT_DAYS, hours=1)
    stamp = week_ago.timestamp()
    os.utime(default_storage.path(old), (stamp, stamp))
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _community_pdf(client)
    assert not default_storage.exists(old)
    assert default_storage.exists(recent)
    _folders, files = default_storage.listdir(pdf.KEPT_FOLDER)
    assert len(files) == 2  # the recent one and the report just made


def _half_written(whole: bytes) -> str:
    """Cut the one kept document to its first half; return its path."""
    [name] = default_storage.listdir(pdf.KEPT_FOLDER)[1]
    path = default_storage.path(f"{pdf.KEPT_FOLDER}/{name}")
    with open(path, "wb") as kept:
        kept.write(whole[: len(whole) // 2])
    return path


def test_a_kept_document_still_being_written_is_not_served(
    client, leader_user, make_issue, layouts
):
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    _half_written(_community_pdf(client))  # another worker half-way through writing it

    served = _community_pdf(client)
    assert served.rstrip().endswith(b"%%EOF")
    assert len(layouts) == 2
    assert nfkc("ถนนชำรุดหน้าวัด") in pdf_text(served)


def test_a_document_left_half_written_is_replaced_by_a_whole_one(
    client, leader_user, make_issue, layouts
):
    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    path = _half_written(_community_pdf(client))  # by a worker that stopped
    stamp = (timezone.now() - datetime.timedelta(minutes=5)).timestamp()
    os.utime(path, (stamp, stamp))

    _community_pdf(client)
    assert len(layouts) == 2
    with open(path, "rb") as kept:
        assert kept.read().rstrip().endswith(b"%%EOF")
    _community_pdf(client)
    assert len(layouts) == 2


def test_a_storage_that_fails_still_gets_the_document_laid_out(
    client, leader_user, make_issue, layouts, monkeypatch, caplog
):
    """An object store's errors are its client's own, not OSError."""

    class StoreDown(Exception):
        pass

    def down(*args, **kwargs):
        raise StoreDown("the object store did not answer")

    make_issue(title="ถนนชำรุดหน้าวัด")
    client.force_login(leader_user)
    for method in ("exists", "open", "save", "listdir"):
        monkeypatch.setattr(default_storage, method, down)
    monkeypatch.setattr(pdf, "_last_pruned", None)
    served = _community_pdf(client)
    assert nfkc("ถนนชำรุดหน้าวัด") in pdf_text(served)
    assert len(layouts) == 1
    assert "could not be read" in caplog.text and "could not be kept" in caplog.text
