"""Writes on accounts: registration of citizens and creation of staff."""

from django.db import transaction

from portal.units.models import Unit

from .models import STAFF_ROLES, Role, User


@transaction.atomic
def citizen_register(*, full_name: str, phone: str, password: str, email: str = "", cccd: str = "") -> User:
    """Create a citizen account; the phone number doubles as the username."""
    user = User(
        username=phone,
        full_name=full_name.strip(),
        phone=phone,
        email=email.strip(),
        cccd=cccd,
        role=Role.CITIZEN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def staff_create(
    *, unit: Unit, role: str, username: str, password: str, full_name: str = "", email: str = "", phone: str = ""
) -> User:
    """Create a staff account in one unit; unit admins can use the admin site."""
    if role not in STAFF_ROLES:
        raise ValueError(f"not a staff role: {role}")
    user = User(
        username=username,
        full_name=full_name or username,
        email=email,
        phone=phone,
        role=role,
        unit=unit,
        is_staff=role == Role.UNIT_ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def login_logs_purge(*, now=None) -> int:
    """Delete login logs older than the retention period; returns how many rows went."""
    from axes.models import AccessFailureLog, AccessLog
    from django.conf import settings
    from django.utils import timezone

    cutoff = (now or timezone.now()) - timezone.timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS)
    deleted = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted
