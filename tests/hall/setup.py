"""Prepare an SQLite file for the hall test and print what the clients need, as JSON.

Run as ``python -m tests.hall.setup`` with DATABASE_URL naming the file: migrate,
load the reference data, then a meeting dated today, leaders each linked to a
participant, and officers each with a forwarded issue of their department."""

import json
import sys

import django


def main(leaders: int, officers: int) -> dict:
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from communities.models import Community, IssueCategory, Participant, ParticipantRole
    from issues import services as issue_services
    from meetings import services as meeting_services
    from tests.factories import PASSWORD, make_user

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    staff = make_user(username="staff", role="secretariat", department_code="PALAD")
    meeting = meeting_services.meeting_create(
        actor=staff, date=timezone.localdate(), venue="ห้องประชุมเทศบาลนครหัวหิน"
    )
    hashed = make_password(PASSWORD)
    names = []
    for number in range(1, leaders + 1):
        user = make_user(username=f"leader{number}", role="leader", community_number=number)
        user.password = hashed
        user.save(update_fields=["password"])
        Participant.objects.create(
            name=f"ประธานชุมชน {number}",
            role=ParticipantRole.CHAIR,
            community=Community.objects.get(number=number),
            user=user,
        )
        names.append(user.username)
    issues = []
    for number in range(1, officers + 1):
        user = make_user(username=f"officer{number}", role="officer", department_code="ENG")
        user.password = hashed
        user.save(update_fields=["password"])
        issue = issue_services.issue_create(
            actor=staff,
            community=Community.objects.get(number=number),
            category=IssueCategory.objects.get(code="road"),
            title=f"ถนนชำรุด ซอย {number}",
        )
        issues.append({"username": user.username, "pk": issue.pk, "version": issue.version})
    return {
        "password": PASSWORD,
        "meeting": meeting.pk,
        "token": meeting.check_in_token,
        "leaders": names,
        "issues": issues,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
