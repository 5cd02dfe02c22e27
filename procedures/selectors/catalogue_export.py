"""The catalogue as import-format rows, and the CSV / JSON files made from them (the importer reads them back)."""

from __future__ import annotations

from procedures.documents.catalogue_file import SCALAR_COLUMNS, write_csv, write_json
from procedures.models import Procedure

PROCEDURE_ATTRS = [c for c in SCALAR_COLUMNS if c not in ("field", "field_name", "field_name_en")]


def procedure_to_row(procedure: Procedure) -> dict:
    """One procedure in the import format (JSON-ready); expects field, documents, steps, units prefetched."""
    row = {attr: getattr(procedure, attr) for attr in PROCEDURE_ATTRS}
    row["deadline_cutoff"] = procedure.deadline_cutoff.strftime("%H:%M") if procedure.deadline_cutoff else None
    field_obj = procedure.field
    row.update(
        field=field_obj.code if field_obj else "",
        field_name=field_obj.name if field_obj else "",
        field_name_en=field_obj.name_en if field_obj else "",
        units=sorted(u.code for u in procedure.units.all()),
        documents=[
            {
                "name": d.name,
                "form": d.form,
                "count": d.count,
                "note": d.note,
                "name_en": d.name_en,
                "note_en": d.note_en,
                "template": d.template.name or "",
            }
            for d in procedure.documents.all()
        ],
        steps=[
            {
                "description": s.description,
                "responsible": s.responsible,
                "minutes": s.allotment_minutes,
                "description_en": s.description_en,
                "responsible_en": s.responsible_en,
            }
            for s in procedure.steps.all()
        ],
    )
    return row


def export_queryset(queryset=None):
    queryset = queryset if queryset is not None else Procedure.objects.all()
    return queryset.select_related("field").prefetch_related("documents", "steps", "units").order_by("code")


def export_rows(queryset=None) -> list[dict]:
    return [procedure_to_row(p) for p in export_queryset(queryset)]


def export_json(queryset=None) -> str:
    return write_json(export_rows(queryset))


def export_csv(queryset=None) -> str:
    """CSV with formula-looking cells neutralised (see procedures.documents.catalogue_file)."""
    return write_csv(export_rows(queryset))
