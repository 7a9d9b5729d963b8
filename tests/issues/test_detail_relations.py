"""The issue page names what an issue is linked to, from a query PostgreSQL plans fast."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Department
from issues import services
from issues.models import Status

pytestmark = pytest.mark.django_db


def test_a_referral_names_its_agency_and_a_duplicate_its_original(client, make_issue, staff_user):
    referred = make_issue(status=Status.REFERRED, title="เสาไฟฟ้าเอียง")
    original = make_issue(title="ไฟฟ้าส่องสว่างดับ")
    duplicate = services.issue_update(
        issue=make_issue(title="ไฟดับหน้าบ้าน"),
        actor=staff_user,
        version=None,
        to_status=Status.DUPLICATE,
        duplicate_of=original,
        note="ซ้ำกับเรื่องเดิม",
    )
    client.force_login(staff_user)
    page = client.get(reverse("issues:detail", args=[referred.pk])).content.decode()
    assert Department.objects.get(code="PEA").name in page
    page = client.get(reverse("issues:detail", args=[duplicate.pk])).content.decode()
    assert f'<a href="{original.get_absolute_url()}">{original.reference}</a>' in page


def test_the_issue_is_read_with_at_most_four_tables_joined(client, make_issue, staff_user):
    """Eight tables joined took PostgreSQL ten times longer to plan than to run; the
    rarely set links are read only for the issues that have them."""
    issue = make_issue()
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("issues:detail", args=[issue.pk])).status_code == 200
    [read] = [
        query["sql"]
        for query in queries
        if re.match(r'SELECT "issues_issue"\."id"', query["sql"])
        and f"= {issue.pk}" in query["sql"]
    ]
    assert read.count(" JOIN ") <= 4
