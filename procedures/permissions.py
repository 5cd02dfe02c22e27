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

from .models import FeeKind, Procedure, UnitProcedure


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


def can_view_procedure(user, procedure: Procedure) -> bool:
    return procedure.is_active or can_edit_catalogue(user)


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
