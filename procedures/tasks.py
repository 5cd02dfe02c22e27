"""Thin Celery tasks of the procedures app: load by id, call a service."""

import smtplib

from celery import shared_task

from procedures.models import IssuedDocument
from procedures.services.catalogue_import_jobs import import_job_run
from procedures.services.documents import issued_document_render
from procedures.services.uploads_sweep import orphan_uploads_sweep


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


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_booking_confirmation(booking_id: int) -> bool:
    """Enqueued after the booking commits; sent once (the row records it)."""
    from procedures.services.booking_mail import booking_send_confirmation

    return booking_send_confirmation(booking_id=booking_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_booking_reminders() -> int:
    """Daily: remind bookings of the next working day; each at most once, so running twice is harmless."""
    from procedures.services.booking_mail import booking_send_reminder, bookings_due_for_reminder

    return sum(booking_send_reminder(booking_id=pk) for pk in bookings_due_for_reminder())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def lapse_bookings() -> int:
    """After the desk closes: unused bookings of past days lapse (recorded as no-shows)."""
    from procedures.services.booking import bookings_lapse

    return bookings_lapse()


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


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_orphan_uploads() -> int:
    """Nightly: delete upload files no dossier document names, past the grace period; safe to run twice."""
    return len(orphan_uploads_sweep().orphans)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def snapshot_dashboards() -> int:
    """Beat, the 1st of each month: freeze last month's dashboard figures per unit (existing ones are kept)."""
    from procedures.services.dashboard_snapshots import dashboard_snapshots_take

    return dashboard_snapshots_take()


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_feedback_notice(notice_id: int) -> bool:
    """A feedback sweep flag's e-mail; safe to run twice (the notice records the send)."""
    from procedures.services.feedback_mail import feedback_notice_send

    return feedback_notice_send(notice_id=notice_id)
