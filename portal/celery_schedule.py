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
        "sweep-dossier-drafts": {
            "task": "procedures.tasks.sweep_dossier_drafts",
            "schedule": crontab(hour=19, minute=15),  # 02:15 in Hanoi
        },
        "sweep-orphan-uploads": {
            "task": "procedures.tasks.sweep_orphan_uploads",
            "schedule": crontab(hour=19, minute=45),  # 02:45 in Hanoi
        },
        "booking-reminders": {
            "task": "procedures.tasks.send_booking_reminders",
            "schedule": crontab(hour=3, minute=0),  # 10:00 in Hanoi: the working day before the visit
        },
        "snapshot-dashboards": {
            "task": "procedures.tasks.snapshot_dashboards",
            # 08:00 in Hanoi on the 1st: last month is over in Hanoi and in UTC alike.
            "schedule": crontab(day_of_month=1, hour=1, minute=0),
        },
        "booking-lapse": {
            "task": "procedures.tasks.lapse_bookings",
            "schedule": crontab(hour=17, minute=5),  # 00:05 in Hanoi: the receiving day is over
        },
    }
