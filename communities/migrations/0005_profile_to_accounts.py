from django.db import migrations


class Migration(migrations.Migration):
    """Profiles are now the accounts app's (accounts 0001); the table stays where it is."""

    dependencies = [
        ("communities", "0004_submitted_form_to_core"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Profile")],
            database_operations=[],
        ),
    ]
