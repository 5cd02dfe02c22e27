"""Thin Celery tasks of the procedures app: load by id, call a service."""

from celery import shared_task

from procedures.models import IssuedDocument
from procedures.services.catalogue_import_jobs import import_job_run
from procedures.services.documents import issued_document_render


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_catalogue_import(job_id: int) -> str:
    """A large catalogue import; safe to run twice (a finished job is left alone)."""
    return import_job_run(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_dossier_drafts() -> int:
    """Abandoned review-step drafts of the online form (safe to run twice)."""
    from procedures.services.dossier_drafts import dossier_drafts_sweep

    return dossier_drafts_sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_issued_document(document_id: int) -> int | None:
    """Store the first print of an issued paper; safe to run twice (a stored file is kept)."""
    try:
        return issued_document_render(document_id=document_id).pk
    except IssuedDocument.DoesNotExist:  # gone with its database (a test's): nothing to print
        return None
