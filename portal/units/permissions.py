"""Who may see or change a unit and its working calendar: the one place that answers it.

Plain functions over (user, object) plus querysets "…_visible_to / …_managed_by(user)", so views, API views
and the admin ask the same question the same way, and later areas (dossiers, dashboards) build on them.
An object outside a user's reach is reported as missing (404), never as forbidden: callers filter with the
querysets below and let `get_object_or_404` / the admin's "does not exist" do the rest.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal.accounts.models import Role

from .models import CalendarException, OfficeHours, Unit
from .selectors import unit_subtree_ids, units_visible_to

__all__ = [
    "calendar_exceptions_visible_to",
    "can_add_unit",
    "can_change_calendar_exception",
    "can_manage_unit",
    "can_manage_unit_calendar",
    "managed_unit_ids",
    "office_hours_visible_to",
    "units_managed_by",
    "units_visible_to",  # staff see their unit's subtree (a selector: leaders read it too)
]


def is_active_staff(user, *roles: str) -> bool:
    """An active, logged-in account with one of `roles` and a unit (the database guarantees the unit)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "unit_id", None) is not None
        and user.role in roles
    )


def is_unit_admin(user) -> bool:
    return is_active_staff(user, Role.UNIT_ADMIN)


def managed_unit_ids(user) -> list[int] | None:
    """Units whose set-up (office hours, exceptions, offered procedures, staff) the user keeps.

    None means every unit (a superuser); a unit admin keeps their unit and its subtree; nobody else any.
    Cached on the user object: one request asks several times.
    """
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    if not is_unit_admin(user):
        return []
    cached = getattr(user, "_managed_unit_ids", None)
    if cached is None:
        cached = unit_subtree_ids(user.unit)
        user._managed_unit_ids = cached
    return cached


def units_managed_by(user) -> QuerySet[Unit]:
    ids = managed_unit_ids(user)
    return Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=ids)


def can_manage_unit(user, unit: Unit | None) -> bool:
    """May change this unit's set-up. `unit=None` is the nationwide scope: superusers only."""
    ids = managed_unit_ids(user)
    if ids is None:
        return True
    return unit is not None and unit.pk in ids


can_manage_unit_calendar = can_manage_unit


def can_add_unit(user) -> bool:
    """New units (and their codes, which prefix every dossier code) come from the superuser."""
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def can_change_calendar_exception(user, exception: CalendarException) -> bool:
    """Nationwide rows are the superuser's; a unit admin keeps their subtree's rows."""
    return can_manage_unit_calendar(user, exception.unit)


def calendar_exceptions_visible_to(user) -> QuerySet[CalendarException]:
    """Nationwide rows (everyone staff sees what applies to them) and the rows of units the user keeps."""
    ids = managed_unit_ids(user)
    if ids is None:
        return CalendarException.objects.all()
    return CalendarException.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=ids))


def office_hours_visible_to(user) -> QuerySet[OfficeHours]:
    ids = managed_unit_ids(user)
    return OfficeHours.objects.all() if ids is None else OfficeHours.objects.filter(unit_id__in=ids)
