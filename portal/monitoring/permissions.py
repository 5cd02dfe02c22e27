"""Who may read the background machinery's health: operators (superusers, unit admins) or a monitoring tool
holding HEALTH_TOKEN."""

from __future__ import annotations

import hmac

from django.conf import settings

from portal.accounts.models import Role
from portal.units.permissions import is_active_staff


def can_view_health(user) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return is_active_staff(user, Role.UNIT_ADMIN)


def has_health_token(request) -> bool:
    """The request carries "Authorization: Bearer <HEALTH_TOKEN>" (compared in constant time; none if unset)."""
    token = settings.HEALTH_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
