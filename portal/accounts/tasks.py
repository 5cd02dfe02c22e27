"""Periodic account housekeeping."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def purge_login_logs() -> int:
    """Thin wrapper: the rule lives in the service; safe to run twice."""
    return services.login_logs_purge()
