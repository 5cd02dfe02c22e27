"""Reads of the procedure catalogue, shaped for the public pages and the API (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from portal.units.calendar.domain.working_time import CalendarError
from portal.units.models import Unit
from procedures.catalogue_cache import CATALOGUE_CACHE_TTL, catalogue_cache_key
from procedures.domain.text import fold, search_terms
from procedures.models import FeeKind, Field, Procedure, ProcessStep, RequiredDocument, UnitProcedure
from procedures.models.catalogue import FIELD_COUNTS_CACHE_KEY, FIELD_COUNTS_TTL
from procedures.permissions import can_edit_catalogue, procedures_visible_to
from procedures.selectors.deadlines import procedure_due_at

# The columns a list shows (page and API); the long texts stay in the database.
LIST_COLUMNS = (
    "code",
    "name",
    "name_en",
    "no_wait",
    "no_wait_minutes",
    "deadline_amount",
    "deadline_unit",
    "deadline_cutoff",
    "fee_kind",
    "fee_amount",
    "fee_description",
    "fee_description_en",
    "online_level",
    "field__code",
    "field__name",
    "field__name_en",
    "field__position",
)


def catalogue_fields() -> list[Field]:
    """Fields with the number of active procedures in each, for browsing by field.

    Cached (one query when cold): every catalogue page shows it and it changes only when the
    catalogue does; saves and deletes drop the cache (procedures.models.catalogue).
    """
    fields = cache.get(FIELD_COUNTS_CACHE_KEY)
    if fields is None:
        fields = list(
            Field.objects.annotate(active_count=Count("procedures", filter=Q(procedures__is_active=True))).order_by(
                "position", "name"
            )
        )
        cache.set(FIELD_COUNTS_CACHE_KEY, fields, FIELD_COUNTS_TTL)
    return fields


def catalogue_search(
    *,
    search: str = "",
    field: str | None = None,
    no_wait: bool | None = None,
    online_level: str | None = None,
) -> QuerySet[Procedure]:
    """Active procedures matching every filter; `search` ignores diacritics and case.

    Every word of the query must occur in the folded search column (a substring match, so "khai"
    finds "khai sinh" and "khai tu"). With a query, exact codes come first, then names starting with
    the whole phrase, then names containing it; without one, the catalogue order (field, name).
    """
    qs = Procedure.objects.filter(is_active=True).select_related("field").only(*LIST_COLUMNS)
    terms = search_terms(search)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    if field:
        qs = qs.filter(field__code=field)
    if no_wait is not None:
        qs = qs.filter(no_wait=no_wait)
    if online_level:
        qs = qs.filter(online_level=online_level)
    if terms:
        phrase = fold(search)
        qs = qs.annotate(
            rank=Case(
                When(code=search.strip(), then=Value(0)),
                When(search_text__startswith=phrase, then=Value(1)),
                When(search_text__contains=phrase, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        ).order_by("rank", "name", "code")
    else:
        qs = qs.order_by(F("field__position").asc(nulls_last=True), "field__name", "name", "code")
    return qs


def procedure_for_detail(code: str, *, user=None, scope: str | None = None) -> Procedure:
    """A procedure `user` may see (procedures.permissions; anonymous: active ones) with everything its page
    shows. Raises Procedure.DoesNotExist, also for one outside the user's reach.

    Four queries when cold; for everyone but catalogue editors (who also see inactive procedures) it is
    then cached with its documents, steps, units and the portal unit's own fee under the catalogue's token
    (procedures/catalogue_cache.py), so a repeated visit reads it from the cache. `scope`: the request's
    catalogue_cache_scope(), when the caller already read it.
    """
    if can_edit_catalogue(user):
        return _load_procedure_for_detail(code, user)
    key = catalogue_cache_key("procedure", code, scope=scope)
    procedure = cache.get(key)
    if procedure is None:
        procedure = _load_procedure_for_detail(code, user)
        cache.set(key, procedure, CATALOGUE_CACHE_TTL)
    return procedure


def _load_procedure_for_detail(code: str, user) -> Procedure:
    return (
        procedures_visible_to(user)
        .select_related("field")
        .prefetch_related(
            Prefetch("documents", queryset=RequiredDocument.objects.order_by("position", "pk")),
            Prefetch("steps", queryset=ProcessStep.objects.order_by("position", "pk")),
            Prefetch("units", queryset=Unit.objects.only("code", "name").order_by("name")),
        )
        .annotate(**_local_fee_columns())
        .get(code=code)
    )


LOCAL_FEE_FIELDS = ("offered", "fee_amount", "fee_description", "fee_description_en", "unit__name")


def _local_fee_columns(unit_code: str | None = None) -> dict:
    """The portal's unit's own fee as columns of the procedure's row: the page pays no extra query."""
    choice = UnitProcedure.objects.filter(
        procedure=OuterRef("pk"), unit__code=unit_code or settings.DEFAULT_UNIT_CODE
    ).order_by()
    return {f"local_{name}": Subquery(choice.values(name)[:1]) for name in LOCAL_FEE_FIELDS}


