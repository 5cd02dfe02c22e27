"""Periodic account housekeeping."""

import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from . import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def purge_login_logs() -> int:
    """Thin wrapper: the rule lives in the service; safe to run twice."""
    return services.login_logs_purge()


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def send_email_message(subject: str, body: str, from_email: str | None, to: list[str], html: str | None = None) -> int:
    """An e-mail rendered by the web process (the password reset), sent by the worker: the page answers in the
    same time whether or not an account matched, and a slow SMTP server never holds a request."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send(fail_silently=False)
