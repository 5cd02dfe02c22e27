"""Who may do what with accounts: the role → model-permission backend, and who may manage which account.

Nobody may act on an account with more rights than their own, nor grant a right they lack. A superuser
may do anything; a unit administrator manages the accounts of their unit's subtree that hold no right
beyond the role system (no superuser flag, no group, no individual permission, no role above the wards);
everyone else manages nobody. ``actor=None`` is the system itself (management commands, data migrations).

The role backend below answers only "may this role use that kind of object at all".

This backend answers only "may this role use that kind of object at all" (it decides which admin pages
exist for a user). Which objects (a unit admin keeps only their unit's subtree; only a catalogue editor
changes the shared catalogue) is answered by the area's permissions module — `portal.units.permissions`,
`procedures.permissions` — which every admin, view and API view calls.
"""

from django.db.models import QuerySet

from portal.units.selectors import units_visible_to

from .models import ADMIN_SITE_ROLES, Role, User

VIEW = "view"
ALL = ("view", "add", "change", "delete")

# role -> {model label: actions}. Anything not listed is refused; superusers bypass backends.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.UNIT_ADMIN: {
        # Accounts are deactivated, never deleted: the audit trail must keep who did what.
        "accounts.user": ("view", "add", "change"),
        # New units and their codes come from the superuser; a unit admin keeps their units' set-up.
        "units.unit": ("view", "change"),
        "units.officehours": ALL,
        "units.calendarexception": ALL,
        # The shared catalogue is read-only to a ward; its own choices are UnitProcedure rows.
        "procedures.procedure": (VIEW,),
        "procedures.field": (VIEW,),
        "procedures.requireddocument": (VIEW,),
        "procedures.processstep": (VIEW,),
        "procedures.unitprocedure": ALL,
        # The read-only dossier admin opens for them, but lists only procedures.permissions.dossiers_visible_to:
        # none, as a unit admin keeps set-up, not cases.
        "procedures.dossier": (VIEW,),
    },
    Role.CATALOGUE_EDITOR: {
        # Delete stays with the superuser: procedures are deactivated (procedures.permissions).
        "procedures.procedure": ("view", "add", "change"),
        "procedures.field": ("view", "add", "change"),
        "procedures.requireddocument": ALL,
        "procedures.processstep": ALL,
        "procedures.unitprocedure": (VIEW,),
    },
}


def _codenames(role_permissions: dict[str, tuple[str, ...]]) -> frozenset[str]:
    perms = set()
    for label, actions in role_permissions.items():
        app, model = label.split(".")
        perms.update(f"{app}.{action}_{model}" for action in actions)
    return frozenset(perms)


ROLE_CODENAMES = {role: _codenames(perms) for role, perms in ROLE_PERMISSIONS.items()}


def admin_site_access(user) -> bool:
    """is_staff follows the role: the admin site is for superusers and the roles that keep set-up."""
    return bool(user.is_superuser or user.role in ADMIN_SITE_ROLES)


def assignable_roles(user) -> list[str]:
    """Roles an account manager may give: a unit admin never creates a catalogue editor (above the wards)."""
    if _is_system_or_superuser(user):
        return list(Role.values)
    return [role for role in Role.values if role != Role.CATALOGUE_EDITOR]


class RolePermissionBackend:
    def authenticate(self, request, **credentials):
        return None

    def _codenames(self, user) -> frozenset[str]:
        if not user.is_active or getattr(user, "unit_id", None) is None:
            return frozenset()
        return ROLE_CODENAMES.get(getattr(user, "role", None), frozenset())

    def has_perm(self, user, perm, obj=None) -> bool:
        return perm in self._codenames(user)

    def has_module_perms(self, user, app_label) -> bool:
        return any(perm.startswith(f"{app_label}.") for perm in self._codenames(user))


def _is_unit_admin(actor) -> bool:
    return actor.is_active and actor.role == Role.UNIT_ADMIN and actor.unit_id is not None


def _is_system_or_superuser(actor) -> bool:
    return actor is None or (actor.is_active and actor.is_superuser)


def manageable_users(actor) -> QuerySet:
    """Accounts ``actor`` may see and change; anything outside is "not found" to them, never "forbidden"."""
    users = User.objects.all()
    if _is_system_or_superuser(actor):
        return users
    if not _is_unit_admin(actor):
        return users.none()
    return users.filter(
        unit__in=units_visible_to(actor),
        is_superuser=False,
        groups__isnull=True,
        user_permissions__isnull=True,
        role__in=assignable_roles(actor),
    )


def may_manage(actor, target: User) -> bool:
    return manageable_users(actor).filter(pk=target.pk).exists()


def may_grant(actor, *, role: str, unit, is_superuser: bool = False, groups=(), permissions=()) -> bool:
    """May ``actor`` give an account this role in this unit, with these extra rights?"""
    if _is_system_or_superuser(actor):
        return True
    if not _is_unit_admin(actor) or is_superuser or list(groups) or list(permissions):
        return False
    if role not in assignable_roles(actor) or unit is None:
        return False
    return units_visible_to(actor).filter(pk=unit.pk).exists()


def may_open_citizen_account(actor) -> bool:
    """A desk officer opens a walk-in citizen's account (role citizen, no rights, no password)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.role == Role.DESK_OFFICER
        and actor.unit_id is not None
    )
