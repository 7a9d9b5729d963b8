"""The background work of the reports, run by ``manage.py db_worker``."""

from django_tasks import task

from . import prints


@task()
def refresh_printed_documents() -> int:
    """Make the recently printed PDF reports ready (``prints.refresh_printed``); then
    queue the round of just after midnight. Return how many documents are ready."""
    ready = prints.refresh_printed()
    prints.schedule_after_midnight()
    return ready
