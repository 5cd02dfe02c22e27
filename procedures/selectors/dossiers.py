"""Reads of dossiers shaped for the API (and later the pages): the caller's reach, a constant number of queries;
the public lookup's status by code and phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from procedures.domain.workflow import TIMELINESS_LABELS, DossierStatus, Timeliness, national_status
from procedures.models import Dossier, DossierDocument, DossierHistory
from procedures.permissions import dossiers_visible_to


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
    """
    row = (
        Dossier.objects.filter(code=code, applicant__phone=phone)
        .values("code", "status", "received_at", "due_at", "redated_due_at", "finished_at", "timeliness")
        .order_by()
        .first()
    )
    if row is None:
        return None
    redated = row.pop("redated_due_at")
    row["due_at"] = redated or row["due_at"]
    return PublicStatus(**row)
