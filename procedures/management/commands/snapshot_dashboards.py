from datetime import date

from django.core.management.base import BaseCommand, CommandError

from procedures.domain.periods import PeriodError, month_period
from procedures.services.dashboard_snapshots import dashboard_snapshots_take


class Command(BaseCommand):
    help = (
        "Freeze a finished month's dashboard figures for every active unit (default: last month). "
        "Existing snapshots are kept unchanged, so running it twice is harmless."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month to freeze, YYYY-MM (default: last month).")

    def handle(self, *args, **opts):
        month = None
        if opts["month"]:
            try:
                first = date.fromisoformat(f"{opts['month'].strip()}-01")
            except ValueError:
                raise CommandError(f"--month must be YYYY-MM, e.g. 2026-01, not {opts['month']!r}.") from None
            month = month_period(first.year, first.month)
        try:
            created = dashboard_snapshots_take(month=month)
        except PeriodError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{created} snapshot(s) written.")
