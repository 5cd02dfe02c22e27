"""Reads for the staff work queues: the desk's sections, the specialist's and the leader's queues, the staff
dossier page. Each list is a constant number of queries whatever its length (select_related, one aggregate
for the section counts) and runs on the partial indexes over open dossiers (procedures/models/dossiers.py).

"Due soon" is a window of working time (settings.DOSSIER_DUE_SOON_WORKING_HOURS) on the unit's calendar: the
window's end is computed once per request, then compared in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.validators import normalize_phone
from portal.units.calendar.selectors import unit_calendar
from procedures.domain.workflow import OPEN_STATUSES, Action, DossierStatus
from procedures.models import (
    ControlSlipEntry,
    Dossier,
    DossierAccess,
    DossierDocument,
    DossierHistory,
    Procedure,
)
from procedures.models.dossiers import DOSSIER_CODE_PATTERN
from procedures.permissions import dossiers_visible_to

S = DossierStatus
# The clock runs (a receipt and no supplement awaited): these can be due soon or overdue.
CLOCK_RUNNING = (S.RECEIVED, S.IN_PROGRESS, S.AWAITING_APPROVAL)
ACCESS_LOG_ROWS = 50


@dataclass(frozen=True)
class Section:
    key: str
    label: object
    hint: object


SECTIONS = (
    Section("new", _("New online submissions"), _("Submitted online, not yet received.")),
    Section("due_soon", _("Due soon"), _("Being processed and due within the next working hours.")),
    Section(
        "supplemented",
        _("Answered supplements"),
        _("Back in progress after the citizen's supplement; nobody has acted on them since."),
    ),
    Section("ready", _("Ready to return"), _("The result is ready: hand it to the citizen.")),
    Section("overdue", _("Overdue"), _("Being processed and past the due time (the apology's new date if any).")),
    Section("all", _("All open"), _("Every open dossier of the unit.")),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)


def due_soon_until(unit, now: datetime) -> datetime:
    """The end of the "due soon" window: now plus the window in working hours on the unit's calendar."""
    hours = settings.DOSSIER_DUE_SOON_WORKING_HOURS
    return unit_calendar(unit).add_working_time(now, timedelta(hours=hours))


def _due_between(start: datetime | None, end: datetime | None) -> Q:
    """The effective due time (the apology's new date, else the statutory one) within (start, end]."""
    redated, statutory = Q(redated_due_at__isnull=False), Q(redated_due_at__isnull=True)
    if start is not None:
        redated &= Q(redated_due_at__gt=start)
        statutory &= Q(due_at__gt=start)
    if end is not None:
        redated &= Q(redated_due_at__lte=end)
        statutory &= Q(due_at__lte=end)
    return redated | statutory


def _last_action() -> Subquery:
    return Subquery(DossierHistory.objects.filter(dossier=OuterRef("pk")).order_by("-at", "-pk").values("action")[:1])


def _latest_is_supplement() -> Exact:
    """The dossier's latest history row is the supplement. A scalar subquery (LIMIT 1) is evaluated row by row
    after the status test, only for rows in progress; an EXISTS would become a hashed scan of the whole history."""
    return Exact(_last_action(), Value(Action.SUPPLEMENT.value))


def section_filters(*, now: datetime, soon_until: datetime) -> dict[str, Q]:
    """Each section as a condition on open dossiers (the counts and the lists share them)."""
    running = Q(status__in=CLOCK_RUNNING)
    return {
        "new": Q(status=S.SUBMITTED),
        "due_soon": running & _due_between(now, soon_until),
        # Back in progress after a supplement and not re-handled: the latest history row is the supplement.
        "supplemented": Q(status=S.IN_PROGRESS) & Q(_latest_is_supplement()),
        "ready": Q(status=S.DONE),
        "overdue": running & _due_between(None, now) & ~Q(due_at__isnull=True),
        "all": Q(),
    }


