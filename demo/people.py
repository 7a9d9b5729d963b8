"""Demo accounts and people, for trying the system out and for the browser tests."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Role
from accounts.services import user_role_set
from communities.models import Community, Department, Participant, ParticipantRole

# Each first name with the sex it is given to, so that its title fits: นาย for a man,
# นาง or นางสาว for a woman (never นายมาลี or นางธนพล).
MALE, FEMALE = "male", "female"
FIRST_NAMES = (
    ("สมชาย", MALE),
    ("สมศรี", FEMALE),
    ("วิชัย", MALE),
    ("มาลี", FEMALE),
    ("ประเสริฐ", MALE),
    ("สุนีย์", FEMALE),
    ("บุญมี", MALE),
    ("วันเพ็ญ", FEMALE),
    ("สุรชัย", MALE),
    ("จันทร์เพ็ญ", FEMALE),
    ("ธนพล", MALE),
    ("กาญจนา", FEMALE),
    ("สมบัติ", MALE),
    ("อรุณี", FEMALE),
    ("ชาญชัย", MALE),
    ("พรทิพย์", FEMALE),
    ("อนันต์", MALE),
    ("ศิริพร", FEMALE),
    ("ปรีชา", MALE),
    ("นงลักษณ์", FEMALE),
    ("สุเทพ", MALE),
)
LAST_NAMES = (
    "ใจดี",
    "ศรีสุข",
    "ทองคำ",
    "แก้วมณี",
    "บุญประเสริฐ",
    "สุขสวัสดิ์",
    "มั่นคง",
    "รักษ์ทะเล",
    "วงศ์ใหญ่",
    "พรหมมา",
    "เพชรรัตน์",
    "หาดทราย",
    "ชื่นบาน",
)
EXECUTIVES = (
    ("นายกเทศมนตรีนครหัวหิน", MALE),
    ("รองนายกเทศมนตรี", MALE),
    ("รองนายกเทศมนตรี", FEMALE),
    ("รองนายกเทศมนตรี", MALE),
    ("ปลัดเทศบาล", MALE),
)
COUNCIL_MEMBERS = 12
LEADER_COMMUNITY_NUMBER = 1


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    first_name: str
    last_name: str
    department_code: str | None = None
    community_number: int | None = None


DEMO_ACCOUNTS = (
    DemoAccount("admin", Role.ADMIN, "ผู้ดูแล", "ระบบ"),
    DemoAccount("staff", Role.SECRETARIAT, "สุดารัตน์", "ธุรการดี", department_code="PALAD"),
    DemoAccount("officer", Role.OFFICER, "ณรงค์", "ช่างสร้าง", department_code="ENG"),
    DemoAccount("kpt", Role.FOLLOW_UP, "ปิยะ", "ติดตามงาน", department_code="KPT"),
    DemoAccount(
        "leader",
        Role.LEADER,
        "บุญส่ง",
        "รักชุมชน",
        community_number=LEADER_COMMUNITY_NUMBER,
    ),
)


@dataclass
class DemoResult:
    password: str | None
    created_users: list[str]
    participants_created: int


def title_for(sex: str, index: int) -> str:
    """Return the title of a person of ``sex``: นาย, or for a woman นาง (most) or
    นางสาว (one in four)."""
    if sex == MALE:
        return "นาย"
    return "นางสาว" if index % 4 == 0 else "นาง"


def person_name(index: int, *, sex: str | None = None) -> str:
    """Return the ``index``-th demo name with the title its first name takes; with
    ``sex``, the name is one given to that sex. Shared with the scale bench."""
    names = [entry for entry in FIRST_NAMES if sex is None or entry[1] == sex]
    first, first_sex = names[index % len(names)]
    last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
    return f"{title_for(first_sex, index)}{first} {last}"


def _demo_participants() -> list[Participant]:
    people = []
    for index, (position, sex) in enumerate(EXECUTIVES):
        people.append(
            Participant(
                name=person_name(100 + index, sex=sex),
                position=position,
                role=ParticipantRole.EXECUTIVE,
            )
        )
    for index in range(COUNCIL_MEMBERS):
        people.append(
            Participant(
                name=person_name(200 + index),
                position="สมาชิกสภาเทศบาลนครหัวหิน",
                role=ParticipantRole.COUNCIL,
            )
        )
    for department in Department.objects.exclude(kind=Department.Kind.EXTERNAL):
        people.append(
            Participant(
                name=person_name(300 + department.pk),
                position=f"ผู้แทน{department.name_th}",
                role=ParticipantRole.DEPARTMENT,
                department=department,
            )
        )
    for community in Community.objects.filter(active=True):
        if community.number != LEADER_COMMUNITY_NUMBER:
            people.append(
                Participant(
                    name=person_name(community.number),
                    position=f"ประธาน{community.name_th}",
                    role=ParticipantRole.CHAIR,
                    community=community,
                )
            )
        people.append(
            Participant(
                name=person_name(500 + community.number),
                position=f"กรรมการ{community.name_th}",
                role=ParticipantRole.COMMITTEE,
                community=community,
            )
        )
    return people


def _link_account(user, account: DemoAccount):
    department = (
        Department.objects.get(code=account.department_code) if account.department_code else None
    )
    community = (
        Community.objects.get(number=account.community_number) if account.community_number else None
    )
    user_role_set(user=user, role=account.role, department=department, community=community)
    if account.role == Role.LEADER:
        Participant.objects.update_or_create(
            user=user,
            defaults={
                "name": f"นาย{user.first_name} {user.last_name}",
                "position": f"ประธาน{community.name_th}",
                "role": ParticipantRole.CHAIR,
                "community": community,
            },
        )


@transaction.atomic
def demo_data_create(*, password: str | None = None) -> DemoResult:
    """Create the demo accounts of every role and the people who attend meetings.

    Needs the reference data. Existing demo users keep their password unless a
    ``password`` is given; without one, new users get a random password, returned
    so that it can be shown once. Running it again adds nothing twice.
    """
    User = get_user_model()
    existing = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    missing_users = len(existing) < len(DEMO_ACCOUNTS)
    new_password = password or (secrets.token_urlsafe(9) if missing_users else None)
    created_users = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"first_name": account.first_name, "last_name": account.last_name},
        )
        if created or password:
            user.set_password(new_password)
        if account.role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        user.save()
        _link_account(user, account)
        if created:
            created_users.append(account.username)

    participants_created = 0
    if not Participant.objects.filter(user__isnull=True).exists():
        participants = Participant.objects.bulk_create(_demo_participants())
        participants_created = len(participants)
    return DemoResult(
        password=new_password if (created_users or password) else None,
        created_users=created_users,
        participants_created=participants_created,
    )
