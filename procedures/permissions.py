"""Who may see or change what in the procedure catalogue: the one place that answers it.

- The statutory catalogue (codes, deadlines, documents, steps, fields) is shared by every ward: only a
  catalogue editor (a province or district account) and a superuser change it.
- A unit admin decides, for the units they keep, whether each procedure is offered there and its local fee
  where the province sets fees (fee "varies"): `UnitProcedure` rows.
- Everyone sees active procedures; inactive ones only those who edit the catalogue.

Plain functions over (user, object) and querysets "…_visible_to(user)"; objects outside a user's reach are
filtered away so callers answer 404, never 403. Dossiers and dashboards extend this module.
"""

from __future__ import annotations

from django.db.models import QuerySet

from portal.accounts.models import Role
from portal.units.models import Unit
from portal.units.permissions import can_manage_unit, is_active_staff, managed_unit_ids
from portal.units.selectors import unit_subtree_ids

from .domain.workflow import Action, transition_for
from .models import Dossier, FeeKind, Procedure, UnitProcedure


def can_edit_catalogue(user) -> bool:
    """May change the shared catalogue (procedures, their documents and steps, fields)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return is_active_staff(user, Role.CATALOGUE_EDITOR)


def can_edit_catalogue_entry(user, procedure: Procedure | None = None) -> bool:
    """One entry: the same answer for every entry today (the catalogue has one owner above the wards)."""
    return can_edit_catalogue(user)


def can_delete_catalogue_entry(user, procedure: Procedure | None = None) -> bool:
    """Procedures are deactivated, not deleted: deleting is the superuser's, for mistakes only."""
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def procedures_visible_to(user) -> QuerySet[Procedure]:
    """Active procedures for everyone; inactive ones too for those who edit the catalogue."""
    if can_edit_catalogue(user):
        return Procedure.objects.all()
    return Procedure.objects.filter(is_active=True)


def can_set_unit_offer(user, unit: Unit | None) -> bool:
    """May choose which procedures `unit` offers and set its local fees."""
    return unit is not None and can_manage_unit(user, unit)


def can_set_unit_fee(user, unit: Unit | None, procedure: Procedure) -> bool:
    """A local fee only where the province sets the fee (fee_kind "varies")."""
    return can_set_unit_offer(user, unit) and procedure.fee_kind == FeeKind.VARIES


def unit_procedures_visible_to(user) -> QuerySet[UnitProcedure]:
    """Rows of the units the user keeps; catalogue editors read every unit's choices."""
    ids = managed_unit_ids(user)
    if ids is None or can_edit_catalogue(user):
        return UnitProcedure.objects.all()
    return UnitProcedure.objects.filter(unit_id__in=ids)


def can_change_unit_procedure(user, row: UnitProcedure) -> bool:
    return can_set_unit_offer(user, row.unit)


# --- dossiers ---------------------------------------------------------------------------------------------
# Who sees a dossier: its applicant (a citizen), the staff of its unit (desk officers, specialists), and the
# leaders of its unit or of a unit above it (they watch their subtree). Acting on one is narrower: the role
# must be one the transition table names for the action, staff act only on their own unit's dossiers, and a
# specialist only on those handed to them. Unit admins and catalogue editors keep set-up, not dossiers.


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser:
        return Dossier.objects.all()
    if user.role == Role.CITIZEN:
        return Dossier.objects.filter(applicant=user)
    if is_active_staff(user, Role.DESK_OFFICER, Role.SPECIALIST):
        return Dossier.objects.filter(unit_id=user.unit_id)
    if is_active_staff(user, Role.LEADER):
        return Dossier.objects.filter(unit_id__in=unit_subtree_ids(user.unit))
    return Dossier.objects.none()


# Actions a specialist takes only on a dossier handed to them.
ASSIGNEE_ACTIONS = frozenset({Action.REQUEST_SUPPLEMENT, Action.SUBMIT_FOR_APPROVAL, Action.FINISH})


def can_act_on_dossier(user, dossier: Dossier, action: str) -> bool:
    """May take `action` on `dossier` (a dossier the user can see; callers check that first)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    transition = transition_for(action)
    if user.role not in transition.roles:
        return False
    if user.role == Role.CITIZEN:
        return dossier.applicant_id == user.pk
    if not is_active_staff(user, user.role) or dossier.unit_id != user.unit_id:
        return False
    if user.role == Role.SPECIALIST and transition.action in ASSIGNEE_ACTIONS:
        return dossier.assigned_to_id == user.pk
    return True


def can_receive_in_person(user, unit: Unit | None) -> bool:
    return unit is not None and is_active_staff(user, Role.DESK_OFFICER) and user.unit_id == unit.pk


def can_watch_deadlines(user) -> bool:
    """The due-soon / overdue page: the staff who handle dossiers (their unit; leaders their subtree) — which
    dossiers they see is dossiers_visible_to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or is_active_staff(user, Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER)
