"""manage.py import_procedures FILE: load a catalogue file (CSV or JSON, the admin's export format)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from procedures.services.catalogue_import import import_catalogue


class Command(BaseCommand):
    help = (
        "Import procedures from a CSV or JSON file in the export format. Matched by code (importing twice "
        "changes nothing); every row is validated first and nothing is imported if any row is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["csv", "json"], help="Default: from the file extension.")
        parser.add_argument("--dry-run", action="store_true", help="Validate only; import nothing.")

    def handle(self, *args, **opts):
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        fmt = opts["format"] or path.suffix.lower().lstrip(".")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("%(path)s: cannot be read (%(error)s).") % {"path": path, "error": exc.strerror}
            ) from None
        # Bad files are reported row by row, never as a traceback (the importer raises nothing for them).
        report = import_catalogue(data, fmt=fmt, dry_run=opts["dry_run"], reason=f"import_procedures {path.name}")
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            message = _("%(name)s: %(count)s error(s); nothing was imported.")
            raise CommandError(message % {"name": path.name, "count": len(report.errors)})
        summary = report.summary()
        if report.dry_run:
            summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
        if report.fields_created:
            self.stdout.write(_("New fields: %(codes)s") % {"codes": ", ".join(report.fields_created)})
