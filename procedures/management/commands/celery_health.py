import json

from django.core.management.base import BaseCommand, CommandError

from portal.monitoring import celery_health


class Command(BaseCommand):
    help = "Say whether a Celery worker and beat are alive and how old the last deadline sweep is; exit 1 if not."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for workers' replies")

    def handle(self, *args, **opts):
        health = celery_health(ping_timeout=opts["timeout"])
        self.stdout.write(json.dumps(health.as_dict(), indent=2, sort_keys=True))
        if not health.ok:
            raise CommandError("unhealthy")
