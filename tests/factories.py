import factory
from django.contrib.auth import get_user_model

from accounts.services import user_role_set
from communities.models import Community, Department, Participant, ParticipantRole

PASSWORD = "correct-horse-battery-2569"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "ทดสอบ"
    last_name = factory.Sequence(lambda n: f"ผู้ใช้{n}")
    password = factory.django.Password(PASSWORD)


def make_user(
    username: str,
    *,
    role: str | None,
    department_code: str | None = None,
    community_number: int | None = None,
):
    """Return a user holding ``role`` (a group name), linked to a department or community."""
    user = UserFactory(username=username)
    user_role_set(
        user=user,
        role=role,
        department=Department.objects.get(code=department_code) if department_code else None,
        community=Community.objects.get(number=community_number) if community_number else None,
    )
    return user


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    name = factory.Sequence(lambda n: f"นายทดสอบ คนที่{n}")
    role = ParticipantRole.COMMITTEE
    community = factory.LazyFunction(lambda: Community.objects.order_by("number").first())
