from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0004_field_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="issue",
            name="target_source",
            field=models.CharField(
                blank=True,
                choices=[("category", "the category's target"), ("own", "set for this issue")],
                max_length=10,
                verbose_name="target set by",
            ),
        ),
    ]
