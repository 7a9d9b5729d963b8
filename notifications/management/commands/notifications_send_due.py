from django.core.management.base import BaseCommand

from notifications.services import notifications_due


class Command(BaseCommand):
    help = (
        "Queue every notification that is due and not yet sent: the mornings' digests "
        "and retries when the task backend cannot wait, or after the worker was down; "
        "settles what a stopped worker left half sent."
    )

    def handle(self, *args, **options):
        count = notifications_due()
        self.stdout.write(f"Queued {count} notifications.")
