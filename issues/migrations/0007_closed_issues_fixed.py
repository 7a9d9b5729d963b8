"""Issues closed before outcomes were recorded were counted as fixed: mark them
fixed, and say so in each one's history rather than reinterpret them silently."""

import django.utils.timezone
from django.db import migrations

# The history note each issue closed before outcomes existed receives (Thai: the
# record is read by the community and the municipality's staff).
MIGRATION_NOTE = (
    "ระบบบันทึกผลการปิดเรื่องเป็น “แก้ไขแล้วเสร็จ” โดยอัตโนมัติ "
    "เนื่องจากเรื่องที่ปิดก่อนมีการบันทึกผลการปิดเรื่อง นับเป็นเรื่องที่แก้ไขแล้วเสร็จทั้งหมด"
)


def closed_issues_mark_fixed(apps, schema_editor):
    """Issues closed before this change were counted as fixed: say so, in their history."""
    Issue = apps.get_model("issues", "Issue")
    IssueUpdate = apps.get_model("issues", "IssueUpdate")
    closed = Issue.objects.filter(status="closed", outcome="")
    now = django.utils.timezone.now()
    IssueUpdate.objects.bulk_create(
        IssueUpdate(
            issue_id=pk,
            kind="system",
            actor=None,
            created_at=now,
            note=MIGRATION_NOTE,
            outcome="fixed",
            is_public=True,
        )
        for pk in closed.values_list("pk", flat=True).iterator()
    )
    closed.update(outcome="fixed")


def closed_issues_unmark(apps, schema_editor):
    """Take back exactly what ``closed_issues_mark_fixed`` wrote."""
    Issue = apps.get_model("issues", "Issue")
    IssueUpdate = apps.get_model("issues", "IssueUpdate")
    marked = IssueUpdate.objects.filter(kind="system", note=MIGRATION_NOTE)
    Issue.objects.filter(pk__in=marked.values("issue_id")).update(outcome="")
    marked.delete()


class Migration(migrations.Migration):
    dependencies = [("issues", "0006_outcome")]

    operations = [
        migrations.RunPython(closed_issues_mark_fixed, closed_issues_unmark, elidable=False),
    ]
