"""The no-wait fast track (thủ tục không chờ): the desk receives and returns the result in the same visit.

Two writes, each one transaction composed of the ordinary services (so the history, control slip and outbox are
the same as any dossier's): the receipt with the citizen's arrival time, then finish + return together. The
elapsed minutes are arrival → result returned (Dossier.elapsed_minutes), shown against procedure.no_wait_minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import Dossier, Procedure

from .dossiers import dossier_receive_in_person, dossier_transition

# An arrival further back than this is a typing mistake, not a citizen still waiting at the desk.
MAX_WAIT = timedelta(hours=12)


def dossier_no_wait_receive(
    *, actor, applicant, procedure: Procedure, documents_checked, files=(), arrived_at: datetime | None = None
) -> Dossier:
    """Receive a no-wait procedure in person, recording when the citizen arrived (default: now)."""
    if not procedure.no_wait:
        raise ValidationError(_("This procedure is not on the no-wait fast track."))
    now = timezone.now()
    arrived = arrived_at or now
    if arrived.tzinfo is None:
        raise ValidationError(_("Give the arrival time with its time zone."))
    if arrived > now:
        raise ValidationError(_("The arrival time cannot be in the future."))
    if now - arrived > MAX_WAIT:
        raise ValidationError(_("The arrival time is more than 12 hours ago; check it."))
    with transaction.atomic():
        dossier = dossier_receive_in_person(
            actor=actor, applicant=applicant, procedure=procedure, documents_checked=documents_checked, files=files
        )
        arrived = min(arrived, dossier.received_at)
        Dossier.objects.filter(pk=dossier.pk).update(arrived_at=arrived)
        dossier.arrived_at = arrived
    return dossier


def dossier_no_wait_complete(*, actor, dossier: Dossier | str, expected_status: str, comment: str = "") -> Dossier:
    """Finish and hand the result over at once (no appointment slip); both or neither."""
    with transaction.atomic():
        done = dossier_transition(
            actor=actor, dossier=dossier, action=Action.FINISH, expected_status=expected_status, comment=comment
        )
        return dossier_transition(
            actor=actor, dossier=done, action=Action.RETURN_RESULT, expected_status=DossierStatus.DONE
        )
