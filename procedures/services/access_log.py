"""The staff access log: one row per view of a dossier by anyone but its applicant (Law 91/2025/QH15)."""

from __future__ import annotations

from django.utils import timezone

from procedures.models import AccessKind, Dossier, DossierAccess


def dossier_access_record(*, user, dossier: Dossier, kind: str, document=None) -> DossierAccess | None:
    """Record that `user` saw `dossier` (a page, the API, or a file); the applicant's own views are not logged."""
    if not getattr(user, "is_authenticated", False) or user.pk == dossier.applicant_id:
        return None
    return DossierAccess.objects.create(
        dossier=dossier, user=user, at=timezone.now(), kind=AccessKind(kind), document=document
    )
