"""Record the channel each issue came through, and fill it for the issues already
logged from what their rows say: a leader's submission (still awaiting a meeting, or
put on a meeting's agenda since) came online; an issue logged with a meeting was
raised at it; every other one was logged by staff."""

from django.db import migrations, models


def channels_fill(apps, schema_editor):
    Issue = apps.get_model("issues", "Issue")
    IssueUpdate = apps.get_model("issues", "IssueUpdate")
    confirmed = IssueUpdate.objects.filter(kind="confirmed").values("issue_id")
    online = Issue.objects.filter(models.Q(awaiting_meeting=True) | models.Q(pk__in=confirmed))
    online.update(channel="online")
    Issue.objects.exclude(channel="online").filter(meeting__isnull=False).update(channel="meeting")


class Migration(migrations.Migration):
    dependencies = [("issues", "0007_closed_issues_fixed")]

    operations = [
        migrations.AddField(
            model_name="issue",
            name="channel",
            field=models.CharField(
                choices=[
                    ("meeting", "Raised at a community leaders' meeting"),
                    ("online", "Submitted online by a community leader"),
                    ("staff", "Logged by municipal staff"),
                ],
                default="staff",
                max_length=20,
                verbose_name="received through",
            ),
        ),
        migrations.RunPython(channels_fill, migrations.RunPython.noop, elidable=False),
    ]
