from django.db import migrations


class Migration(migrations.Migration):
    """The one-time form token is now core's (core 0001); the table stays where it is."""

    dependencies = [
        ("communities", "0003_submitted_form"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SubmittedForm")],
            database_operations=[],
        ),
    ]
