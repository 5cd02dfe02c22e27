"""Import and export of the catalogue as CSV or JSON: the same columns in both, all or nothing.

One row is one procedure. Rows are matched by `code`, so importing the same file twice changes
nothing (unchanged rows are not even re-saved, so the history shows only real changes). Procedures
missing from the file are left alone. Every row is validated before anything is written; if any
row has an error, nothing is imported and every error is reported with its row and column.

CSV layout (UTF-8, with or without BOM; a spreadsheet's row numbers are the ones reported):
- `units`: unit codes separated by `;` (empty = offered by every ward and commune);
- `documents`: one document per line, `name | form | count | note | name_en | note_en | template`;
- `steps`: one step per line, `description | responsible | minutes | description_en | responsible_en`;
- booleans `true` / `false`, empty cells for no value, `deadline_cutoff` as `15:00`.
JSON: `{"format": "mot-cua-catalogue", "version": 1, "procedures": [row, …]}` (or a bare list), with
lists for `units`, `documents` and `steps` and native numbers / booleans / null.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from portal.units.models import Unit
from procedures.forms.catalogue import DocumentRowForm, ProcedureRowForm, StepRowForm
from procedures.models import Field, Procedure
from procedures.services.catalogue import field_save, procedure_errors, procedure_save, step_allotment_error

FORMAT_NAME = "mot-cua-catalogue"
FORMAT_VERSION = 1
SHIPPED_CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "procedures.json"

SCALAR_COLUMNS = [
    "code",
    "name",
    "name_en",
    "field",
    "field_name",
    "field_name_en",
    "legal_basis",
    "applicant",
    "applicant_en",
    "implementing_level",
    "result",
    "result_en",
    "fee_kind",
    "fee_amount",
    "fee_description",
    "fee_description_en",
    "online_level",
    "deadline_amount",
    "deadline_unit",
    "deadline_cutoff",
    "no_wait",
    "no_wait_minutes",
    "is_active",
    "source_note",
]
COLUMNS = [*SCALAR_COLUMNS, "units", "documents", "steps"]
DOCUMENT_PARTS = ["name", "form", "count", "note", "name_en", "note_en", "template"]
STEP_PARTS = ["description", "responsible", "minutes", "description_en", "responsible_en"]
PROCEDURE_ATTRS = [c for c in SCALAR_COLUMNS if c not in ("field", "field_name", "field_name_en")]


@dataclass(frozen=True)
class RowError:
    """row: 1-based; in CSV the header is row 1 (as a spreadsheet numbers it), in JSON the first item is 1."""

    row: int | None
    field: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fields_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


@dataclass
class _Row:
    number: int
    values: dict
    cleaned: dict = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str | None, list[RowError]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            RowError(
                line,
                None,
                _("The file is not UTF-8 text (first bad byte on line %(line)s). Save it as “CSV UTF-8” or UTF-8 JSON.")
                % {"line": line},
            )
        ]


def _split_lines(cell: str, parts: list[str], column: str, number: int, errors: list[RowError]) -> list[dict]:
    items = []
    for index, line in enumerate(text for text in (cell or "").splitlines() if text.strip()):
        values = [v.strip() for v in line.split("|")]
        if len(values) > len(parts):
            errors.append(
                RowError(
                    number,
                    f"{column}[{index + 1}]",
                    _("too many parts: at most %(n)s separated by “|” (%(parts)s).")
                    % {"n": len(parts), "parts": " | ".join(parts)},
                )
            )
            continue
        items.append(dict(zip(parts, values, strict=False)))
    return items


def read_csv(text: str) -> tuple[list[_Row], list[RowError]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    errors = _check_columns(header, row=1)
    if errors:
        return [], errors
    rows = []
    for number, record in enumerate(reader, start=2):
        if None in record:
            errors.append(RowError(number, None, _("more cells than columns.")))
            continue
        if any(v is None for v in record.values()):
            errors.append(RowError(number, None, _("fewer cells than columns.")))
            continue
        if not any((v or "").strip() for v in record.values()):
            continue  # a blank line in a spreadsheet export
        values = {k: v.strip() if k not in ("documents", "steps") else v for k, v in record.items()}
        values["units"] = [u for u in re.split(r"[;,\s]+", values["units"]) if u]
        values["documents"] = _split_lines(record["documents"], DOCUMENT_PARTS, "documents", number, errors)
        values["steps"] = _split_lines(record["steps"], STEP_PARTS, "steps", number, errors)
        rows.append(_Row(number, values))
    return rows, errors


def read_json(text: str) -> tuple[list[_Row], list[RowError]]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [
            RowError(
                None,
                None,
                _("not valid JSON: %(error)s (line %(line)s, column %(col)s).")
                % {"error": exc.msg, "line": exc.lineno, "col": exc.colno},
            )
        ]
    if isinstance(payload, dict):
        if payload.get("format", FORMAT_NAME) != FORMAT_NAME:
            return [], [RowError(None, "format", _("expected “%(name)s”.") % {"name": FORMAT_NAME})]
        payload = payload.get("procedures")
    if not isinstance(payload, list):
        return [], [RowError(None, "procedures", _("expected a list of procedures."))]
    rows, errors = [], []
    for number, item in enumerate(payload, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(number, None, _("expected an object.")))
            continue
        row_errors = _check_columns(list(item), row=number)
        for name in ("documents", "steps", "units"):
            if name in item and not isinstance(item[name], list):
                row_errors.append(RowError(number, name, _("expected a list.")))
        for name in ("documents", "steps"):
            for index, child in enumerate(item.get(name) or [], start=1):
                if not isinstance(child, dict):
                    row_errors.append(RowError(number, f"{name}[{index}]", _("expected an object.")))
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(_Row(number, dict(item)))
    return rows, errors


def _check_columns(columns: list[str], *, row: int) -> list[RowError]:
    errors = []
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        errors.append(RowError(row, ", ".join(duplicated), _("duplicate column(s).")))
    missing = [c for c in COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in COLUMNS]
    if missing:
        errors.append(RowError(row, ", ".join(missing), _("missing column(s).")))
    if unknown:
        errors.append(RowError(row, ", ".join(unknown), _("unknown column(s).")))
    return errors


# --- validation ----------------------------------------------------------------------------------------


def _form_errors(form, number: int, prefix: str = "") -> list[RowError]:
    return [
        RowError(number, f"{prefix}{name}" if name != NON_FIELD_ERRORS else (prefix.rstrip(".") or None), message)
        for name, messages in form.errors.items()
        for message in messages
    ]


def _child_rows(row, key: str, form_class, parts: list[str], number: int) -> tuple[list, list[RowError]]:
    """Validate a row's documents or steps, each with its own form; errors name e.g. `steps[2].minutes`.

    Returns (position, cleaned data) for the valid items, so later checks can name the same position."""
    cleaned, errors = [], []
    for index, item in enumerate(row.values.get(key) or [], start=1):
        form = form_class(item)
        prefix = f"{key}[{index}]."
        errors += _form_errors(form, number, prefix)
        unknown = set(item) - set(parts)
        if unknown:
            errors.append(RowError(number, prefix + ", ".join(sorted(unknown)), _("unknown key(s).")))
        if form.is_valid():
            cleaned.append((index, dict(form.cleaned_data)))
    return cleaned, errors


def _validate(rows: list[_Row]) -> tuple[list[RowError], dict]:
    """Validate every row; returns the errors and the context the apply step needs."""
    errors: list[RowError] = []
    codes = [str(r.values.get("code", "")).strip() for r in rows]
    existing = {
        p.code: p
        for p in Procedure.objects.filter(code__in=codes)
        .select_related("field")
        .prefetch_related("documents", "steps", "units")
    }
    fields = {f.code: f for f in Field.objects.all()}
    unit_ids = dict(Unit.objects.values_list("code", "pk"))
    seen_codes: dict[str, int] = {}
    field_names: dict[str, tuple[int, str, str]] = {}

    for row in rows:
        number = row.number
        form = ProcedureRowForm({k: row.values.get(k) for k in SCALAR_COLUMNS})
        row_errors = _form_errors(form, number)
        cleaned = form.cleaned_data if form.is_valid() else {}
        code = form.cleaned_data.get("code")
        if code:
            if code in seen_codes:
                row_errors.append(
                    RowError(
                        number,
                        "code",
                        _("duplicate code %(code)s (also on row %(row)s).") % {"code": code, "row": seen_codes[code]},
                    )
                )
            seen_codes.setdefault(code, number)

        field_code = form.cleaned_data.get("field")
        if field_code:
            name, name_en = form.cleaned_data.get("field_name", ""), form.cleaned_data.get("field_name_en", "")
            if field_code not in fields and not name:
                row_errors.append(
                    RowError(
                        number, "field_name", _("required to create the new field “%(code)s”.") % {"code": field_code}
                    )
                )
            if name and field_code in field_names and field_names[field_code][1:] != (name, name_en):
                row_errors.append(
                    RowError(
                        number,
                        "field_name",
                        _("differs from row %(row)s for the same field “%(code)s”.")
                        % {"row": field_names[field_code][0], "code": field_code},
                    )
                )
            elif name:
                field_names.setdefault(field_code, (number, name, name_en))

        unknown_units = [u for u in row.values.get("units") or [] if str(u) not in unit_ids]
        if unknown_units:
            row_errors.append(
                RowError(
                    number,
                    "units",
                    _("unknown unit code(s): %(codes)s.") % {"codes": ", ".join(map(str, unknown_units))},
                )
            )

        documents, doc_errors = _child_rows(row, "documents", DocumentRowForm, DOCUMENT_PARTS, number)
        row_errors += doc_errors
        for index, doc in documents:
            if doc["template"] and not default_storage.exists(doc["template"]):
                row_errors.append(
                    RowError(
                        number,
                        f"documents[{index}].template",
                        _("no uploaded file named “%(name)s”.") % {"name": doc["template"]},
                    )
                )
        steps, step_errors = _child_rows(row, "steps", StepRowForm, STEP_PARTS, number)
        row_errors += step_errors
        documents = [doc for _index, doc in documents]
        steps = [
            {**{k: v for k, v in step.items() if k != "minutes"}, "allotment_minutes": step["minutes"]}
            for _index, step in steps
        ]

        if cleaned:
            procedure = _procedure_from(cleaned, existing.get(cleaned["code"]))
            for name, messages in procedure_errors(procedure, exclude=["field"]).items():
                for message in messages:
                    row_errors.append(RowError(number, None if name == NON_FIELD_ERRORS else name, message))
            if not any(e.field and e.field.startswith("steps") for e in row_errors):
                message = step_allotment_error(procedure, [s["allotment_minutes"] for s in steps])
                if message:
                    row_errors.append(RowError(number, "steps", message))
            row.cleaned = {
                **cleaned,
                "documents": documents,
                "steps": steps,
                "unit_ids": sorted(unit_ids[str(u)] for u in row.values.get("units") or [] if str(u) in unit_ids),
                "units": sorted({str(u) for u in row.values.get("units") or []}),
            }
        errors += row_errors
    return errors, {"existing": existing, "fields": fields, "field_names": field_names}


def _procedure_from(cleaned: dict, existing: Procedure | None) -> Procedure:
    procedure = Procedure(pk=existing.pk) if existing else Procedure()
    for attr in PROCEDURE_ATTRS:
        setattr(procedure, attr, cleaned[attr])
    return procedure


# --- writing -------------------------------------------------------------------------------------------


def _canonical_incoming(cleaned: dict) -> dict:
    row = {attr: cleaned.get(attr) for attr in PROCEDURE_ATTRS}
    row["deadline_cutoff"] = cleaned["deadline_cutoff"].strftime("%H:%M") if cleaned.get("deadline_cutoff") else None
    row.update(
        field=cleaned["field"],
        units=cleaned["units"],
        documents=[{k: d[k] for k in DOCUMENT_PARTS} for d in cleaned["documents"]],
        steps=[
            {
                "description": s["description"],
                "responsible": s["responsible"],
                "minutes": s["allotment_minutes"],
                "description_en": s.get("description_en", ""),
                "responsible_en": s.get("responsible_en", ""),
            }
            for s in cleaned["steps"]
        ],
    )
    for key in ("fee_amount", "no_wait_minutes"):
        row[key] = cleaned.get(key)
    return row


def _canonical_existing(procedure: Procedure) -> dict:
    row = procedure_to_row(procedure)
    for key in ("field_name", "field_name_en"):
        row.pop(key)
    return row


def import_catalogue(data: bytes, *, fmt: str, user=None, dry_run: bool = False, reason: str = "") -> ImportReport:
    """Validate every row, then (unless dry_run) write them all in one transaction, or none."""
    report = ImportReport(dry_run=dry_run)
    text, report.errors = _decode(data)
    if text is None:
        return report
    if fmt not in ("csv", "json"):
        report.errors.append(RowError(None, None, _("unknown format “%(fmt)s”: use csv or json.") % {"fmt": fmt}))
        return report
    rows, report.errors = read_csv(text) if fmt == "csv" else read_json(text)
    if report.errors:
        return report
    if not rows:
        report.errors.append(RowError(None, None, _("the file holds no procedures.")))
        return report
    errors, context = _validate(rows)
    if errors:
        report.errors = errors
        return report
    if dry_run:
        _classify(rows, context, report)
        return report
    try:
        with transaction.atomic():
            _apply(rows, context, report, user=user, reason=reason)
    except ValidationError as exc:
        report.created, report.updated, report.unchanged, report.fields_created = [], [], [], []
        report.errors.append(RowError(getattr(exc, "row", None), None, "; ".join(exc.messages)))
    except DatabaseError as exc:
        report.created, report.updated, report.unchanged, report.fields_created = [], [], [], []
        report.errors.append(RowError(None, None, _("the database refused the import: %(error)s") % {"error": exc}))
    return report


def _classify(rows: list[_Row], context: dict, report: ImportReport) -> None:
    for row in rows:
        existing = context["existing"].get(row.cleaned["code"])
        if existing is None:
            report.created.append(row.cleaned["code"])
        elif _canonical_existing(existing) == _canonical_incoming(row.cleaned):
            report.unchanged.append(row.cleaned["code"])
        else:
            report.updated.append(row.cleaned["code"])
    report.fields_created = sorted(set(context["field_names"]) - set(context["fields"]))


def _apply(rows: list[_Row], context: dict, report: ImportReport, *, user, reason: str) -> None:
    fields: dict[str, Field] = context["fields"]
    for code, (_number, name, name_en) in context["field_names"].items():
        current = fields.get(code)
        if current is None:
            current = Field(code=code, name=name, name_en=name_en, position=len(fields) + 1)
            report.fields_created.append(code)
        elif (current.name, current.name_en) == (name, name_en):
            continue
        current.name, current.name_en = name, name_en
        fields[code] = field_save(field=current, user=user, reason=reason)
    for row in rows:
        cleaned = row.cleaned
        existing = context["existing"].get(cleaned["code"])
        if existing is not None and _canonical_existing(existing) == _canonical_incoming(cleaned):
            report.unchanged.append(cleaned["code"])
            continue
        procedure = existing or Procedure()
        for attr in PROCEDURE_ATTRS:
            setattr(procedure, attr, cleaned[attr])
        procedure.field = fields[cleaned["field"]]
        try:
            procedure_save(
                procedure=procedure,
                documents=cleaned["documents"],
                steps=cleaned["steps"],
                unit_ids=cleaned["unit_ids"],
                user=user,
                reason=reason,
                validated=True,  # by _validate
            )
        except ValidationError as exc:
            exc.row = row.number
            raise
        (report.updated if existing else report.created).append(cleaned["code"])


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


# --- export --------------------------------------------------------------------------------------------


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


def export_json(queryset=None) -> str:
    rows = [procedure_to_row(p) for p in export_queryset(queryset)]
    payload = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "procedures": [{c: r[c] for c in COLUMNS} for r in rows],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_csv(queryset=None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for procedure in export_queryset(queryset):
        row = procedure_to_row(procedure)
        row["units"] = "; ".join(row["units"])
        row["documents"] = "\n".join(_line(d, DOCUMENT_PARTS) for d in row["documents"])
        row["steps"] = "\n".join(_line(s, STEP_PARTS) for s in row["steps"])
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    return buffer.getvalue()


def _line(item: dict, parts: list[str]) -> str:
    values = [_cell(item.get(p)) for p in parts]
    while values and values[-1] == "":
        values.pop()  # trailing empty parts may be omitted
    return " | ".join(values)
