import pytest
from django.core.management import CommandError, call_command

from communities.models import DEFAULT_TARGET_DAYS, Community, Department, IssueCategory
from communities.services import (
    DEFAULT_REFERENCE_FILE,
    ReferenceDataError,
    reference_data_load,
    reference_data_read,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_reference_data")]


def _counts():
    return (Community.objects.count(), Department.objects.count(), IssueCategory.objects.count())


def _small_data(**overrides):
    data = {
        "departments": [
            {"code": "ENG", "name_th": "กองช่าง", "kind": "department"},
            {"code": "KPT", "name_th": "คปต.", "kind": "follow_up_team"},
        ],
        "categories": [{"code": "road", "name_th": "ถนน", "default_department": "ENG"}],
        "communities": [
            {"number": 1, "name_th": "ชุมชนหนึ่ง", "zone": "เขต 1"},
            {"number": 2, "name_th": "ชุมชนสอง", "zone": "เขต 1"},
        ],
    }
    data.update(overrides)
    return data


def test_shipped_file_loads_42_communities_departments_and_routed_categories():
    call_command("load_reference_data", verbosity=0)

    assert list(Community.objects.values_list("number", flat=True)) == list(range(1, 43))
    names = Community.objects.values_list("name_th", flat=True)
    assert all(name.startswith("ชุมชน") for name in names)
    kinds = set(Department.objects.values_list("kind", flat=True))
    assert kinds == {"department", "follow_up_team", "external"}
    assert Department.objects.get(code="KPT").kind == "follow_up_team"
    for name in ("สำนักการช่าง", "กองการประปา", "กองคลัง", "สำนักปลัดเทศบาล"):
        assert Department.objects.filter(name_th=name, kind="department").exists(), name
    assert Department.objects.filter(kind="external", name_th__contains="การไฟฟ้า").exists()
    routing = dict(IssueCategory.objects.values_list("code", "default_department__code"))
    assert routing["road"] == "ENG"
    assert routing["water_supply"] == "WATER"
    assert routing["garbage"] == "HEALTH"
    assert {"drainage", "street_light", "stray_animals", "trees", "safety", "welfare", "other"} <= (
        set(routing)
    )


def test_loading_twice_changes_nothing(capsys):
    call_command("load_reference_data")
    before = _counts()
    names = list(Community.objects.values_list("pk", "name_th"))

    call_command("load_reference_data")

    assert _counts() == before
    assert list(Community.objects.values_list("pk", "name_th")) == names
    assert "nothing changed" in capsys.readouterr().out


def test_second_load_updates_changed_rows_in_place():
    reference_data_load(data=_small_data())
    community = Community.objects.get(number=2)

    data = _small_data()
    data["communities"][1]["name_th"] = "ชุมชนสองพัฒนา"
    result = reference_data_load(data=data)

    assert result.updated == {"communities": 1}
    assert result.created == {}
    community.refresh_from_db()
    assert community.name_th == "ชุมชนสองพัฒนา"


def test_loading_again_leaves_admin_edits_of_unlisted_fields_alone():
    reference_data_load(data=_small_data())
    Community.objects.filter(number=1).update(phone="032-511-047")

    reference_data_load(data=_small_data())

    assert Community.objects.get(number=1).phone == "032-511-047"


@pytest.mark.parametrize(
    ("section", "row", "expected"),
    [
        ("communities", {"number": 0, "name_th": "ชุมชนศูนย์"}, "communities row 3 (number = 0)"),
        ("communities", {"number": 1, "name_th": "ชุมชนซ้ำ"}, "appears twice"),
        ("communities", {"number": 3}, "name_th: missing"),
        ("communities", {"number": 3, "name_th": "ชุมชน", "mayor": "x"}, "unknown field 'mayor'"),
        ("departments", {"code": "X", "name_th": "หน่วย", "kind": "ministry"}, "kind"),
        (
            "categories",
            {"code": "tree", "name_th": "ต้นไม้", "default_department": "PARKS"},
            "unknown department 'PARKS'",
        ),
        (
            "categories",
            {"code": "tree", "name_th": "ต้นไม้", "default_department": "ENG", "target_days": 0},
            "categories row 2 (code = 'tree'): target_days",
        ),
        (
            "categories",
            {"code": "tree", "name_th": "ต้นไม้", "default_department": "ENG", "target_days": 400},
            "target_days",
        ),
        (
            "categories",
            {"code": "tree", "name_th": "ต้นไม้", "default_department": "ENG", "target_days": "15"},
            "target_days: '15' is not a whole number of days",
        ),
        (
            "categories",
            {"code": "tree", "name_th": "ต้นไม้", "default_department": "ENG", "target_days": 7.5},
            "target_days: 7.5 is not a whole number of days",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_loaded(section, row, expected):
    data = _small_data()
    data[section] = [*data[section], row]

    with pytest.raises(ReferenceDataError) as error:
        reference_data_load(data=data)

    assert any(expected in line for line in error.value.errors), error.value.errors
    assert _counts() == (0, 0, 0)


def test_bad_file_from_the_command_gives_a_clear_error_and_loads_nothing(tmp_path):
    path = tmp_path / "other.toml"
    path.write_text(
        '[[communities]]\nnumber = 1\nname_th = "ชุมชนหนึ่ง"\n\n'
        '[[communities]]\nnumber = "two"\nname_th = "ชุมชนสอง"\n',
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as error:
        call_command("load_reference_data", file=path)

    assert "Nothing was loaded" in str(error.value)
    assert "communities row 2 (number = 'two')" in str(error.value)
    assert Community.objects.count() == 0


def test_another_municipality_loads_its_own_file(tmp_path):
    path = tmp_path / "other.toml"
    path.write_text(
        '[[departments]]\ncode = "ENG"\nname_th = "กองช่าง"\nkind = "department"\n\n'
        '[[communities]]\nnumber = 1\nname_th = "ชุมชนบ้านเหนือ"\n',
        encoding="utf-8",
    )

    call_command("load_reference_data", file=path, verbosity=0)

    assert list(Community.objects.values_list("name_th", flat=True)) == ["ชุมชนบ้านเหนือ"]


def test_missing_and_malformed_files_are_reported(tmp_path):
    with pytest.raises(ReferenceDataError, match="file not found"):
        reference_data_read(path=tmp_path / "none.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[communities]\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="not valid TOML"):
        reference_data_read(path=broken)


def test_shipped_file_says_which_names_are_illustrative():
    header = DEFAULT_REFERENCE_FILE.read_text(encoding="utf-8").split("\n[[", 1)[0]
    assert "ILLUSTRATIVE" in header


def test_shipped_file_gives_each_category_its_target_days():
    call_command("load_reference_data", verbosity=0)

    days = dict(IssueCategory.objects.values_list("code", "target_days"))
    assert (days["street_light"], days["drainage"], days["road"]) == (15, 30, 60)
    assert all(1 <= value <= 365 for value in days.values())


def test_a_category_without_target_days_gets_the_default_and_a_reload_updates_it():
    reference_data_load(data=_small_data())
    assert IssueCategory.objects.get(code="road").target_days == DEFAULT_TARGET_DAYS

    data = _small_data()
    data["categories"][0]["target_days"] = 45
    result = reference_data_load(data=data)

    assert result.updated == {"categories": 1}
    assert IssueCategory.objects.get(code="road").target_days == 45
