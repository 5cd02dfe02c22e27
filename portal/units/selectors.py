"""Reads over the unit tree."""

from .models import Unit

MAX_DEPTH = 6  # province → district → ward is 3; the guard stops a corrupt cycle.


def unit_subtree_ids(unit: Unit) -> list[int]:
    """Ids of the unit and every unit below it, one query per level of the tree."""
    ids = [unit.pk]
    frontier = [unit.pk]
    for _ in range(MAX_DEPTH):
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids.extend(frontier)
    return ids


def units_visible_to(user):
    """Units a staff member may see: their own unit and, for leaders/admins, its subtree."""
    if user.is_superuser:
        return Unit.objects.all()
    if not user.is_authenticated or user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=unit_subtree_ids(user.unit))


def child_units(unit: Unit):
    return unit.children.filter(is_active=True).order_by("name")
