from django.db import migrations

# The usual five items of the monthly meeting, in the official order.
DEFAULT_AGENDA = (
    (1, "announcements", "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"),
    (2, "previous_minutes", "เรื่องรับรองรายงานการประชุมครั้งที่แล้ว"),
    (3, "follow_up", "เรื่องสืบเนื่อง"),
    (4, "consideration", "เรื่องเพื่อพิจารณา"),
    (5, "other", "เรื่องอื่น ๆ"),
)


def create_default_agenda(apps, schema_editor):
    AgendaTemplateItem = apps.get_model("meetings", "AgendaTemplateItem")
    for order, kind, title in DEFAULT_AGENDA:
        AgendaTemplateItem.objects.get_or_create(
            order=order, defaults={"kind": kind, "title": title}
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(create_default_agenda, migrations.RunPython.noop)]
