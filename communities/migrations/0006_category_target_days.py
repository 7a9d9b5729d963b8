import django.core.validators
from django.db import migrations, models

# The targets shipped with the reference data when categories got them; other
# categories keep the default of 30 days.
TARGET_DAYS = {
    "road": 60,
    "drainage": 30,
    "street_light": 15,
    "garbage": 7,
    "stray_animals": 30,
    "trees": 15,
    "water_supply": 7,
    "electricity": 15,
    "safety": 30,
    "public_health": 15,
    "nuisance": 15,
    "encroachment": 30,
    "disaster": 7,
    "welfare": 30,
    "other": 30,
}


def targets_set(apps, schema_editor):
    IssueCategory = apps.get_model("communities", "IssueCategory")
    for code, days in TARGET_DAYS.items():
        IssueCategory.objects.filter(code=code).update(target_days=days)


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0005_profile_to_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuecategory",
            name="target_days",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text=(
                    "Days from forwarding to the department within which an issue of this "
                    "category should be fixed; its target date defaults from it."
                ),
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(365),
                ],
                verbose_name="target days",
            ),
        ),
        migrations.RunPython(targets_set, migrations.RunPython.noop),
    ]
