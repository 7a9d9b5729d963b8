"""The pages whose rows are written by template tags rather than templates escape
what people typed, as a template would: a title, a note or a place with markup in
it is shown as text on every page that lists it."""

import pytest
from django.urls import reverse

from issues import services
from issues.models import Issue, Status

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture
def marked_up_issue(make_issue, officer_user):
    issue = make_issue(Status.IN_PROGRESS, title=f"ถนน {SCRIPT}", location_text=f"ซอย {SCRIPT}")
    return services.issue_update(
        issue=Issue.objects.get(pk=issue.pk),
        actor=officer_user,
        version=None,
        note=f"ซ่อมแล้ว {SCRIPT}",
    )


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("staff", "issues:list"),
        ("leader", "home"),
        ("officer", "issues:worklist"),
        ("kpt", "issues:board"),
        ("leader", "community_report"),
        ("staff", "community_report"),
    ],
)
def test_markup_typed_into_an_issue_is_shown_as_text(client, request, marked_up_issue, role, page):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    if page == "community_report":
        url = reverse("reports:community", args=[marked_up_issue.community.number])
    else:
        url = reverse(page)
    html = client.get(url).content.decode()
    assert "<script>alert" not in html
    assert f"ถนน {ESCAPED}" in html
    if page == "community_report":
        assert f"ซ่อมแล้ว {ESCAPED}" in html
