"""Model permissions that follow from a staff role, so no group set-up is needed per unit.

Object-level limits (a unit admin sees only their unit's subtree) are applied by each admin's
get_queryset; this backend only answers "may this role use that kind of object at all".
"""

from .models import Role

# Apps a unit administrator manages in the admin site.
UNIT_ADMIN_APPS = frozenset({"accounts", "units", "procedures"})
# Accounts are deactivated, never deleted: the audit trail must keep who did what.
UNIT_ADMIN_DENIED = frozenset({"accounts.delete_user"})


class RolePermissionBackend:
    def authenticate(self, request, **credentials):
        return None

    def _is_unit_admin(self, user) -> bool:
        return user.is_active and getattr(user, "role", None) == Role.UNIT_ADMIN and user.unit_id is not None

    def has_perm(self, user, perm, obj=None) -> bool:
        if not self._is_unit_admin(user) or perm in UNIT_ADMIN_DENIED:
            return False
        return perm.split(".", 1)[0] in UNIT_ADMIN_APPS

    def has_module_perms(self, user, app_label) -> bool:
        return self._is_unit_admin(user) and app_label in UNIT_ADMIN_APPS
