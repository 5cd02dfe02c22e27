"""Who sees and who acts: a citizen only their own dossiers, staff only their unit's, leaders their subtree's;
outside reach is "not found", never "forbidden"."""

import pytest
from django.core.exceptions import PermissionDenied

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import Dossier
from procedures.permissions import can_act_on_dossier, dossiers_visible_to
from procedures.services.dossiers import dossier_transition
from tests.factories import UserFactory

S = DossierStatus


def test_visibility(world):
    mine = world.submit()
    theirs = world.submit(citizen=world.other_citizen)
    assert list(dossiers_visible_to(world.citizen)) == [mine]
    assert list(dossiers_visible_to(world.other_citizen)) == [theirs]
    for staff in (world.desk, world.specialist, world.leader, world.district_leader):
        assert set(dossiers_visible_to(staff)) == {mine, theirs}, staff
    assert not dossiers_visible_to(world.other_desk).exists()
    other_leader = UserFactory(leader=True, unit=world.other_unit)
    assert not dossiers_visible_to(other_leader).exists()
    unit_admin = UserFactory(unit_admin=True, unit=world.unit)
    assert not dossiers_visible_to(unit_admin).exists()
    inactive = UserFactory(desk=True, unit=world.unit, is_active=False)
    assert not dossiers_visible_to(inactive).exists()
    root = UserFactory(is_superuser=True, phone="")
    assert dossiers_visible_to(root).count() == 2


def test_another_citizens_dossier_is_not_found(world):
    dossier = world.submit()
    with pytest.raises(Dossier.DoesNotExist):
        dossier_transition(
            actor=world.other_citizen, dossier=dossier.code, action=Action.WITHDRAW, expected_status=S.SUBMITTED
        )
    assert Dossier.objects.get(pk=dossier.pk).status == S.SUBMITTED


def test_another_units_staff_get_not_found(world):
    dossier = world.submit()
    with pytest.raises(Dossier.DoesNotExist):
        dossier_transition(actor=world.other_desk, dossier=dossier, action=Action.RECEIVE, expected_status=S.SUBMITTED)


def test_a_leader_above_sees_but_does_not_act(world):
    dossier = world.to_status(S.AWAITING_APPROVAL)
    assert not can_act_on_dossier(world.district_leader, dossier, Action.APPROVE)
    with pytest.raises(PermissionDenied):
        world.act(world.district_leader, dossier, Action.APPROVE)
    assert can_act_on_dossier(world.leader, dossier, Action.APPROVE)


def test_only_the_assigned_specialist_processes(world):
    dossier = world.to_status(S.IN_PROGRESS)
    assert dossier.assigned_to == world.specialist
    with pytest.raises(PermissionDenied):
        world.act(world.specialist2, dossier, Action.SUBMIT_FOR_APPROVAL)
    world.act(world.specialist, dossier, Action.SUBMIT_FOR_APPROVAL)


def test_assign_only_to_a_specialist_of_the_unit(world):
    from django.core.exceptions import ValidationError

    dossier = world.to_status(S.RECEIVED)
    outsider = UserFactory(specialist=True, unit=world.other_unit)
    for wrong in (None, outsider, world.leader, world.citizen):
        with pytest.raises(ValidationError):
            world.act(world.desk, dossier, Action.ASSIGN, assignee=wrong)
    assert Dossier.objects.get(pk=dossier.pk).status == S.RECEIVED


def test_citizen_acts_only_on_their_own(world):
    dossier = world.submit()
    assert can_act_on_dossier(world.citizen, dossier, Action.WITHDRAW)
    assert not can_act_on_dossier(world.other_citizen, dossier, Action.WITHDRAW)
    assert not can_act_on_dossier(world.citizen, dossier, Action.RECEIVE)
