"""The apology letter (phiếu xin lỗi và hẹn lại ngày trả kết quả): the sweep drafts it for the responsible
officer when a dossier is due soon; issuing it is the REDATE transition (once per dossier, the law's rule),
so the transition table, permissions, history and the applicant's notification all stay in one place."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from procedures.domain.workflow import Action
from procedures.models import ApologyDraft, Dossier

from .dossiers import dossier_transition


def apology_issue(*, actor, apology: ApologyDraft, reason: str, new_due_at: datetime) -> Dossier:
    """Issue the drafted letter with `reason` and `new_due_at`: re-dates the dossier and marks the draft issued.

    Raises what dossier_transition raises (Dossier.DoesNotExist, PermissionDenied, Conflict, ValidationError —
    e.g. "a dossier may be re-dated only once")."""
    with transaction.atomic():
        dossier = apology.dossier
        dossier = dossier_transition(
            actor=actor,
            dossier=dossier.code,
            action=Action.REDATE,
            expected_status=dossier.status,
            comment=reason,
            new_due_at=new_due_at,
        )
        ApologyDraft.objects.filter(pk=apology.pk, issued_at__isnull=True).update(issued_at=timezone.now())
    return dossier
