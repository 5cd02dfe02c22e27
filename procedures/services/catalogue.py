"""Writes to the procedure catalogue: validate, save, keep the search column current, version.

Every write path (admin, importer, demo data) goes through here so the folded search column and the
step-allotment rule can never be skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from procedures.models import FeeKind, Field, Procedure, ProcessStep, RequiredDocument, UnitProcedure
from procedures.models.catalogue import minutes_text
from procedures.permissions import (
    can_delete_catalogue_entry,
    can_edit_catalogue,
    can_set_unit_fee,
    can_set_unit_offer,
)

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


def _check_editor(user) -> None:
    """The shared catalogue changes only by a catalogue editor's hand (None: the importer's shell, demo data)."""
    if user is not None and not can_edit_catalogue(user):
        raise PermissionDenied(_("Only a catalogue editor may change the procedure catalogue."))


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


def _check_template_not_a_path(document, template) -> None:
    """A template arrives as an uploaded file; a name may only keep the document's own file or clear it, so no
    caller can publish another upload (someone's dossier file) by naming its path."""
    if isinstance(template, str) and template and template != (document.template.name if document.pk else ""):
        raise ValidationError(
            {"documents": [_("A template is uploaded, never named by its path: “%(name)s”.") % {"name": template}]}
        )


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
        _check_template_not_a_path(obj, values.get("template"))
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
    steps_checked_later: bool = False,
) -> Procedure:
    """Validate and save a procedure with (optionally) its documents, steps and offering units.

    `documents` / `steps` are lists of dicts with the model's field names; None leaves them as they
    are. Raises ValidationError naming the field at fault. `validated=True` is for callers that have
    already validated the procedure and its steps together with these functions (the importer).
    `steps_checked_later=True` validates the procedure but
    leaves the steps-vs-deadline check to procedure_children_save in the same transaction (the admin
    saves the parent row before its inline rows).
    """
    _check_editor(user)
    if not validated:
        errors = procedure_errors(procedure)
        if errors:
            raise ValidationError(errors)
    if not validated and not steps_checked_later:
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


@dataclass
class ChildChanges:
    """An edit of a procedure's documents or steps as the admin's inline formset makes it: rows by identity."""

    saved: list = dataclass_field(default_factory=list)  # new or changed instances
    deleted: list = dataclass_field(default_factory=list)


