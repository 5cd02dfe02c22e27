"""Background catalogue imports: store the upload, enqueue after commit, run it with progress.

The worker's task only loads the job by id and calls `import_job_run`; running it twice (a redelivery
after a lost worker) is harmless: a finished job is left alone and an import of the same file is
idempotent anyway.
"""

from __future__ import annotations

from uuid import uuid4

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from procedures.models import ImportJob, ImportStatus
from procedures.services.catalogue_import import ImportReport, RowError, import_catalogue


@transaction.atomic
def import_job_create(*, data: bytes, file_name: str, fmt: str, rows: int, user, dry_run: bool, reason: str):
    job = ImportJob(
        created_by=user,
        file_name=file_name[:255],
        file_format=fmt,
        dry_run=dry_run,
        reason=reason[:200],
        rows_total=rows,
        language=translation.get_language() or "vi",
        task_id=str(uuid4()),  # known before the worker can start, so nothing races to write it
    )
    job.upload.save(f"import.{fmt}", ContentFile(data), save=False)
    job.save()

    def enqueue():
        from procedures.tasks import run_catalogue_import

        run_catalogue_import.apply_async((job.pk,), task_id=job.task_id)

    transaction.on_commit(enqueue)
    return job


def import_job_run(job_id: int) -> str:
    """Run a queued job; returns its final status."""
    job = ImportJob.objects.get(pk=job_id)
    if job.finished:
        return job.status
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, rows_done=0)

    def progress(done: int, total: int) -> None:
        # Validation runs outside the import's transaction, so the admin sees these numbers at once.
        ImportJob.objects.filter(pk=job.pk).update(rows_done=min(done, total), rows_total=total)

    with translation.override(job.language):
        try:
            with job.upload.open("rb") as handle:
                data = handle.read()
            report = import_catalogue(
                data,
                fmt=job.file_format,
                user=job.created_by,
                dry_run=job.dry_run,
                reason=job.reason,
                progress=progress,
            )
        except Exception:
            # Never leave a job "running" for ever; the traceback goes to the worker's log.
            report = ImportReport(
                errors=[RowError(None, None, _("The import stopped unexpectedly; nothing was imported."))]
            )
            _finish(job, report)
            raise
        _finish(job, report)
    return job.status


def _finish(job: ImportJob, report: ImportReport) -> None:
    job.refresh_from_db()
    job.status = ImportStatus.DONE if report.ok else ImportStatus.FAILED
    job.rows_total = max(job.rows_total, report.rows)
    job.rows_done = job.rows_total if report.ok else job.rows_done
    job.outcome = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "fields_created": report.fields_created,
    }
    job.errors = [{"row": e.row, "field": e.field, "message": e.message} for e in report.errors]
    job.finished_at = timezone.now()
    job.upload.delete(save=False)
    job.save(update_fields=["status", "rows_total", "rows_done", "outcome", "errors", "finished_at", "upload"])
