from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from procedures.services.dossier_generator import GeneratorError, generate_dossiers


class Command(BaseCommand):
    help = (
        "Bulk-create realistic synthetic dossiers for benchmarks and dashboards (one transaction). "
        "Refuses to run in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="how many dossiers")
        parser.add_argument("--units", default="", help="comma-separated unit codes (default: every active ward)")
        parser.add_argument("--seed", type=int, default=None, help="random seed, for a repeatable data set")
        parser.add_argument("--since", default=None, help="first day, YYYY-MM-DD (default: a year ago)")
        parser.add_argument("--years", type=int, default=None, help="or: this many years back from today")
        parser.add_argument(
            "--citizens",
            type=int,
            default=0,
            help="new synthetic citizens to file the dossiers besides the existing ones (e.g. a quarter of --count)",
        )

    def handle(self, *args, **opts):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "generate_dossiers refuses to run with production settings (DEMO_DATA_ALLOWED is False)."
            )
        since = None
        if opts["since"]:
            try:
                since = date.fromisoformat(opts["since"])
            except ValueError:
                raise CommandError(f"--since: {opts['since']!r} is not a date (YYYY-MM-DD).") from None
        codes = [c.strip() for c in opts["units"].split(",") if c.strip()]
        verbosity = opts.get("verbosity", 1)

        def log(done):
            if verbosity > 1:
                self.stdout.write(f"… {done:,}")

        try:
            result = generate_dossiers(
                count=opts["count"],
                unit_codes=codes,
                seed=opts["seed"],
                since=since,
                years=opts["years"],
                citizens=opts["citizens"],
                log=log,
            )
        except GeneratorError as exc:
            raise CommandError(str(exc)) from None
        rate = result["dossiers"] / result["seconds"] if result["seconds"] else 0
        statuses = ", ".join(f"{k}: {v:,}" for k, v in result["statuses"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result['dossiers']:,} dossiers ({result['citizens']:,} new citizens), "
                f"{result['history rows']:,} history rows, "
                f"{result['documents']:,} documents and {result['ratings']:,} ratings "
                f"in {result['units']} units since {result['since']:%Y-%m-%d} "
                f"in {result['seconds']} s ({rate:,.0f} dossiers/s). {statuses}."
            )
        )
