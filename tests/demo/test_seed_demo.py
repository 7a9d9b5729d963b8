import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.models import Role
from accounts.permissions import primary_role, user_community, user_department
from communities.models import Participant

pytestmark = pytest.mark.django_db


def authenticate(**credentials):
    """Log in as the login page does: with a request, which the lockout check needs."""
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


EXPECTED_ROLES = {
    "admin": Role.ADMIN,
    "staff": Role.SECRETARIAT,
    "officer": Role.OFFICER,
    "kpt": Role.FOLLOW_UP,
    "leader": Role.LEADER,
}


def test_seed_demo_creates_a_user_of_every_role(reference_data):
    call_command("seed_demo", password="demo-password-2569", verbosity=0)

    for username, role in EXPECTED_ROLES.items():
        user = authenticate(username=username, password="demo-password-2569")
        assert user is not None, username
        assert primary_role(user) == role
    officer = get_user_model().objects.get(username="officer")
    assert user_department(officer).name_th == "สำนักการช่าง"
    assert user_department(get_user_model().objects.get(username="kpt")).code == "KPT"
    leader = get_user_model().objects.get(username="leader")
    assert user_community(leader).number == 1
    assert leader.participant.role == "chair"


def test_seed_demo_creates_the_meeting_participants(reference_data):
    call_command("seed_demo", password="demo-password-2569", verbosity=0)

    assert Participant.objects.filter(role="chair").count() == 42
    assert Participant.objects.filter(role="executive").exists()
    assert Participant.objects.filter(role="council").exists()
    assert Participant.objects.filter(role="department", department__code="ENG").exists()


def test_seed_demo_twice_adds_nothing_and_keeps_passwords(reference_data, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    password = first.split("shown only now): ")[1].strip()
    counts = (get_user_model().objects.count(), Participant.objects.count())

    call_command("seed_demo")

    second = capsys.readouterr().out
    assert "already exist" in second
    assert password not in second
    assert (get_user_model().objects.count(), Participant.objects.count()) == counts
    assert authenticate(username="staff", password=password) is not None


def test_seed_demo_needs_reference_data(no_reference_data):
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("seed_demo")


def test_seed_demo_creates_a_fiscal_year_of_held_meetings_with_attendance(reference_data):
    from meetings.models import Attendance, Meeting

    call_command("seed_demo", password="demo-password-2569", verbosity=0)

    last_year = Meeting.objects.filter(
        fiscal_year=Meeting.objects.order_by("fiscal_year").first().fiscal_year
    )
    assert last_year.count() == 12
    # Numbered from 1 each calendar year, in date order.
    for year in set(Meeting.objects.values_list("number_year", flat=True)):
        in_year = Meeting.objects.filter(number_year=year).order_by("date")
        assert list(in_year.values_list("number", flat=True)) == list(range(1, in_year.count() + 1))
        assert {day.year + 543 for day in in_year.values_list("date", flat=True)} == {year}
    assert not last_year.filter(status="draft").exists()
    assert Meeting.objects.filter(status="draft").count() == 1
    held = Meeting.objects.exclude(status="draft")
    for meeting in held:
        rows = Attendance.objects.filter(meeting=meeting)
        attended = rows.filter(status__in=Attendance.ATTENDED).count()
        assert 0.6 * rows.count() < attended < rows.count()
    assert Attendance.objects.filter(status="represented").exclude(substitute_name="").exists()
    call_command("seed_demo", verbosity=0)
    assert Meeting.objects.count() == held.count() + 1


def test_seed_demo_creates_a_year_of_issues_across_statuses_and_departments(reference_data):
    from django.utils import timezone

    from issues.models import Issue
    from issues.selectors import overdue_q

    call_command("seed_demo", password="demo-password-2569", verbosity=0)

    statuses = set(Issue.objects.values_list("status", flat=True))
    assert {"forwarded", "in_progress", "resolved", "closed"} <= statuses
    assert Issue.objects.values("department").distinct().count() >= 4
    assert Issue.objects.filter(overdue_q(timezone.localdate())).exists()
    assert Issue.objects.filter(awaiting_meeting=True).exists()
    count = Issue.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Issue.objects.count() == count
