"""Reads of dossiers shaped for the API (and later the pages): the caller's reach, a constant number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

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


def dossier_document_for_download(user, code: str, document_id: int) -> DossierDocument:
    """A stored file of a dossier within the caller's reach; DossierDocument.DoesNotExist otherwise."""
    return (
        DossierDocument.objects.select_related("dossier")
        .exclude(file="")
        .get(pk=document_id, dossier__in=dossiers_visible_to(user).filter(code=code))
    )
