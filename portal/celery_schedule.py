"""Every periodic schedule of the portal, in one place: beat reads this dict and nothing else.

Exactly one beat process runs it (portal.celery_beat.LockedScheduler holds a Redis lock); add an entry here,
never a schedule in a task module or in settings.
"""

from celery.schedules import crontab
from django.conf import settings


def beat_schedule() -> dict:
    return {
        "purge-login-logs": {
            "task": "portal.accounts.tasks.purge_login_logs",
            "schedule": crontab(hour=2, minute=30),  # 09:30 in Hanoi, UTC clock
        },
        "sweep-deadlines": {
            "task": "procedures.tasks.sweep_deadlines",
            "schedule": float(settings.DEADLINE_SWEEP_INTERVAL),
            # A sweep not started within one interval is dropped: the next one does the same work.
            "options": {"expires": float(settings.DEADLINE_SWEEP_INTERVAL)},
        },
        "relay-outbox": {
            "task": "procedures.tasks.relay_outbox",
            "schedule": float(settings.OUTBOX_RELAY_INTERVAL),
            "options": {"expires": float(settings.OUTBOX_RELAY_INTERVAL)},
        },
    }
