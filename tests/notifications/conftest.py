import pytest

from communities.models import Community, IssueCategory
from issues import services as issue_services
from tests.factories import make_user


def with_email(user, address: str | None = None):
    user.email = address if address is not None else f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def leader(leader_user):
    """A leader of community 1 with an email address."""
    return with_email(leader_user)


@pytest.fixture
def officer(officer_user):
    """An officer of the engineering division (roads go there) with an email address."""
    return with_email(officer_user)


@pytest.fixture
def new_issue(staff_user):
    """Create an issue of community 1 as staff do; roads are routed to ENG."""

    def create(**fields):
        fields.setdefault("community", Community.objects.get(number=1))
        return issue_services.issue_create(
            actor=staff_user,
            category=IssueCategory.objects.get(code="road"),
            title=fields.pop("title", "ถนนชำรุดเป็นหลุมบ่อหน้าโรงเรียน"),
            **fields,
        )

    return create


@pytest.fixture
def other_leader(reference_data):
    return with_email(make_user(username="leader2", role="leader", community_number=2))


def link_line(user, uid: str | None = None) -> str:
    """Link ``user`` to a LINE account as LINE Login does; return its LINE user id."""
    from allauth.socialaccount.models import SocialAccount

    uid = uid or f"U{user.pk:032x}"
    SocialAccount.objects.create(user=user, provider="line", uid=uid)
    return uid
