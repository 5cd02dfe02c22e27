"""The staff page of flagged dossiers: due soon or overdue, with the apology letter's state, by lateness."""

from __future__ import annotations

from django.db.models import Case, CharField, DurationField, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from procedures.domain.workflow import CLOCK_RUNNING_STATUSES, Action, transition_for
from procedures.models import ApologyDraft, Dossier
from procedures.permissions import dossiers_visible_to

SORTS = {"late": ("-lateness", "pk"), "due": ("effective_due", "pk")}


def flagged_dossiers(user, *, sort: str = "late") -> QuerySet[Dossier]:
    """Running dossiers the user can see whose current due time the sweep flagged; `lateness` > 0 is late.
    `apology`: "issued" (re-dated), "drafted" (waiting for the officer) or "none". One query."""
    now = timezone.now()
    effective = Coalesce("redated_due_at", "due_at")
    return (
        dossiers_visible_to(user)
        .filter(status__in=sorted(CLOCK_RUNNING_STATUSES))
        .annotate(effective_due=effective)
        .filter(Q(overdue_for=F("effective_due")) | Q(due_soon_for=F("effective_due")))
        .annotate(
            lateness=ExpressionWrapper(Value(now) - F("effective_due"), output_field=DurationField()),
            apology_state=Case(
                When(redated_at__isnull=False, then=Value("issued")),
                When(apology__isnull=False, then=Value("drafted")),
                default=Value("none"),
                output_field=CharField(),
            ),
        )
        .select_related("procedure", "unit", "assigned_to")
        .order_by(*SORTS.get(sort, SORTS["late"]))
    )


def apology_of(user, code: str) -> ApologyDraft:
    """The apology letter drafted for a dossier the user can see; ApologyDraft.DoesNotExist otherwise (→ 404)."""
    return ApologyDraft.objects.select_related("dossier", "dossier__procedure", "dossier__unit", "officer").get(
        dossier__in=dossiers_visible_to(user), dossier__code=code
    )


def my_open_apologies(user) -> QuerySet[ApologyDraft]:
    """Letters drafted for the user and still to issue: the dossier not re-dated and still in a status the REDATE
    transition starts from."""
    return (
        ApologyDraft.objects.filter(
            officer_id=user.pk,
            issued_at__isnull=True,
            dossier__in=dossiers_visible_to(user),
            dossier__redated_at__isnull=True,
            dossier__status__in=sorted(transition_for(Action.REDATE).sources),
        )
        .select_related("dossier", "dossier__procedure")
        .order_by(Coalesce("dossier__redated_due_at", "dossier__due_at"), "pk")
    )
