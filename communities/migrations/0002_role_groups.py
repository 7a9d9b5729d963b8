from django.db import migrations

# The values of communities.models.Role, frozen here as a migration must be.
ROLE_GROUPS = ("admin", "secretariat", "officer", "follow_up", "leader")


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("communities", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
