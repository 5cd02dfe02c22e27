import json

from django.core.management.base import BaseCommand

from procedures.services.deadline_sweep import deadline_sweep


class Command(BaseCommand):
    help = "Run the deadline sweep now (the same one beat runs every DEADLINE_SWEEP_INTERVAL seconds); safe to repeat."

    def handle(self, *args, **opts):
        counts = deadline_sweep()
        if counts.get("skipped"):
            self.stdout.write("Another sweep is running; nothing done.")
        else:
            self.stdout.write(json.dumps(counts, sort_keys=True))
