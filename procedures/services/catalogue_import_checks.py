"""Set-wise validation of an import file: a handful of queries per file, whatever its length.

Everything a row is checked against is loaded once (procedures with their documents, steps and units,
fields, unit codes) and the rules are the model's own, run in Python: field validators and
`Procedure.clean` through `full_clean`, the CheckConstraints through `check_constraints` (no query per
constraint), the step-allotment rule of `services.catalogue`. Dry run and real import run exactly this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from portal.units.models import Unit
from procedures.documents.catalogue_file import (
    DOCUMENT_PARTS,
    SCALAR_COLUMNS,
    STEP_PARTS,
    RawRow,
    RowError,
)
from procedures.forms.catalogue import DocumentRowForm, ProcedureRowForm, StepRowForm
from procedures.models import Field, Procedure, ProcessStep, RequiredDocument
from procedures.selectors.catalogue_export import PROCEDURE_ATTRS
from procedures.services.catalogue import CONSTRAINT_FIELDS, DOCUMENT_FIELDS, STEP_FIELDS, step_allotment_error
from procedures.services.check_constraints import constraint_errors

PROGRESS_EVERY = 500


@dataclass
class ImportPlan:
    """What the write step needs, loaded once by `validate_rows`."""

    rows: list[RawRow]
    existing: dict[str, Procedure] = field(default_factory=dict)
    fields: dict[str, Field] = field(default_factory=dict)
    field_names: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    unit_ids: dict[str, int] = field(default_factory=dict)


class _ReusedForm:
    """One bound form reused for every row: constructing a form deep-copies its fields, which cost more
    than validating the row. Each call re-binds the data and runs the form's full validation."""

    def __init__(self, form_class):
        self.form = form_class()
        self.form.is_bound = True

    def __call__(self, data: dict):
        self.form.data = data
        self.form._errors = None  # makes `errors` / `is_valid()` run full_clean() on the new data
        return self.form


def validate_rows(rows: list[RawRow], *, progress: Callable[[int], None] | None = None):
    """Validate every row; returns (errors, plan). Fills each valid row's `cleaned`."""
    codes = list({str(r.values.get("code", "")).strip() for r in rows})
    plan = ImportPlan(
        rows=rows,
        existing={
            p.code: p
            for p in Procedure.objects.filter(code__in=codes)
            .select_related("field")
            .prefetch_related("documents", "steps", "units")
        },
        fields={f.code: f for f in Field.objects.all()},
        unit_ids=dict(Unit.objects.values_list("code", "pk")),
    )
    seen_codes: dict[str, int] = {}
    errors: list[RowError] = []
    forms = {cls: _ReusedForm(cls) for cls in (ProcedureRowForm, DocumentRowForm, StepRowForm)}
    for index, row in enumerate(rows, start=1):
        errors += _row_errors(row, plan, seen_codes, forms)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)
    if progress:
        progress(len(rows))
    return errors, plan


def _row_errors(row: RawRow, plan: ImportPlan, seen_codes: dict[str, int], forms: dict) -> list[RowError]:
    number = row.number
    form = forms[ProcedureRowForm]({k: row.values.get(k) for k in SCALAR_COLUMNS})
    errors = _form_errors(form, number)
    cleaned = dict(form.cleaned_data) if form.is_valid() else {}
    code = form.cleaned_data.get("code")
    if code:
        if code in seen_codes:
            errors.append(
                RowError(
                    number,
                    "code",
                    _("duplicate code %(code)s (also on row %(row)s).") % {"code": code, "row": seen_codes[code]},
                )
            )
        seen_codes.setdefault(code, number)
    errors += _field_errors(dict(form.cleaned_data), plan, number)

    units = [str(u) for u in row.values.get("units") or []]
    unknown_units = [u for u in units if u not in plan.unit_ids]
    if unknown_units:
        errors.append(
            RowError(number, "units", _("unknown unit code(s): %(codes)s.") % {"codes": ", ".join(unknown_units[:20])})
        )

    existing = plan.existing.get(code) if code else None
    documents, doc_errors = _children(row, "documents", forms[DocumentRowForm], DOCUMENT_PARTS, number, _document)
    steps, step_errors = _children(row, "steps", forms[StepRowForm], STEP_PARTS, number, _step)
    errors += doc_errors + step_errors
    errors += _template_errors(documents, existing, number)

    if cleaned:
        procedure = _procedure_from(cleaned, existing)
        errors += _procedure_errors(procedure, number)
        if not any(e.field and e.field.startswith("steps") for e in errors):
            message = step_allotment_error(procedure, [s["allotment_minutes"] for _i, s in steps])
            if message:
                errors.append(RowError(number, "steps", message))
        row.cleaned = {
            **cleaned,
            "documents": [doc for _i, doc in documents],
            "steps": [step for _i, step in steps],
            "unit_ids": sorted({plan.unit_ids[u] for u in units if u in plan.unit_ids}),
            "units": sorted(set(units)),
        }
    return errors


