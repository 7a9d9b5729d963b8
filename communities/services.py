"""Writes of the communities app: loading the reference data file."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import Community, Department, IssueCategory

DEFAULT_REFERENCE_FILE = Path(__file__).resolve().parent / "data" / "huahin.toml"


class ReferenceDataError(Exception):
    """The reference file has bad rows; ``errors`` names each one. Nothing was loaded."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


@dataclass(frozen=True)
class _Section:
    name: str
    model: type[models.Model]
    key: str
    fields: tuple[str, ...]
    required: tuple[str, ...]


# In load order: categories name the departments they route to.
_SECTIONS = (
    _Section(
        "departments",
        Department,
        "code",
        ("code", "name_th", "name_en", "kind", "active"),
        ("code", "name_th", "kind"),
    ),
    _Section(
        "categories",
        IssueCategory,
        "code",
        (
            "code",
            "name_th",
            "name_en",
            "default_department",
            "target_days",
            "sort_order",
            "active",
        ),
        ("code", "name_th", "default_department"),
    ),
    _Section(
        "communities",
        Community,
        "number",
        ("number", "name_th", "name_en", "zone", "phone", "line_id", "active"),
        ("number", "name_th"),
    ),
)


class _Rollback(Exception):
    pass


def reference_data_read(*, path: Path) -> dict:
    """Return the parsed reference file, or raise ``ReferenceDataError``."""
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise ReferenceDataError([f"{path}: file not found"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ReferenceDataError([f"{path}: not valid TOML: {error}"]) from None


def _messages(error: ValidationError) -> list[str]:
    return [
        f"{name}: {' '.join(str(m) for m in messages)}"
        for name, messages in error.message_dict.items()
    ]


def _row_values(section: _Section, row: dict) -> tuple[dict, list[str]]:
    """Return the model values of ``row`` and what is wrong with its shape."""
    problems = [f"unknown field {name!r}" for name in row if name not in section.fields]
    problems += [f"{name}: missing" for name in section.required if name not in row]
    values = dict(row)
    if section.model is IssueCategory and "default_department" in values:
        code = values.pop("default_department")
        department = Department.objects.filter(code=code).first()
        if department is None:
            problems.append(f"default_department: unknown department {code!r}")
        values["default_department"] = department
    if section.model is IssueCategory and "target_days" in values:
        days = values["target_days"]
        if isinstance(days, bool) or not isinstance(days, int):
            problems.append(f"target_days: {days!r} is not a whole number of days")
    return values, problems


def _differs(instance: models.Model, name: str, value) -> bool:
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) != (value.pk if value else None)
    return getattr(instance, name) != value


def _load_section(section: _Section, rows: list, result: LoadResult, errors: list[str]):
    existing = {getattr(obj, section.key): obj for obj in section.model.objects.all()}
    seen: set = set()
    for index, row in enumerate(rows, start=1):
        where = f"{section.name} row {index}"
        if not isinstance(row, dict):
            errors.append(f"{where}: not a table")
            continue
        if section.key in row:
            where += f" ({section.key} = {row[section.key]!r})"
        values, problems = _row_values(section, row)
        key = row.get(section.key)
        if key in seen:
            problems.append(f"{section.key}: {key!r} appears twice in the file")
        seen.add(key)
        if problems:
            errors.extend(f"{where}: {problem}" for problem in problems)
            continue

        instance = existing.get(key) or section.model()
        changed = [name for name, value in values.items() if _differs(instance, name, value)]
        for name in changed:
            setattr(instance, name, values[name])
        try:
            instance.full_clean()
        except ValidationError as error:
            errors.extend(f"{where}: {message}" for message in _messages(error))
            continue
        if instance.pk is None:
            instance.save()
            result.created[section.name] = result.created.get(section.name, 0) + 1
        elif changed:
            instance.save(update_fields=changed)
            result.updated[section.name] = result.updated.get(section.name, 0) + 1


def reference_data_load(*, data: dict) -> LoadResult:
    """Create or update departments, categories and communities from ``data``.

    Rows are matched by their key (department and category ``code``, community
    ``number``), so loading the same data twice changes nothing. Every row is
    checked: any bad row raises ``ReferenceDataError`` naming each bad row, and
    nothing is written.
    """
    errors = [f"unknown section [[{name}]]" for name in sorted(set(data) - _SECTION_NAMES)]
    result = LoadResult()
    try:
        with transaction.atomic():
            for section in _SECTIONS:
                _load_section(section, data.get(section.name, []), result, errors)
            if errors:
                raise _Rollback
    except _Rollback:
        raise ReferenceDataError(errors) from None
    return result


_SECTION_NAMES = frozenset(section.name for section in _SECTIONS)
