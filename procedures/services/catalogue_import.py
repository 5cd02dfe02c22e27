"""Importing a catalogue file (CSV or JSON, the export format): all or nothing, errors by row and column.

One row is one procedure. Rows are matched by `code`, so importing the same file twice changes nothing
(unchanged rows are not even re-saved, so the history shows only real changes). Procedures missing from
the file are left alone. The file is read by `procedures.documents.catalogue_file`, every row is
validated set-wise by `catalogue_import_checks` (the same checks for a dry run and a real import), and
only if no row has an error is everything written, in one transaction, by `catalogue_bulk_write`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from procedures.documents.catalogue_file import CatalogueFileError, RowError, read_catalogue
from procedures.models import Procedure
from procedures.selectors.catalogue_export import PROCEDURE_ATTRS, procedure_to_row
from procedures.services.catalogue_bulk_write import write_plan
from procedures.services.catalogue_import_checks import ImportPlan, validate_rows

SHIPPED_CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "procedures.json"

__all__ = ["ImportReport", "RowError", "import_catalogue", "import_file", "load_shipped_catalogue"]


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fields_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


def import_catalogue(
    data: bytes,
    *,
    fmt: str,
    user=None,
    dry_run: bool = False,
    reason: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row, then (unless dry_run) write them all in one transaction, or none.

    Never raises for a bad file: every problem is a RowError in the report. `progress(done, total)`
    is called while rows are validated (outside any transaction, so others can see it)."""
    report = ImportReport(dry_run=dry_run)
    try:
        rows = read_catalogue(data, fmt)
    except CatalogueFileError as exc:
        report.errors = exc.errors
        return report
    report.rows = len(rows)
    errors, plan = validate_rows(rows, progress=(lambda done: progress(done, len(rows))) if progress else None)
    if errors:
        report.errors = errors
        return report
    changed = _classify(plan, report)
    report.fields_created = sorted(set(plan.field_names) - set(plan.fields))
    if dry_run:
        return report
    try:
        with transaction.atomic():
            report.fields_created = write_plan(plan, changed, user=user, reason=reason)
    except ValidationError as exc:
        _fail(report, RowError(None, None, "; ".join(exc.messages)))
    except DatabaseError as exc:
        _fail(report, RowError(None, None, _("the database refused the import: %(error)s") % {"error": exc}))
    return report


def _fail(report: ImportReport, error: RowError) -> None:
    report.created, report.updated, report.unchanged, report.fields_created = [], [], [], []
    report.errors.append(error)


def _classify(plan: ImportPlan, report: ImportReport) -> list[dict]:
    """Sort rows into created / updated / unchanged; returns the cleaned rows to write."""
    changed = []
    for row in plan.rows:
        cleaned = row.cleaned
        existing = plan.existing.get(cleaned["code"])
        if existing is None:
            report.created.append(cleaned["code"])
        elif _canonical_existing(existing) == _canonical_incoming(cleaned):
            report.unchanged.append(cleaned["code"])
            continue
        else:
            report.updated.append(cleaned["code"])
        changed.append(cleaned)
    return changed


def _canonical_incoming(cleaned: dict) -> dict:
    row = {attr: cleaned.get(attr) for attr in PROCEDURE_ATTRS}
    row["deadline_cutoff"] = cleaned["deadline_cutoff"].strftime("%H:%M") if cleaned.get("deadline_cutoff") else None
    row.update(
        field=cleaned["field"],
        units=cleaned["units"],
        documents=[
            {k: d[k] for k in ("name", "form", "count", "note", "name_en", "note_en", "template")}
            for d in cleaned["documents"]
        ],
        steps=[
            {
                "description": s["description"],
                "responsible": s["responsible"],
                "minutes": s["allotment_minutes"],
                "description_en": s["description_en"],
                "responsible_en": s["responsible_en"],
            }
            for s in cleaned["steps"]
        ],
    )
    return row


def _canonical_existing(procedure: Procedure) -> dict:
    row = procedure_to_row(procedure)
    for key in ("field_name", "field_name_en"):
        row.pop(key)
    return row


def import_file(path: str | Path, *, user=None, dry_run: bool = False) -> ImportReport:
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    return import_catalogue(
        path.read_bytes(), fmt=fmt, user=user, dry_run=dry_run, reason=_("imported from %(name)s") % {"name": path.name}
    )


def load_shipped_catalogue() -> ImportReport:
    """The real ward-level procedures shipped with the portal (procedures/data/procedures.json)."""
    report = import_file(SHIPPED_CATALOGUE)
    if not report.ok:
        raise ValidationError([str(e) for e in report.errors])
    return report
