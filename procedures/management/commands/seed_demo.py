from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from procedures.services.demo import seed_demo


class Command(BaseCommand):
    help = "Load demo units, accounts and catalogue (idempotent). Refuses to run in production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--history",
            type=int,
            default=None,
            help="dossiers of past year's history across the 14 wards, made once "
            "(default: settings.DEMO_HISTORY_DOSSIERS; 0 for none)",
        )

    def handle(self, *args, **opts):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("seed_demo refuses to run with production settings (DEMO_DATA_ALLOWED is False).")
        history = opts["history"] if opts["history"] is not None else settings.DEMO_HISTORY_DOSSIERS
        if history < 0:
            raise CommandError("--history must be 0 or more.")
        counts = seed_demo(history=history)
        summary = ", ".join(f"{name}: {n}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({summary})."))
