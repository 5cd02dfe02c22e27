"""Who may manage which account, and which rights they may hand out: the one rule the admin and services use.

Nobody may act on an account with more rights than their own, nor grant a right they lack. A superuser
may do anything; a unit administrator manages the accounts of their unit's subtree that hold no right
beyond the role system (no superuser flag, no group, no individual permission); everyone else manages
nobody. ``actor=None`` is the system itself (management commands, data migrations).
"""

from django.db.models import QuerySet

from portal.units.selectors import units_visible_to

from .models import Role, User


def _is_unit_admin(actor) -> bool:
    return actor.is_active and actor.role == Role.UNIT_ADMIN and actor.unit_id is not None


def manageable_users(actor) -> QuerySet:
    """Accounts ``actor`` may see and change; anything outside is "not found" to them, never "forbidden"."""
    users = User.objects.all()
    if actor is None or (actor.is_active and actor.is_superuser):
        return users
    if not _is_unit_admin(actor):
        return users.none()
    return users.filter(
        unit__in=units_visible_to(actor),
        is_superuser=False,
        groups__isnull=True,
        user_permissions__isnull=True,
    )


def may_manage(actor, target: User) -> bool:
    return manageable_users(actor).filter(pk=target.pk).exists()


def may_grant(actor, *, role: str, unit, is_superuser: bool = False, groups=(), permissions=()) -> bool:
    """May ``actor`` give an account this role in this unit, with these extra rights?"""
    if actor is None or (actor.is_active and actor.is_superuser):
        return True
    if not _is_unit_admin(actor) or is_superuser or list(groups) or list(permissions):
        return False
    if role not in Role.values or unit is None:
        return False
    return units_visible_to(actor).filter(pk=unit.pk).exists()
