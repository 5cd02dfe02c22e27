"""The transition table: every action from every status, by an actor allowed to take it → the exact outcome."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from portal.accounts.models import Role
from procedures.domain.workflow import (
    NATIONAL_STATUS,
    TRANSITIONS,
    Action,
    DossierStatus,
    NationalStatus,
    allowed_actions,
    national_status,
)
from procedures.models import Dossier, DossierHistory
from procedures.services.dossiers import Conflict

from .conftest import GUIDANCE, actor_for

S = DossierStatus
STARTS = [*DossierStatus, GUIDANCE]

# action → {status it is taken from: status it leads to}; every other start is a 409 Conflict.
EXPECTED = {
    Action.RECEIVE: {S.SUBMITTED: S.RECEIVED},
    Action.REFUSE: {S.SUBMITTED: S.REFUSED, S.AWAITING_APPROVAL: S.REFUSED},
    Action.RETURN_FOR_GUIDANCE: {S.SUBMITTED: S.SUPPLEMENT_REQUESTED},
    Action.RESUBMIT: {GUIDANCE: S.SUBMITTED},
    Action.ASSIGN: {S.RECEIVED: S.IN_PROGRESS},
    Action.REQUEST_SUPPLEMENT: {S.IN_PROGRESS: S.SUPPLEMENT_REQUESTED},
    Action.SUPPLEMENT: {S.SUPPLEMENT_REQUESTED: S.IN_PROGRESS},
    Action.SUBMIT_FOR_APPROVAL: {S.IN_PROGRESS: S.AWAITING_APPROVAL},
    Action.APPROVE: {S.AWAITING_APPROVAL: S.DONE},
    Action.SEND_BACK: {S.AWAITING_APPROVAL: S.IN_PROGRESS},
    Action.FINISH: {S.RECEIVED: S.DONE, S.IN_PROGRESS: S.DONE},
    Action.RETURN_RESULT: {S.DONE: S.RETURNED},
    Action.WITHDRAW: {
        S.SUBMITTED: S.WITHDRAWN,
        S.RECEIVED: S.WITHDRAWN,
        S.IN_PROGRESS: S.WITHDRAWN,
        S.SUPPLEMENT_REQUESTED: S.WITHDRAWN,
        GUIDANCE: S.WITHDRAWN,
    },
    Action.REDATE: {
        S.RECEIVED: S.RECEIVED,
        S.IN_PROGRESS: S.IN_PROGRESS,
        S.SUPPLEMENT_REQUESTED: S.SUPPLEMENT_REQUESTED,
        S.AWAITING_APPROVAL: S.AWAITING_APPROVAL,
    },
}


def test_every_action_is_in_the_expected_table():
    assert set(EXPECTED) == set(TRANSITIONS)


def test_table_roles_are_account_roles():
    for transition in TRANSITIONS.values():
        assert transition.roles <= set(Role.values), transition.action


def test_every_status_maps_to_a_national_status():
    assert set(NATIONAL_STATUS) == set(DossierStatus)
    assert national_status("returned") is NationalStatus.DONE
    assert national_status("supplement_requested") is NationalStatus.WAITING
    assert national_status("refused") is NationalStatus.DENIED


def test_allowed_actions_reads_the_table():
    assert allowed_actions("submitted", received=False) == [
        Action.RECEIVE,
        Action.REFUSE,
        Action.RETURN_FOR_GUIDANCE,
        Action.WITHDRAW,
    ]
    assert Action.RESUBMIT in allowed_actions("supplement_requested", received=False)
    assert Action.SUPPLEMENT not in allowed_actions("supplement_requested", received=False)
    assert allowed_actions("returned", received=True) == []


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_action_from_status(world, action, start):
    dossier = world.to_status(start)
    actor = actor_for(world, action, start)
    before = DossierHistory.objects.filter(dossier=dossier).count()
    extra = {}
    if action == Action.ASSIGN:
        extra["assignee"] = world.specialist
    if action == Action.REDATE and dossier.due_at:
        extra["new_due_at"] = dossier.due_at + timedelta(days=2)
    expected = EXPECTED[action].get(start)
    if expected is None:
        with pytest.raises(Conflict) as caught:
            world.act(actor, dossier, action, **extra)
        assert caught.value.current_status == dossier.status
        assert Dossier.objects.get(pk=dossier.pk).status == dossier.status
        assert DossierHistory.objects.filter(dossier=dossier).count() == before
    else:
        result = world.act(actor, dossier, action, **extra)
        assert result.status == expected
        assert Dossier.objects.get(pk=dossier.pk).status == expected
        last = DossierHistory.objects.filter(dossier=dossier).order_by("-pk").first()
        assert (last.action, last.from_status, last.to_status, last.actor) == (
            action,
            dossier.status,
            expected,
            actor,
        )
        assert DossierHistory.objects.filter(dossier=dossier).count() == before + 1


@pytest.mark.parametrize("action", list(EXPECTED))
def test_roles_the_table_does_not_name_are_refused(world, action):
    start = next(iter(EXPECTED[action]))
    everyone = {
        Role.CITIZEN: world.citizen,
        Role.DESK_OFFICER: world.desk,
        Role.SPECIALIST: world.specialist,
        Role.LEADER: world.leader,
    }
    for role, actor in everyone.items():
        if role in TRANSITIONS[action].roles:
            continue
        dossier = world.to_status(start)
        with pytest.raises(PermissionDenied):
            world.act(actor, dossier, action, assignee=world.specialist)
        assert Dossier.objects.get(pk=dossier.pk).status == dossier.status


def test_a_stale_expected_status_is_a_conflict_with_the_current_one(world):
    dossier = world.to_status(S.RECEIVED)
    with pytest.raises(Conflict) as caught:
        world.act(world.citizen, dossier, Action.WITHDRAW, expected_status=S.SUBMITTED)
    assert caught.value.current_status == S.RECEIVED
