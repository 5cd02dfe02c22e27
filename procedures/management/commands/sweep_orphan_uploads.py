from django.conf import settings
from django.core.management.base import BaseCommand

from procedures.services.uploads_sweep import orphan_uploads_sweep


class Command(BaseCommand):
    help = (
        "Delete uploaded dossier files that no dossier document names, older than DOSSIER_ORPHAN_GRACE_HOURS "
        "(files left by a crash between the file write and the commit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list what would be deleted")

    def handle(self, *args, **opts):
        result = orphan_uploads_sweep(dry_run=opts["dry_run"])
        for name in result.orphans:
            self.stdout.write(("would delete " if result.dry_run else "deleted ") + name)
        verb = "Would delete" if result.dry_run else "Deleted"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(result.orphans)} orphan file(s); kept {result.kept_young} younger than "
                f"{settings.DOSSIER_ORPHAN_GRACE_HOURS} h and {result.referenced} referenced."
            )
        )
