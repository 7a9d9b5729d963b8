"""Issues closed before outcomes existed were counted as fixed: the migration says so
in each one's history instead of reinterpreting them silently."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The reference data stays at its latest state: only the issues app goes back.
REFERENCE = ("communities", "0006_category_target_days")
BEFORE = [("issues", "0005_issue_target_source"), REFERENCE]
AFTER = [("issues", "0007_closed_issues_fixed"), REFERENCE]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def closed_before_outcomes():
    """One closed issue and one still in progress, written before the change."""
    apps = _migrate(BEFORE)
    Issue = apps.get_model("issues", "Issue")
    Community = apps.get_model("communities", "Community")
    IssueCategory = apps.get_model("communities", "IssueCategory")
    Department = apps.get_model("communities", "Department")
    department, _ = Department.objects.get_or_create(code="TEST", defaults={"name_th": "กองทดสอบ"})
    category = IssueCategory.objects.first() or IssueCategory.objects.create(
        code="test", name_th="หมวดทดสอบ", default_department=department
    )
    community = Community.objects.first() or Community.objects.create(
        number=99, name_th="ชุมชนทดสอบ"
    )
    at = timezone.make_aware(datetime.datetime(2026, 3, 4, 10))
    issues = {
        status: Issue.objects.create(
            fiscal_year=2569,
            number=number,
            community=community,
            category=category,
            title=f"ปัญหาที่ {number}",
            status=status,
            received_at=at,
            resolved_at=at if status == "closed" else None,
            ended_at=at if status == "closed" else None,
        )
        for number, status in ((1, "closed"), (2, "in_progress"))
    }
    yield {status: issue.pk for status, issue in issues.items()}
    _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_closed_issues_become_fixed_with_a_public_note_saying_why(closed_before_outcomes):
    apps = _migrate(AFTER)
    Issue = apps.get_model("issues", "Issue")
    IssueUpdate = apps.get_model("issues", "IssueUpdate")

    closed = Issue.objects.get(pk=closed_before_outcomes["closed"])
    open_ = Issue.objects.get(pk=closed_before_outcomes["in_progress"])
    assert (closed.outcome, open_.outcome) == ("fixed", "")
    note = IssueUpdate.objects.get(issue=closed)
    assert (note.kind, note.outcome, note.is_public) == ("system", "fixed", True)
    assert "แก้ไขแล้วเสร็จ" in note.note
    assert "ก่อนมีการบันทึกผลการปิดเรื่อง" in note.note
    assert not IssueUpdate.objects.filter(issue=open_).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_reverses_and_takes_its_notes_back(closed_before_outcomes):
    _migrate(AFTER)
    apps = _migrate(BEFORE)

    IssueUpdate = apps.get_model("issues", "IssueUpdate")
    assert not IssueUpdate.objects.filter(issue_id=closed_before_outcomes["closed"]).exists()
