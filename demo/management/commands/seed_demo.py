from django.core.management.base import BaseCommand, CommandError

from communities.models import Community
from demo.issue_history import demo_issues_create
from demo.meeting_history import demo_meetings_create
from demo.people import DEMO_ACCOUNTS, demo_data_create
from notifications.services import notifications_muted


class Command(BaseCommand):
    help = (
        "Create demo users of every role (admin, staff, officer, kpt, leader) and the "
        "people who attend the meetings, a year of meetings and the issues raised at them. Run load_reference_data first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user (also resets existing ones). "
            "Without it, new users get a random password that is printed once.",
        )

    def handle(self, *args, **options):
        if not Community.objects.exists():
            raise CommandError("No communities yet: run `manage.py load_reference_data` first.")
        result = demo_data_create(password=options["password"])
        if result.participants_created:
            self.stdout.write(f"Created {result.participants_created} meeting participants.")
        # A year of history written at once is not news: nobody is told of it.
        with notifications_muted():
            meetings_created = demo_meetings_create()
            issues_created = demo_issues_create()
        if meetings_created:
            self.stdout.write(f"Created {meetings_created} meetings with attendance and minutes.")
        if issues_created:
            self.stdout.write(f"Created {issues_created} issues with their follow-up history.")
        usernames = ", ".join(account.username for account in DEMO_ACCOUNTS)
        if result.password and not options["password"]:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo users {usernames} — password (shown only now): {result.password}"
                )
            )
        elif result.password:
            self.stdout.write(f"Demo users {usernames} now have the given password.")
        else:
            self.stdout.write(
                f"Demo users {usernames} already exist; their passwords are unchanged "
                "(set one with `manage.py seed_demo --password …`)."
            )
