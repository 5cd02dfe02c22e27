"""Thin Celery tasks of the procedures app: load by id, call a service."""

from celery import shared_task

from procedures.services.catalogue_import_jobs import import_job_run
from procedures.services.uploads_sweep import orphan_uploads_sweep


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_catalogue_import(job_id: int) -> str:
    """A large catalogue import; safe to run twice (a finished job is left alone)."""
    return import_job_run(job_id)


@shared_task(acks_late=True)
def sweep_orphan_uploads() -> int:
    """Nightly: delete upload files no dossier document names, past the grace period; safe to run twice."""
    return len(orphan_uploads_sweep().orphans)