def unit_declines(procedure: Procedure) -> str | None:
    """The name of the portal's unit when it has chosen not to receive this procedure, else None."""
    if getattr(procedure, "local_offered", None) is False:
        return procedure.local_unit__name
    return None


def unit_local_fee(procedure: Procedure) -> UnitProcedure | None:
    """The fee the portal's unit sets for a procedure whose fee the province leaves to it (fee "varies").

    Read from the columns procedure_for_detail adds; None for a statutory fee or when the unit sets none.
    """
    if procedure.fee_kind != FeeKind.VARIES or not hasattr(procedure, "local_unit__name"):
        return None
    row = UnitProcedure(
        procedure=procedure,
        unit=Unit(name=procedure.local_unit__name or ""),
        fee_amount=procedure.local_fee_amount,
        fee_description=procedure.local_fee_description or "",
        fee_description_en=procedure.local_fee_description_en or "",
    )
    return row if row.has_local_fee else None


def procedure_due_now(procedure: Procedure, *, now: datetime | None = None, unit: Unit | None = None):
    """'If you submit now, your result is due at …' from the working-time calendar; None if it cannot say."""
    try:
        return procedure_due_at(procedure, received_at=now or timezone.now(), unit=unit)
    except CalendarError:
        return None


def required_document(code: str, document_id: int, *, user=None) -> RequiredDocument:
    """A document with a downloadable template, of a procedure `user` may see. Raises DoesNotExist."""
    return (
        RequiredDocument.objects.select_related("procedure")
        .exclude(template="")
        .get(pk=document_id, procedure__code=code, procedure__in=procedures_visible_to(user))
    )


@dataclass
class ChangeLogEntry:
    when: datetime
    user: object
    kind: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    subject: str
    changes: list[tuple[str, object, object]]
    reason: str


def procedure_change_log(procedure: Procedure) -> list[ChangeLogEntry]:
    """Who changed what and when: the procedure, its documents and its steps, newest first."""
    entries: list[ChangeLogEntry] = []
    unit_codes: dict[int, str] = {}

    def shown(field_name: str, value):
        if field_name != "units" or not isinstance(value, list):
            return value
        if not unit_codes:
            unit_codes.update(Unit.objects.values_list("pk", "code"))
        return ", ".join(sorted(unit_codes.get(row.get("unit"), "?") for row in value)) or "—"

    sources = [
        (Procedure.history.filter(id=procedure.pk), lambda r: str(Procedure._meta.verbose_name).capitalize()),
        (
            RequiredDocument.history.filter(procedure_id=procedure.pk),
            lambda r: f"{str(RequiredDocument._meta.verbose_name).capitalize()} {r.position}: {r.name}",
        ),
        (
            ProcessStep.history.filter(procedure_id=procedure.pk),
            lambda r: f"{str(ProcessStep._meta.verbose_name).capitalize()} {r.position}: {r.description}",
        ),
    ]
    for queryset, subject in sources:
        previous: dict[int, object] = {}
        for record in queryset.select_related("history_user").order_by("history_date", "history_id"):
            changes = []
            before = previous.get(record.id)
            if record.history_type == "~" and before is not None:
                delta = record.diff_against(before)
                model = record.instance_type
                for change in delta.changes:
                    try:
                        label = str(model._meta.get_field(change.field).verbose_name)
                    except FieldDoesNotExist:  # a field removed since: show its name
                        label = change.field
                    changes.append((label, shown(change.field, change.old), shown(change.field, change.new)))
            previous[record.id] = record
            if record.history_type == "~" and before is not None and not changes:
                continue  # a save that changed nothing
            entries.append(
                ChangeLogEntry(
                    when=record.history_date,
                    user=record.history_user,
                    kind=record.history_type,
                    subject=subject(record),
                    changes=changes,
                    reason=record.history_change_reason or "",
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
