"""The background work of the notifications app, run by ``manage.py db_worker``."""

from django_tasks import task

from .services import notification_send


@task()
def deliver(notification_id: str) -> str:
    """Send one notification; return the status it ended in."""
    return notification_send(notification_id=notification_id)
