"""Reads of dossiers shaped for the API (and later the pages): the caller's reach, a constant number of queries;
the public lookup's status by code and phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portal.units.models import Unit
from procedures.domain.workflow import TIMELINESS_LABELS, Action, DossierStatus, Timeliness, national_status
from procedures.models import Dossier, DossierDocument, DossierHistory, OutboxEvent, Procedure, UnitProcedure
from procedures.permissions import dossiers_of_applicant, dossiers_visible_to

# History comments a citizen reads: the reasons given to them (refusal, guidance, supplement request, the
# apology's new date, their own withdrawal). Internal notes (a leader sending a dossier back, …) stay with staff.
CITIZEN_COMMENTS = frozenset(
    {Action.REFUSE, Action.RETURN_FOR_GUIDANCE, Action.REQUEST_SUPPLEMENT, Action.REDATE, Action.WITHDRAW}
)


def units_offering(procedure: Procedure) -> QuerySet[Unit]:
    """Active units that receive `procedure`: the units listed on it (any unit when none is listed), less
    those that declined it (UnitProcedure.offered = False). An inactive procedure is received nowhere."""
    if not procedure.is_active:
        return Unit.objects.none()
    units = Unit.objects.filter(is_active=True)
    if procedure.units.exists():
        units = units.filter(pk__in=procedure.units.values("pk"))
    declined = UnitProcedure.objects.filter(procedure=procedure, offered=False).values("unit_id")
    return units.exclude(pk__in=declined)


def dossiers_for_list(user, *, status: str | None = None) -> QuerySet[Dossier]:
    """The caller's own dossiers (a citizen) or their unit's (staff; leaders their subtree's), newest first."""
    queryset = (
        dossiers_visible_to(user)
        .select_related("procedure", "unit")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=DossierDocument.objects.select_related("required_document").order_by(
                    "required_document__position", "pk"
                ),
            )
        )
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-submitted_at", "-pk")


def dossier_for_detail(user, code: str) -> Dossier:
    """One dossier within the caller's reach, with its documents and history; Dossier.DoesNotExist otherwise."""
    return (
        dossiers_for_list(user)
        .prefetch_related(Prefetch("history", queryset=DossierHistory.objects.order_by("at", "pk")))
        .get(code=code)
    )


def dossier_for_action(user, code: str) -> Dossier:
    """One dossier within the caller's reach with its procedure, before a transition (which re-reads it
    locked): no documents or history, which the transition neither needs nor answers."""
    return dossiers_visible_to(user).select_related("procedure").get(code=code)


def dossier_document_for_download(user, code: str, document_id: int) -> DossierDocument:
    """A stored file of a dossier within the caller's reach; DossierDocument.DoesNotExist otherwise."""
    return (
        DossierDocument.objects.select_related("dossier")
        .exclude(file="")
        .get(pk=document_id, dossier__in=dossiers_visible_to(user).filter(code=code))
    )


@dataclass(frozen=True)
class PublicStatus:
    """What the public lookup may tell: the dossier's progress, nothing about the applicant."""

    code: str
    status: str
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    timeliness: str

    @property
    def status_label(self) -> str:
        return str(DossierStatus(self.status).label)

    @property
    def national_status(self) -> str:
        return national_status(self.status).value

    @property
    def timeliness_label(self) -> str:
        return str(TIMELINESS_LABELS[Timeliness(self.timeliness)]) if self.timeliness else ""


