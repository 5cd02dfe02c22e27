"""Thin Celery tasks of the procedures app: load by id, call a service."""

import smtplib

from celery import shared_task

from procedures.services.catalogue_import_jobs import import_job_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_catalogue_import(job_id: int) -> str:
    """A large catalogue import; safe to run twice (a finished job is left alone)."""
    return import_job_run(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=120, time_limit=150)
def sweep_deadlines() -> dict:
    """Beat's deadline sweep; idempotent and locked (procedures.services.deadline_sweep), so a redelivery or
    a second copy changes nothing."""
    from procedures.services.deadline_sweep import deadline_sweep

    return deadline_sweep()


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,  # under CELERY_MAX_COUNTDOWN, itself under the broker's visibility_timeout
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def deliver_notification(self, event_id: int) -> str:
    """One outbox e-mail; idempotent (the row is locked and marked delivered with the send)."""
    from procedures.services.notifications import outbox_deliver

    return outbox_deliver(event_id=event_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=60, time_limit=90)
def relay_outbox() -> int:
    """Beat's safety net: undelivered e-mail rows whose first hand-off was lost are enqueued again."""
    from procedures.services.notifications import outbox_relay

    return outbox_relay()
