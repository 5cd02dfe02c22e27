"""Writes on the unit tree (the admin's unit form); the calendar's writes are in the calendar services."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Unit
from .permissions import can_add_unit, can_manage_unit


@transaction.atomic
def unit_save(*, unit: Unit, user=None) -> Unit:
    """Validate and save a unit. A new unit, or a new code, kind or parent, is the superuser's: the code
    prefixes every dossier code and the place in the tree decides who sees what. (None: shell, demo data.)"""
    if user is not None:
        if unit.pk is None:
            allowed = can_add_unit(user)
        else:
            before = Unit.objects.get(pk=unit.pk)
            moved = (before.code, before.kind, before.parent_id) != (unit.code, unit.kind, unit.parent_id)
            allowed = can_manage_unit(user, before) and (not moved or can_add_unit(user))
        if not allowed:
            raise PermissionDenied(_("You may change only the units you manage."))
    unit.full_clean()
    unit.save()
    return unit
