"""The apology flow: a due-soon dossier's draft, issued once by its officer through the REDATE transition."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import ApologyDraft, Dossier, DossierHistory, OutboxEvent
from procedures.services.apologies import apology_issue
from procedures.services.deadline_sweep import deadline_sweep

MONDAY_10 = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
WEDNESDAY_1030 = datetime(2026, 3, 11, 3, 30, tzinfo=UTC)
NEW_DUE = datetime(2026, 3, 17, 3, 0, tzinfo=UTC)


@pytest.fixture
def drafted(world):
    with time_machine.travel(MONDAY_10, tick=False):
        dossier = world.to_status(DossierStatus.IN_PROGRESS)
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        deadline_sweep()
    return ApologyDraft.objects.get(dossier=dossier)


def test_the_officer_issues_the_letter_once(world, drafted):
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        dossier = apology_issue(actor=world.specialist, apology=drafted, reason="Chờ xác minh", new_due_at=NEW_DUE)
    assert dossier.redated_due_at == NEW_DUE and dossier.redate_reason == "Chờ xác minh"
    drafted.refresh_from_db()
    assert drafted.issued_at is not None
    assert DossierHistory.objects.filter(dossier=dossier, action=Action.REDATE).count() == 1
    assert OutboxEvent.objects.filter(dossier=dossier, kind=Action.REDATE, recipient=world.citizen).exists()
    with pytest.raises(ValidationError), time_machine.travel(WEDNESDAY_1030, tick=False):
        apology_issue(
            actor=world.specialist, apology=drafted, reason="Lần hai", new_due_at=datetime(2026, 3, 20, tzinfo=UTC)
        )
    assert Dossier.objects.get(pk=dossier.pk).redated_due_at == NEW_DUE


def test_a_reason_and_a_later_date_are_required(world, drafted):
    with pytest.raises(ValidationError):
        apology_issue(actor=world.specialist, apology=drafted, reason="  ", new_due_at=NEW_DUE)
    with pytest.raises(ValidationError):
        apology_issue(actor=world.specialist, apology=drafted, reason="Lý do", new_due_at=MONDAY_10)
    drafted.refresh_from_db()
    assert drafted.issued_at is None


def test_another_units_officer_cannot_see_it(world, drafted):
    with pytest.raises(Dossier.DoesNotExist):
        apology_issue(actor=world.other_desk, apology=drafted, reason="Lý do", new_due_at=NEW_DUE)


def test_a_re_dated_dossier_gets_no_draft_and_is_overdue_not_escalated(world):
    with time_machine.travel(MONDAY_10, tick=False):
        dossier = world.to_status(DossierStatus.IN_PROGRESS)
        world.act(world.specialist, dossier, Action.REDATE, new_due_at=NEW_DUE)
    with time_machine.travel(datetime(2026, 3, 16, 4, 0, tzinfo=UTC), tick=False):
        assert deadline_sweep()["due_soon"] == 1
    assert not ApologyDraft.objects.filter(dossier=dossier).exists()
