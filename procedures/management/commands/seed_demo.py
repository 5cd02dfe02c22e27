from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from procedures.services.demo import seed_demo


class Command(BaseCommand):
    help = "Load demo units, accounts and catalogue (idempotent). Refuses to run in production."

    def handle(self, *args, **opts):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("seed_demo refuses to run with production settings (DEMO_DATA_ALLOWED is False).")
        counts = seed_demo()
        summary = ", ".join(f"{name}: {n}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({summary})."))
