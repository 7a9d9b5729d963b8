"""Demo data a Thai reader can be shown: titles that fit the person's first name, and
issues each told in their own words and places."""

from collections import Counter

import pytest
from django.core.management import call_command

from communities.models import Participant
from issues.models import Issue

pytestmark = pytest.mark.django_db

# Female first names among the demo's and a few of the people written by hand.
FEMALE = {
    "สมศรี", "มาลี", "สุนีย์", "วันเพ็ญ", "จันทร์เพ็ญ", "กาญจนา", "อรุณี", "พรทิพย์", "ศิริพร",
    "นงลักษณ์", "มณีรัตน์", "จันทร์ฉาย",
}  # fmt: skip
MALE = {
    "สมชาย", "วิชัย", "ประเสริฐ", "บุญมี", "สุรชัย", "ธนพล", "สมบัติ", "ชาญชัย", "อนันต์",
    "ปรีชา", "สุเทพ", "บุญส่ง", "สมพงษ์",
}  # fmt: skip


def _title_and_first_name(name: str) -> tuple[str, str]:
    for title in ("นางสาว", "นาง", "นาย"):
        if name.startswith(title):
            return title, name.removeprefix(title).split()[0]
    return "", name.split()[0]


@pytest.fixture
def seeded(reference_data):
    call_command("seed_demo", password="demo-password-2569", verbosity=0)


def test_every_demo_persons_title_fits_their_first_name(seeded):
    wrong = []
    names = list(Participant.objects.values_list("name", flat=True))
    for name in names:
        title, first = _title_and_first_name(name)
        assert first in FEMALE | MALE, name
        if (title == "นาย") != (first in MALE):
            wrong.append(name)
    assert wrong == []
    titles = Counter(_title_and_first_name(name)[0] for name in names)
    assert titles["นาย"] and titles["นาง"] and titles["นางสาว"]


def test_the_scale_bench_names_people_the_same_way():
    from bench.scale import person_name

    for index in range(60):
        title, first = _title_and_first_name(person_name(index))
        assert (title == "นาย") == (first in MALE), person_name(index)


def test_demo_issues_are_told_in_varied_words_and_places(seeded):
    issues = list(Issue.objects.values_list("title", "description", "location_text"))
    assert len(issues) > 40
    descriptions = Counter(description for _title, description, _place in issues)
    assert descriptions.most_common(1)[0][1] <= 3, descriptions.most_common(3)
    assert len({place for _title, _description, place in issues}) >= 12
    assert len({title for title, _description, _place in issues}) >= 20
    # A description says where: the issue's own place, in its words.
    for _title, description, place in issues:
        assert place in description, (description, place)
