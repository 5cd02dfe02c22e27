from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from procedures.domain.periods import PeriodError, month_period, previous_month
from procedures.services.dashboard_snapshots import dashboard_snapshots_take


def _month(text: str, option: str):
    try:
        first = date.fromisoformat(f"{text.strip()}-01")
    except ValueError:
        raise CommandError(f"{option} must be YYYY-MM, e.g. 2026-01, not {text!r}.") from None
    return month_period(first.year, first.month)


class Command(BaseCommand):
    help = (
        "Freeze finished months' dashboard figures for every active unit (default: last month). "
        "Existing snapshots are kept unchanged, so running it twice is harmless."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--month", help="The month to freeze, YYYY-MM (default: last month).")
        which.add_argument("--since", help="Freeze every month from this one (YYYY-MM) to last month.")

    def handle(self, *args, **opts):
        if opts["since"]:
            month, last = _month(opts["since"], "--since"), previous_month(timezone.localdate())
            months = []
            while month.start <= last.start:
                months.append(month)
                nxt = month.end.toordinal() + 1
                month = month_period(date.fromordinal(nxt).year, date.fromordinal(nxt).month)
        else:
            months = [_month(opts["month"], "--month") if opts["month"] else None]
        created = 0
        for month in months:
            try:
                created += dashboard_snapshots_take(month=month)
            except PeriodError as error:
                raise CommandError(error.message) from None
        self.stdout.write(f"{created} snapshot(s) written.")