def dossier_public_status(code: str, phone: str) -> PublicStatus | None:
    """The dossier with this code whose applicant has this (normalised) phone; None otherwise.

    One query matching both at once, so an unknown code and a wrong phone take the same path and give
    the same answer. The due time is the one the citizen was last given (the apology's new date if any).
    The SQL is written once (`_public_status_sql`): this is the busiest public endpoint, and building the
    ORM query for it cost more than running it (0.72 ms against 0.27 ms; see README, Benchmarks). On
    PostgreSQL it is a prepared statement (`_execute_prepared`).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and settings.LOOKUP_PREPARED_STATEMENT:
            _execute_prepared(cursor, [code, phone])
        else:
            cursor.execute(_public_status_sql(), [code, phone])
        row = cursor.fetchone()
    if row is None:
        return None
    code, status, received_at, due_at, redated_due_at, finished_at, timeliness = row
    received_at, due_at, redated_due_at, finished_at = map(_aware, (received_at, due_at, redated_due_at, finished_at))
    return PublicStatus(code, status, received_at, redated_due_at or due_at, finished_at, timeliness or "")


@lru_cache(maxsize=1)
def _public_status_sql() -> str:
    quote = connection.ops.quote_name
    dossier, user = Dossier._meta, Dossier._meta.get_field("applicant").related_model._meta

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    fields = ("code", "status", "received_at", "due_at", "redated_due_at", "finished_at", "timeliness")
    columns = ", ".join(f"d.{column(dossier, name)}" for name in fields)
    join = f"u.{quote(user.pk.column)} = d.{column(dossier, 'applicant')}"
    match = f"d.{column(dossier, 'code')} = %s AND u.{column(user, 'phone')} = %s"
    # Identifiers come from the models' metadata, quoted; the code and phone are parameters.
    return (
        f"SELECT {columns} FROM {quote(dossier.db_table)} d INNER JOIN {quote(user.db_table)} u ON {join} WHERE {match}"  # noqa: S608, E501
    )


_PREPARED = "motcua_public_status"


def _execute_prepared(cursor, params: list[str]) -> None:
    """The lookup as a statement prepared once per database connection.

    Planning the join took the server longer than running it (about 0.08 of 0.15 ms): the planner weighs
    every index of the dossier table, and the dashboards and queues gave it twenty. A prepared statement is
    planned once, then reuses a generic plan. PostgreSQL keeps it for the session, whatever happens to the
    transaction it was made in, so "made on this connection" (the driver's connection object, new after any
    reconnect) is all there is to remember. Not for a PgBouncer in transaction pooling mode, where the next
    transaction may run on another session: set LOOKUP_PREPARED_STATEMENT off there.
    """
    raw = connection.connection
    if getattr(connection, "public_status_prepared_on", None) is not raw:
        cursor.execute(f"PREPARE {_PREPARED}(text, text) AS {_public_status_sql() % ('$1', '$2')}")
        connection.public_status_prepared_on = raw
    cursor.execute(f"EXECUTE {_PREPARED}(%s, %s)", params)  # noqa: S608 (a constant name; values are parameters)


def _aware(value):
    """A datetime column as an aware UTC datetime (PostgreSQL gives one already; SQLite gives text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


# --- the citizen's pages ------------------------------------------------------------------------------------


def my_dossiers(user, *, status: str | None = None) -> QuerySet[Dossier]:
    """The citizen's own dossiers, newest first, with what the list shows (one query per page)."""
    queryset = dossiers_of_applicant(user).select_related("procedure", "unit")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-submitted_at", "-pk")


def my_dossier(user, code: str) -> Dossier:
    """One of the citizen's own dossiers with its documents; Dossier.DoesNotExist otherwise (a 404)."""
    documents = DossierDocument.objects.select_related("required_document").order_by(
        "required_document__position", "pk"
    )
    return (
        dossiers_of_applicant(user)
        .select_related("procedure", "unit")
        .prefetch_related(Prefetch("documents", queryset=documents))
        .get(code=code)
    )


def my_dossier_by_key(user, key: str) -> Dossier | None:
    """The citizen's dossier created from the online form with this idempotency key, if any."""
    return dossiers_of_applicant(user).filter(idempotency_key=key).only("code").first() if key else None


@dataclass(frozen=True)
class CitizenHistoryEntry:
    at: datetime
    action: str
    action_label: str
    to_status_label: str
    comment: str  # only the reasons addressed to the citizen (CITIZEN_COMMENTS)


def citizen_history(dossier: Dossier) -> list[CitizenHistoryEntry]:
    """What a citizen may read of the history: when, what happened, the status it led to, and the reasons
    given to them. Who acted is left out: the control slip (which officer held it) is for staff."""
    rows = (
        DossierHistory.objects.filter(dossier=dossier)
        .order_by("at", "pk")
        .values_list("at", "action", "to_status", "comment")
    )
    return [
        CitizenHistoryEntry(
            at=at,
            action=action,
            action_label=str(Action(action).label),
            to_status_label=str(DossierStatus(to_status).label),
            comment=comment if action in CITIZEN_COMMENTS else "",
        )
        for at, action, to_status, comment in rows
    ]


def my_dossier_document(user, code: str, document_id: int) -> DossierDocument:
    """A stored file of one of the citizen's own dossiers; DossierDocument.DoesNotExist otherwise."""
    return (
        DossierDocument.objects.select_related("dossier")
        .exclude(file="")
        .get(pk=document_id, dossier__in=dossiers_of_applicant(user).filter(code=code))
    )


# --- in-app notifications -----------------------------------------------------------------------------------


def notifications_for(user) -> QuerySet[OutboxEvent]:
    """The user's in-app events, newest first, with the dossier and the history row each sentence needs."""
    if not getattr(user, "is_authenticated", False):
        return OutboxEvent.objects.none()
    return (
        OutboxEvent.objects.filter(recipient=user, channel=OutboxEvent.Channel.IN_APP)
        .select_related("dossier", "history")
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(user) -> int:
    """One COUNT over the recipient's in-app index (the navbar badge)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return OutboxEvent.objects.filter(recipient=user, channel=OutboxEvent.Channel.IN_APP, read_at__isnull=True).count()