def _field_errors(cleaned: dict, plan: ImportPlan, number: int) -> list[RowError]:
    """A new field needs a name, and every row naming a field must name it alike."""
    field_code = cleaned.get("field")
    if not field_code:
        return []
    name, name_en = cleaned.get("field_name", ""), cleaned.get("field_name_en", "")
    if field_code not in plan.fields and not name:
        return [
            RowError(number, "field_name", _("required to create the new field “%(code)s”.") % {"code": field_code})
        ]
    if name and field_code in plan.field_names and plan.field_names[field_code][1:] != (name, name_en):
        return [
            RowError(
                number,
                "field_name",
                _("differs from row %(row)s for the same field “%(code)s”.")
                % {"row": plan.field_names[field_code][0], "code": field_code},
            )
        ]
    if name:
        plan.field_names.setdefault(field_code, (number, name, name_en))
    return []


def _form_errors(form, number: int, prefix: str = "") -> list[RowError]:
    return [
        RowError(number, f"{prefix}{name}" if name != NON_FIELD_ERRORS else (prefix.rstrip(".") or None), message)
        for name, messages in form.errors.items()
        for message in messages
    ]


def _document(values: dict) -> RequiredDocument:
    return RequiredDocument(**{k: values[k] for k in DOCUMENT_PARTS})


def _step(values: dict) -> ProcessStep:
    return ProcessStep(
        description=values["description"],
        description_en=values.get("description_en", ""),
        responsible=values["responsible"],
        responsible_en=values.get("responsible_en", ""),
        allotment_minutes=values["minutes"],
    )


_INTEGER_FIELDS = {
    RequiredDocument: [RequiredDocument._meta.get_field("count")],
    ProcessStep: [ProcessStep._meta.get_field("allotment_minutes")],
}
# The model field each file key is checked by (the file says `minutes`, the model `allotment_minutes`).
_FILE_KEY = {"allotment_minutes": "minutes"}


def _children(row: RawRow, key: str, bind, parts: list[str], number: int, build) -> tuple[list, list[RowError]]:
    """Validate a row's documents or steps with the row form, the model's integer ranges and CHECK rules.

    Returns (position, model-named values) for the valid items; errors name e.g. `steps[2].minutes`."""
    cleaned, errors = [], []
    for index, item in enumerate(row.values.get(key) or [], start=1):
        prefix = f"{key}[{index}]."
        form = bind(item)
        item_errors = _form_errors(form, number, prefix)
        unknown = set(item) - set(parts)
        if unknown:
            item_errors.append(RowError(number, prefix + ", ".join(sorted(unknown))[:200], _("unknown key(s).")))
        if form.is_valid():
            obj = build(form.cleaned_data)
            # The row form mirrors the model's fields; what it cannot know is the database's integer range.
            for model_field in _INTEGER_FIELDS[type(obj)]:
                try:
                    model_field.run_validators(getattr(obj, model_field.attname))
                except ValidationError as exc:
                    name = _FILE_KEY.get(model_field.name, model_field.name)
                    item_errors += [RowError(number, prefix + name, message) for message in exc.messages]
            for messages in constraint_errors(obj).values():
                item_errors += [RowError(number, key, message) for message in messages]
            if not item_errors:
                cleaned.append((index, _values(obj)))
        errors += item_errors
    return cleaned, errors


def _values(obj) -> dict:
    if isinstance(obj, RequiredDocument):
        return {**{k: getattr(obj, k) for k in DOCUMENT_FIELDS if k != "template"}, "template": obj.template.name or ""}
    return {k: getattr(obj, k) for k in STEP_FIELDS}


def _template_errors(documents: list, existing: Procedure | None, number: int) -> list[RowError]:
    """A template is never named by path: uploads come through the admin into the templates folder.

    An import may keep a template this procedure already has (the export writes it, so round trips
    hold) or drop it (empty); naming any other file (another procedure's template, someone's upload,
    a path with `..`) is refused, so a file can never be published by naming it.
    """
    own = {d.template.name for d in existing.documents.all() if d.template} if existing else set()
    errors = []
    for index, doc in documents:
        name = str(doc["template"] or "")
        if name and name not in own:
            errors.append(
                RowError(
                    number,
                    f"documents[{index}].template",
                    _(
                        "“%(name)s” is not a template of this procedure. Upload templates in the admin; "
                        "an import may only keep a procedure's own template or leave the cell empty."
                    )
                    % {"name": name[:100]},
                )
            )
    return errors


def _procedure_from(cleaned: dict, existing: Procedure | None) -> Procedure:
    procedure = Procedure(pk=existing.pk) if existing else Procedure()
    for attr in PROCEDURE_ATTRS:
        setattr(procedure, attr, cleaned[attr])
    return procedure


def _procedure_errors(procedure: Procedure, number: int) -> list[RowError]:
    """services.catalogue.procedure_errors without its query per constraint: the same rules, in Python."""
    errors: dict[str, list[str]] = {}
    try:
        procedure.full_clean(exclude=["field"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    for constraint, messages in constraint_errors(procedure).items():
        target = CONSTRAINT_FIELDS.get(constraint, NON_FIELD_ERRORS)
        if target not in errors:  # the field itself is already wrong; one message is enough
            errors.setdefault(target, []).extend(messages)
    return [
        RowError(number, None if name == NON_FIELD_ERRORS else name, message)
        for name, messages in errors.items()
        for message in messages
    ]
