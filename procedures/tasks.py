"""Thin Celery tasks of the procedures app: load by id, call a service."""

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
