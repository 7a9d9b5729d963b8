"""Meeting numbers count within the calendar year and follow the meetings' dates
(ข้อ ๒๕ of the correspondence regulation); they used to count within the fiscal
year in the order the meetings were typed.

Every meeting gets ``number_year``, the Buddhist-Era year its number counts in: the
calendar year of its date, or its fiscal year where ``MEETING_NUMBERING=fiscal``.
Within each such year the meetings are numbered again by date, then by creation,
with one exception, so that nothing recorded is silently made wrong:

- A meeting whose minutes are approved or published keeps its number *and* the
  year it was numbered in (its fiscal year): ``3/2569`` is written in its signed
  minutes and stays ``3/2569``, counted among the meetings of 2569.
- The drafts and held meetings of a year are numbered in date order after the
  highest number kept before them, skipping a number kept by a later meeting.

The reverse numbers the meetings by fiscal year again in the same way, keeping the
numbers of approved and published meetings that were counted in their fiscal year.
"""

from collections import defaultdict

from django.conf import settings
from django.db import migrations, models

BE_OFFSET = 543
SIGNED = ("approved", "published")


def _fiscal_year(day) -> int:
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def _number(meetings, kept) -> None:
    """Number ``meetings`` in date order within each ``number_year``; the ids in
    ``kept`` keep their number and the others follow the highest number before them."""
    years = defaultdict(list)
    for meeting in meetings:
        years[meeting.number_year].append(meeting)
    for members in years.values():
        members.sort(key=lambda meeting: (meeting.date, meeting.pk))
        taken = {meeting.number for meeting in members if meeting.pk in kept}
        highest = 0
        for meeting in members:
            if meeting.pk not in kept:
                number = highest + 1
                while number in taken:
                    number += 1
                meeting.number = number
            highest = max(highest, meeting.number)


def number_by_calendar_year(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    fiscal = getattr(settings, "MEETING_NUMBERING", "calendar") == "fiscal"
    meetings = list(Meeting.objects.only("pk", "date", "status", "fiscal_year", "number"))
    kept = set()
    for meeting in meetings:
        if meeting.status in SIGNED:
            meeting.number_year = meeting.fiscal_year
            kept.add(meeting.pk)
        else:
            meeting.number_year = (
                _fiscal_year(meeting.date) if fiscal else meeting.date.year + BE_OFFSET
            )
    _number(meetings, kept)
    Meeting.objects.bulk_update(meetings, ["number_year", "number"], batch_size=500)


def number_by_fiscal_year(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    meetings = list(Meeting.objects.only("pk", "date", "status", "fiscal_year", "number_year"))
    kept = {
        meeting.pk
        for meeting in meetings
        if meeting.status in SIGNED and meeting.number_year == meeting.fiscal_year
    }
    for meeting in meetings:
        meeting.number_year = meeting.fiscal_year
    _number(meetings, kept)
    Meeting.objects.bulk_update(meetings, ["number"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_field_labels")]

    operations = [
        migrations.CreateModel(
            name="MeetingYear",
            fields=[
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        primary_key=True, serialize=False, verbose_name="year (B.E.)"
                    ),
                ),
            ],
            options={
                "verbose_name": "meeting numbering year",
                "verbose_name_plural": "meeting numbering years",
            },
        ),
        migrations.RemoveConstraint(model_name="meeting", name="meeting_number_unique_in_year"),
        migrations.AddField(
            model_name="meeting",
            name="number_year",
            field=models.PositiveSmallIntegerField(
                editable=False, null=True, verbose_name="year of the number"
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="number",
            field=models.PositiveSmallIntegerField(
                editable=False, verbose_name="number in the year"
            ),
        ),
        migrations.RunPython(number_by_calendar_year, number_by_fiscal_year),
        migrations.AlterField(
            model_name="meeting",
            name="number_year",
            field=models.PositiveSmallIntegerField(
                editable=False, verbose_name="year of the number"
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                fields=("number_year", "number"), name="meeting_number_unique_in_year"
            ),
        ),
    ]
