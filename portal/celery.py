"""The Celery app; periodic schedules are declared in code, here, in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work (due-soon and overdue sweeps) is added here by the dossier workflow.
app.conf.beat_schedule = {}
