from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The one-time form token moves here from the communities app. Its table was made
    by communities' 0003 and keeps its name: only Django's picture of the model moves."""

    initial = True

    dependencies = [
        ("communities", "0003_submitted_form"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SubmittedForm",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("token", models.CharField(max_length=64, unique=True)),
                        ("url", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "submitted form",
                        "verbose_name_plural": "submitted forms",
                        "db_table": "communities_submittedform",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
