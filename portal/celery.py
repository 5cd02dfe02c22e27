"""The Celery app. Periodic schedules are declared in portal.celery_schedule (one place)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _schedule(sender, **kwargs):
    from portal.celery_schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
