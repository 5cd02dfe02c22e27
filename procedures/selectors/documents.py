"""Reads of a dossier's issued papers, for the print/download buttons, the list page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from procedures.models import DocumentKind, Dossier, IssuedDocument
from procedures.permissions import can_print_control_slip, dossiers_visible_to, issued_documents_visible_to


@dataclass(frozen=True)
class Slip:
    id: int
    kind: str
    issued_at: datetime
    issued_by: str
    reprint_count: int
    url: str  # the first print (PDF)
    reprint_url: str  # a reprint, with its "Bản in lại lúc …" line

    @property
    def label(self) -> str:
        return str(DocumentKind(self.kind).label)


def slips_for(dossier: Dossier, user) -> list[Slip]:
    """The papers issued for `dossier` that `user` may download, oldest first (empty outside their reach).
    One query."""
    rows = (
        issued_documents_visible_to(user)
        .filter(dossier=dossier)
        .select_related("issued_by")
        .order_by("issued_at", "pk")
    )
    slips = []
    for row in rows:
        url = reverse("slip_download", args=[dossier.code, row.pk])
        slips.append(
            Slip(
                id=row.pk,
                kind=row.kind,
                issued_at=row.issued_at,
                issued_by=row.issued_by.full_name or row.issued_by.get_username(),
                reprint_count=row.reprint_count,
                url=url,
                reprint_url=f"{url}?reprint=1",
            )
        )
    return slips


def dossier_for_slips(user, code: str) -> Dossier:
    """The dossier within `user`'s reach; Dossier.DoesNotExist otherwise (a 404)."""
    return dossiers_visible_to(user).select_related("unit", "procedure").get(code=code)


def issued_document_for_download(user, code: str, document_id: int) -> IssuedDocument:
    """One paper of a dossier within `user`'s reach; IssuedDocument.DoesNotExist otherwise (a 404)."""
    return issued_documents_visible_to(user).select_related("dossier").get(pk=document_id, dossier__code=code)


def may_print_control_slip(user, dossier: Dossier) -> bool:
    return can_print_control_slip(user, dossier)
