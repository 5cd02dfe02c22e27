"""The Celery app; periodic schedules are declared in code, here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic schedule of the portal, in one place (exactly one beat process runs them).
app.conf.beat_schedule = {
    "purge-login-logs": {
        "task": "portal.accounts.tasks.purge_login_logs",
        "schedule": crontab(hour=2, minute=30),  # 09:30 in Hanoi, UTC clock
    },
    "sweep-orphan-uploads": {
        "task": "procedures.tasks.sweep_orphan_uploads",
        "schedule": crontab(hour=19, minute=45),  # 02:45 in Hanoi, UTC clock
    },
}
