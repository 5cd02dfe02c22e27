"""Một Cửa project shell: settings, URLs, the Celery app, accounts and units."""

from .celery import app as celery_app

__all__ = ("celery_app",)
