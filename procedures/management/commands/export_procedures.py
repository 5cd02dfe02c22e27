"""manage.py export_procedures [--format csv|json] [-o FILE]: the catalogue in the import format."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from procedures.selectors.catalogue_export import export_csv, export_json


class Command(BaseCommand):
    help = (
        "Export every procedure (active or not) in the format import_procedures reads; CSV cells that a "
        "spreadsheet would run as formulas are written with a leading apostrophe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="json")
        parser.add_argument("-o", "--output", type=Path, help="Default: standard output.")

    def handle(self, *args, **opts):
        content = export_csv() if opts["format"] == "csv" else export_json()
        if opts["output"]:
            opts["output"].write_text(content, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(_("Wrote %(path)s.") % {"path": opts["output"]}))
        else:
            self.stdout.write(content, ending="")
