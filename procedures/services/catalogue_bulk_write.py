"""Writing a validated import plan with bulk statements, history included: a few queries per batch.

The rows were validated by `catalogue_import_checks` with the model's own rules; here they are written
as `procedure_save` would write them (search column, documents and steps paired by position so an
unchanged document keeps its history and template, units), but with bulk INSERT / UPDATE / DELETE and
history rows created in bulk (django-simple-history's `bulk_history_create`, plus the units snapshot
each historical procedure carries and '-' rows for removed children). One history row per changed
object, with the importing user and the reason. The PostgreSQL step-allotment trigger still checks at
commit.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from procedures.models import Field, Procedure, ProcessStep, RequiredDocument
from procedures.models.catalogue import FIELD_COUNTS_CACHE_KEY
from procedures.selectors.catalogue_export import PROCEDURE_ATTRS
from procedures.services.catalogue import DOCUMENT_FIELDS, STEP_FIELDS, field_save

BATCH = 1000
PROCEDURE_UPDATE_FIELDS = [*PROCEDURE_ATTRS, "field", "search_text", "updated_at"]


def write_plan(plan, changed: list, *, user, reason: str) -> list[str]:
    """Write fields, then the changed rows (cleaned dicts); returns the codes of the fields created."""
    fields_created = _write_fields(plan, user=user, reason=reason)
    now = timezone.now()
    created, updated = [], []
    for cleaned in changed:
        existing = plan.existing.get(cleaned["code"])
        procedure = existing or Procedure()
        for attr in PROCEDURE_ATTRS:
            setattr(procedure, attr, cleaned[attr])
        procedure.field = plan.fields[cleaned["field"]]
        procedure.search_text = procedure.build_search_text(procedure.field)
        procedure.updated_at = now
        (updated if existing else created).append((procedure, cleaned, existing is not None))
    Procedure.objects.bulk_create([p for p, _c, _u in created], batch_size=BATCH)
    bulk_update([p for p, _c, _u in updated], PROCEDURE_UPDATE_FIELDS)
    written = created + updated
    through_rows = _write_units(written, plan)
    history = _history_rows(Procedure, [p for p, _c, _u in created], "+", user, reason, now)
    history += _history_rows(Procedure, [p for p, _c, _u in updated], "~", user, reason, now)
    history = Procedure.history.model.objects.bulk_create(history, batch_size=BATCH)
    _write_units_history(history, through_rows)
    _write_children(written, RequiredDocument, "documents", DOCUMENT_FIELDS, user=user, reason=reason, now=now)
    _write_children(written, ProcessStep, "steps", STEP_FIELDS, user=user, reason=reason, now=now)
    cache.delete(FIELD_COUNTS_CACHE_KEY)  # bulk statements send no signals
    return fields_created


def _write_fields(plan, *, user, reason: str) -> list[str]:
    created = []
    for code, (_number, name, name_en) in plan.field_names.items():
        current = plan.fields.get(code)
        if current is None:
            current = Field(code=code, position=len(plan.fields) + 1)
            created.append(code)
        elif (current.name, current.name_en) == (name, name_en):
            continue
        current.name, current.name_en = name, name_en
        plan.fields[code] = field_save(field=current, user=user, reason=reason)
    return created


def _write_units(written: list, plan) -> dict[int, list]:
    """Set each written procedure's units; returns {procedure id: its through rows} for the history."""
    through = Procedure.units.through
    changed_ids = [
        p.pk
        for p, cleaned, _u in written
        if (existing := plan.existing.get(cleaned["code"])) is None
        or {u.pk for u in existing.units.all()} != set(cleaned["unit_ids"])
    ]
    wanted = {p.pk: cleaned["unit_ids"] for p, cleaned, _u in written}
    through.objects.filter(procedure_id__in=changed_ids).delete()
    through.objects.bulk_create(
        [through(procedure_id=pk, unit_id=unit_id) for pk in changed_ids for unit_id in wanted[pk]], batch_size=BATCH
    )
    rows: dict[int, list] = {pk: [] for pk in wanted}
    for row in through.objects.filter(procedure_id__in=list(wanted)):
        rows[row.procedure_id].append(row)
    return rows


def _write_units_history(history: list, through_rows: dict[int, list]) -> None:
    """Each historical procedure carries a snapshot of its units (simple-history's m2m_fields)."""
    snapshot = Procedure.history.model._meta.get_field("historicalprocedure_units").related_model
    snapshot.objects.bulk_create(
        [
            snapshot(history_id=h.pk, id=row.pk, procedure_id=row.procedure_id, unit_id=row.unit_id)
            for h in history
            for row in through_rows.get(h.id, [])
        ],
        batch_size=BATCH,
    )


def _write_children(written: list, model, key: str, names, *, user, reason: str, now) -> None:
    """Make each procedure's documents / steps equal the file's, pairing by position (like procedure_save)."""
    to_create, to_update, to_delete = [], [], []
    for procedure, cleaned, is_update in written:
        # Existing procedures come from the plan with their children prefetched; new ones have none.
        current = list(getattr(procedure, key).all()) if is_update else []
        for position, values in enumerate(cleaned[key], start=1):
            values = {name: values[name] for name in names if name in values} | {"position": position}
            if position <= len(current):
                obj = current[position - 1]
                if all(_same(getattr(obj, k), v) for k, v in values.items()):
                    continue
                for name, value in values.items():
                    setattr(obj, name, value)
                to_update.append(obj)
            else:
                to_create.append(model(procedure_id=procedure.pk, **values))
        to_delete += current[len(cleaned[key]) :]
    model.objects.bulk_create(to_create, batch_size=BATCH)
    bulk_update(to_update, [*names, "position"])
    if to_delete:
        # A plain DELETE: QuerySet.delete() would send post_delete per row and simple-history would write a
        # second '-' row, without the user and reason (ours are written below, in bulk).
        model.objects.filter(pk__in=[obj.pk for obj in to_delete])._raw_delete(model.objects.db)
    history = _history_rows(model, to_create, "+", user, reason, now)
    history += _history_rows(model, to_update, "~", user, reason, now)
    history += _history_rows(model, to_delete, "-", user, reason, now)
    model.history.model.objects.bulk_create(history, batch_size=BATCH)


def _same(current, value) -> bool:
    return (current.name or "") == value if hasattr(current, "storage") else current == value


def _history_rows(model, objs: list, history_type: str, user, reason: str, now) -> list:
    """What simple-history's bulk_history_create builds, for any history type ('-' included)."""
    history_model = model.history.model
    if user is None and objs:
        user = history_model.get_default_history_user(objs[0])  # the request's user in the admin
    return [
        history_model(
            history_date=now,
            history_user=user,
            history_change_reason=reason or None,
            history_type=history_type,
            **{f.attname: getattr(obj, f.attname) for f in history_model.tracked_fields},
        )
        for obj in objs
    ]


def bulk_update(objs: list, names: list[str]) -> None:
    """UPDATE … FROM (VALUES …) on PostgreSQL: Django's bulk_update builds a CASE per field and object,
    which cost seconds for a few hundred procedures. Other databases (SQLite for `make run`) use it."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, names, batch_size=BATCH)
        return
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = [pk, *fields]
    row = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in columns) + ")"
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
    aliases = ", ".join(quote(f.column) for f in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            batch = objs[start : start + BATCH]
            params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in batch for f in columns]
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM (VALUES {', '.join([row] * len(batch))}) "  # noqa: S608 (names from the model)
                f"AS v({aliases}) WHERE t.{quote(pk.column)} = v.{quote(pk.column)}",
                params,
            )