def _rows(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.select_related("procedure", "applicant", "assigned_to", "unit")


def desk_queue(
    user,
    *,
    section: str = "all",
    status: str = "",
    procedure: str = "",
    search: str = "",
    now: datetime | None = None,
) -> tuple[QuerySet[Dossier], dict[str, int]]:
    """The desk officer's unit's open dossiers in `section`, filtered; and the count of every section."""
    now = now or timezone.now()
    filters = section_filters(now=now, soon_until=due_soon_until(user.unit, now))
    base = dossiers_visible_to(user).filter(unit_id=user.unit_id, status__in=OPEN_STATUSES)
    counts = base.order_by().aggregate(**{key: Count("pk", filter=q) for key, q in filters.items()})
    queryset = base.filter(filters.get(section, Q())).annotate(last_action=_last_action())
    if status:
        queryset = queryset.filter(status=status)
    if procedure:
        queryset = queryset.filter(procedure__code=procedure)
    if search:
        queryset = queryset.filter(search_condition(search))
    # New submissions: first come, first served; everything else: soonest due first.
    order = ["submitted_at", "pk"] if section == "new" else ["due_at", "submitted_at", "pk"]
    return _rows(queryset).order_by(*order), counts


def search_condition(text: str) -> Q:
    """A dossier code (whole or its start) or the applicant's phone number (any spelling)."""
    import re

    text = text.strip()
    phone = normalize_phone(text)
    if phone.isdigit() and phone.startswith("0"):
        return Q(applicant__phone=phone)
    if re.fullmatch(DOSSIER_CODE_PATTERN, text):
        return Q(code=text)
    return Q(code__istartswith=text)


def specialist_queue(user) -> QuerySet[Dossier]:
    """Dossiers handed to this specialist and waiting for them: in progress (sent back ones included)."""
    return _rows(
        dossiers_visible_to(user)
        .filter(assigned_to=user, status__in=(S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED))
        .annotate(last_action=_last_action())
    ).order_by("due_at", "pk")


def leader_queue(user) -> QuerySet[Dossier]:
    """Dossiers awaiting approval in the leader's unit and the units below it."""
    return _rows(dossiers_visible_to(user).filter(status=S.AWAITING_APPROVAL)).order_by("due_at", "pk")


def queue_procedures(user) -> QuerySet[Procedure]:
    """Procedures for the queue's filter: those the unit has open dossiers of."""
    open_ones = Dossier.objects.filter(unit_id=user.unit_id, status__in=OPEN_STATUSES).values("procedure_id")
    return Procedure.objects.filter(pk__in=open_ones.order_by().distinct()).order_by("code")


def staff_dossier(user, code: str) -> Dossier:
    """Everything the staff page shows about one dossier in the user's reach; Dossier.DoesNotExist otherwise."""
    return (
        dossiers_visible_to(user)
        .select_related("procedure", "unit", "applicant", "assigned_to")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=DossierDocument.objects.select_related("required_document").order_by(
                    "required_document__position", "pk"
                ),
            ),
            Prefetch("history", queryset=DossierHistory.objects.select_related("actor").order_by("at", "pk")),
            Prefetch(
                "control_slip",
                queryset=ControlSlipEntry.objects.select_related("from_user", "to_user").order_by("position"),
            ),
        )
        .get(code=code)
    )


def dossier_access_log(dossier: Dossier) -> list[DossierAccess]:
    """The latest views of the dossier by staff, newest first."""
    return list(DossierAccess.objects.filter(dossier=dossier).select_related("user", "document")[:ACCESS_LOG_ROWS])


def staff_document(user, code: str, document_id: int) -> DossierDocument:
    """A stored file of a dossier in the user's reach; DossierDocument.DoesNotExist otherwise."""
    return (
        DossierDocument.objects.select_related("dossier")
        .exclude(file="")
        .get(pk=document_id, dossier__in=dossiers_visible_to(user).filter(code=code))
    )


def find_citizen(identifier: str):
    """A citizen's account by phone (any spelling) or CCCD; None if there is none."""
    from portal.accounts.models import Role, User
    from portal.accounts.validators import normalize_cccd

    phone, cccd = normalize_phone(identifier), normalize_cccd(identifier)
    query = Q(phone=phone) if phone else Q(pk__in=[])
    if len(cccd) == 12 and cccd.isdigit():
        query |= Q(cccd=cccd)
    return User.objects.filter(query, role=Role.CITIZEN, is_active=True).first()


def procedures_received_by(unit, *, search: str = "", no_wait: bool | None = None) -> QuerySet[Procedure]:
    """Active procedures the unit receives (no list of units, or the unit in it; not declined), searchable."""
    from procedures.models import UnitProcedure
    from procedures.selectors.catalogue import catalogue_search

    through = Procedure.units.through.objects.filter(procedure_id=OuterRef("pk"))
    return (
        catalogue_search(search=search, no_wait=no_wait)
        .filter(~Exists(through) | Exists(through.filter(unit_id=unit.pk)))
        .exclude(pk__in=UnitProcedure.objects.filter(unit=unit, offered=False).values("procedure_id"))
    )
