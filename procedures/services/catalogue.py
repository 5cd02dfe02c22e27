"""Writes to the procedure catalogue: validate, save, keep the search column current, version.

Every write path (admin, importer, demo data) goes through here so the folded search column and the
step-allotment rule can never be skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from procedures.models import Field, Procedure, ProcessStep, RequiredDocument
from procedures.models.catalogue import minutes_text

# Which input a violated constraint is about, so importers and forms can name the field.
CONSTRAINT_FIELDS = {
    "procedure_deadline_positive": "deadline_amount",
    "procedure_same_day_has_cutoff": "deadline_cutoff",
    "procedure_no_wait_has_minutes": "no_wait_minutes",
    "procedure_no_wait_shorter_than_deadline": "no_wait_minutes",
    "procedure_fee_amount_matches_kind": "fee_amount",
    "procedure_varying_fee_described": "fee_description",
    "procedure_code_charset": "code",
}

DOCUMENT_FIELDS = ("name", "name_en", "form", "count", "note", "note_en", "template")
STEP_FIELDS = ("description", "description_en", "responsible", "responsible_en", "allotment_minutes")


def step_allotment_error(procedure: Procedure, minutes: Iterable[int]) -> str | None:
    """Why these step allotments do not fit the procedure's statutory deadline, or None if they do."""
    total = sum(minutes)
    if total <= procedure.deadline_minutes:
        return None
    return _(
        "The process steps add up to %(total)s, more than the statutory deadline of %(deadline)s "
        "(%(minutes)s working minutes)."
    ) % {"total": minutes_text(total), "deadline": procedure.deadline_text, "minutes": procedure.deadline_minutes}


def procedure_errors(procedure: Procedure, *, exclude: Sequence[str] = ()) -> dict[str, list[str]]:
    """Field and constraint errors of an unsaved procedure, keyed by the field they are about.

    Uniqueness of the code is left to the caller: the importer updates by code on purpose.
    """
    errors: dict[str, list[str]] = {}
    try:
        procedure.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    for constraint in Procedure._meta.constraints:
        target = CONSTRAINT_FIELDS.get(constraint.name, NON_FIELD_ERRORS)
        if target in errors:
            continue  # the field itself is already wrong; one message is enough
        try:
            constraint.validate(Procedure, procedure)
        except ValidationError as exc:
            errors.setdefault(target, []).extend(exc.messages)
    return errors


def _remember(instance, *, user=None, reason: str = "") -> None:
    """Attach who and why to the next history row (the request middleware covers web requests)."""
    if user is not None:
        instance._history_user = user
    if reason:
        instance._change_reason = reason


def _sync_children(procedure, manager, model, rows: Sequence[dict], fields: Sequence[str], *, user, reason) -> bool:
    """Make the procedure's documents or steps equal `rows`, pairing by position.

    Rows are updated in place rather than deleted and recreated, so an unchanged document keeps its
    history (and its uploaded template) and the change log shows only real edits. Returns whether
    anything changed.
    """
    existing = list(manager.all())
    changed = False
    for position, row in enumerate(rows, start=1):
        obj = existing[position - 1] if position <= len(existing) else model(procedure=procedure)
        values = {name: row[name] for name in fields if name in row}
        values["position"] = position
        if obj.pk and all(getattr(obj, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(obj, name, value)
        # Field validation only: the children's CHECKs (positive count / minutes) are enforced by the
        # database, and a query per child per constraint would dominate large imports.
        obj.full_clean(exclude=["procedure"], validate_constraints=False)
        _remember(obj, user=user, reason=reason)
        obj.save()
        changed = True
    for obj in existing[len(rows) :]:
        _remember(obj, user=user, reason=reason)
        obj.delete()
        changed = True
    return changed


@transaction.atomic
def procedure_save(
    *,
    procedure: Procedure,
    documents: Sequence[dict] | None = None,
    steps: Sequence[dict] | None = None,
    unit_ids: Iterable[int] | None = None,
    user=None,
    reason: str = "",
    validated: bool = False,
) -> Procedure:
    """Validate and save a procedure with (optionally) its documents, steps and offering units.

    `documents` / `steps` are lists of dicts with the model's field names; None leaves them as they
    are. Raises ValidationError naming the field at fault. `validated=True` is for callers that have
    already validated the procedure and its steps together (the admin's form and inline formset,
    where steps are saved after the procedure).
    """
    if not validated:
        errors = procedure_errors(procedure)
        if errors:
            raise ValidationError(errors)
        minutes = (
            [s["allotment_minutes"] for s in steps]
            if steps is not None
            else ([] if procedure.pk is None else list(procedure.steps.values_list("allotment_minutes", flat=True)))
        )
        message = step_allotment_error(procedure, minutes)
        if message:
            raise ValidationError({"steps": [message]})
    procedure.search_text = procedure.build_search_text()
    _remember(procedure, user=user, reason=reason)
    procedure.save()
    if documents is not None:
        _sync_children(
            procedure, procedure.documents, RequiredDocument, documents, DOCUMENT_FIELDS, user=user, reason=reason
        )
    if steps is not None:
        _sync_children(procedure, procedure.steps, ProcessStep, steps, STEP_FIELDS, user=user, reason=reason)
    if unit_ids is not None:
        wanted = set(unit_ids)
        if wanted != set(procedure.units.values_list("pk", flat=True)):
            _remember(procedure, user=user, reason=reason)
            procedure.units.set(wanted)
    return procedure


def procedure_check_steps(procedure: Procedure) -> None:
    """Re-check the saved steps against the deadline (admin saves the inline formsets after the parent)."""
    message = step_allotment_error(procedure, procedure.steps.values_list("allotment_minutes", flat=True))
    if message:
        raise ValidationError({"steps": [message]})


def procedure_refresh_search_text(procedure: Procedure) -> None:
    """Recompute the folded search column without creating a history row (it is derived data)."""
    text = procedure.build_search_text()
    if text != procedure.search_text:
        procedure.search_text = text
        Procedure.objects.filter(pk=procedure.pk).update(search_text=text)


@transaction.atomic
def field_save(*, field: Field, user=None, reason: str = "") -> Field:
    """Save a field (lĩnh vực); its name is part of every procedure's search text, so refresh those."""
    field.full_clean()
    _remember(field, user=user, reason=reason)
    field.save()
    changed = []
    for procedure in Procedure.objects.filter(field=field).select_related("field"):
        text = procedure.build_search_text(field)
        if text != procedure.search_text:
            procedure.search_text = text
            changed.append(procedure)
    Procedure.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return field