def _child_errors(procedure: Procedure, changes: ChildChanges, key: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for obj in changes.saved:
        obj.procedure = procedure
        try:
            obj.full_clean(exclude=["procedure"], validate_unique=False)
        except ValidationError as exc:
            label = str(obj._meta.verbose_name).capitalize()
            for messages in exc.message_dict.values():
                errors.setdefault(key, []).extend(f"{label} {obj.position}: {m}" for m in messages)
    return errors


@transaction.atomic
def procedure_children_save(
    *,
    procedure: Procedure,
    documents: ChildChanges | None = None,
    steps: ChildChanges | None = None,
    user=None,
    reason: str = "",
) -> None:
    """Validate and save edits of a saved procedure's documents and steps (the admin's inlines).

    The same checks as procedure_save: each row's fields and constraints, and the steps' allotments
    (the kept, changed and new ones together) against the statutory deadline. Nothing is written if any
    fails; the ValidationError is keyed "documents" / "steps".
    """
    _check_editor(user)
    errors: dict[str, list[str]] = {}
    if documents is not None:
        errors |= _child_errors(procedure, documents, "documents")
    if steps is not None:
        errors |= _child_errors(procedure, steps, "steps")
        minutes = dict(procedure.steps.values_list("pk", "allotment_minutes"))
        for obj in steps.deleted:
            minutes.pop(obj.pk, None)
        new = [obj.allotment_minutes for obj in steps.saved if obj.pk is None]
        minutes |= {obj.pk: obj.allotment_minutes for obj in steps.saved if obj.pk is not None}
        if "steps" not in errors:
            message = step_allotment_error(procedure, [*minutes.values(), *new])
            if message:
                errors["steps"] = [message]
    if errors:
        raise ValidationError(errors)
    for changes in (documents, steps):
        if changes is None:
            continue
        for obj in changes.deleted:
            _remember(obj, user=user, reason=reason)
            obj.delete()
        for obj in changes.saved:
            _remember(obj, user=user, reason=reason)
            obj.save()


@transaction.atomic
def procedure_delete(*, procedure: Procedure, user=None) -> None:
    """Delete a procedure entered by mistake (a superuser's act; the history keeps the rows).

    Procedures that were in use are deactivated instead (procedure_save with is_active=False).
    """
    if user is not None and not can_delete_catalogue_entry(user, procedure):
        raise PermissionDenied(_("Procedures are deactivated, not deleted; only a superuser deletes one."))
    _remember(procedure, user=user)
    procedure.delete()


def procedure_refresh_search_text(procedure: Procedure) -> None:
    """Recompute the folded search column without creating a history row (it is derived data)."""
    text = procedure.build_search_text()
    if text != procedure.search_text:
        procedure.search_text = text
        Procedure.objects.filter(pk=procedure.pk).update(search_text=text)


@transaction.atomic
def field_save(*, field: Field, user=None, reason: str = "") -> Field:
    """Save a field (lĩnh vực); its name is part of every procedure's search text, so refresh those."""
    _check_editor(user)
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


def field_delete(*, field: Field, user=None) -> None:
    """Delete a field entered by mistake (a superuser's act, as for procedures; the history keeps the row).
    A field that procedures still use cannot go: the database protects it, and the admin says so first."""
    if user is not None and not can_delete_catalogue_entry(user, field):
        raise PermissionDenied(_("Only a superuser deletes a field of the catalogue."))
    _remember(field, user=user)
    field.delete()


def unit_procedure_errors(row: UnitProcedure) -> dict[str, list[str]]:
    """Why a unit's choice for a procedure is invalid: a local fee only where the province sets the fee."""
    errors: dict[str, list[str]] = {}
    try:
        row.full_clean(validate_unique=False)
    except ValidationError as exc:
        errors |= exc.message_dict
    if row.procedure_id is not None and row.procedure.fee_kind != FeeKind.VARIES and row.has_local_fee:
        errors.setdefault("fee_amount", []).append(
            _("%(code)s has a statutory fee (%(fee)s): a unit cannot set its own.")
            % {"code": row.procedure.code, "fee": row.procedure.fee_summary}
        )
    duplicate = UnitProcedure.objects.filter(unit_id=row.unit_id, procedure_id=row.procedure_id).exclude(pk=row.pk)
    if row.unit_id and row.procedure_id and duplicate.exists():
        errors.setdefault(NON_FIELD_ERRORS, []).append(_("This unit already has a row for this procedure."))
    return errors


@transaction.atomic
def unit_procedure_save(*, row: UnitProcedure, user=None, reason: str = "") -> UnitProcedure:
    """Save a unit's choice (offered or not, local fee); only for the units the user keeps."""
    if user is not None:
        if not can_set_unit_offer(user, row.unit):
            raise PermissionDenied(_("You may change only the procedures of the units you manage."))
        if row.has_local_fee and not can_set_unit_fee(user, row.unit, row.procedure):
            raise ValidationError({"fee_amount": [_("Only a procedure whose fee varies takes a local fee.")]})
    errors = unit_procedure_errors(row)
    if errors:
        raise ValidationError(errors)
    _remember(row, user=user, reason=reason)
    row.save()
    return row


@transaction.atomic
def unit_procedure_delete(*, row: UnitProcedure, user=None, reason: str = "") -> None:
    """Forget a unit's choice: the procedure goes back to the catalogue's default for that unit."""
    if user is not None and not can_set_unit_offer(user, row.unit):
        raise PermissionDenied(_("You may change only the procedures of the units you manage."))
    _remember(row, user=user, reason=reason)
    row.delete()
