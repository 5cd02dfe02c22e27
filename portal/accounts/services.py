"""Writes on accounts: registration, staff creation, admin edits and password changes.

Every write that changes who may do what goes through here, so the rule in ``permissions`` is checked once
for the admin, the management commands and the public pages alike.
"""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.units.models import Unit

from . import lockout
from . import permissions as account_permissions
from .models import STAFF_ROLES, Role, User
from .validators import normalize_cccd, normalize_phone

# Fields an administrator may change through user_update (the password has its own service).
USER_EDITABLE_FIELDS = frozenset(
    {
        "username",
        "full_name",
        "phone",
        "email",
        "cccd",
        "role",
        "unit",
        "is_active",
        "is_superuser",
        "groups",
        "user_permissions",
    }
)


IDENTIFIER_IN_USE = _("This username, phone, e-mail or citizen ID is already used by another account.")


class AccountExists(Exception):
    """Registration met a phone, e-mail, citizen ID or login already in use; which one is never said."""

    message = _(
        "We could not create an account with these details. "
        "If you already have an account, log in or reset your password."
    )


class NotPermitted(PermissionDenied):
    """The actor may not manage this account or may not grant these rights (permissions.py)."""


def identifiers_in_use(*, username: str, phone: str, email: str, cccd: str, exclude_pk=None) -> bool:
    """Would this account share a login or personal identifier with another one?

    A login is looked up by username, phone or e-mail at once, so a username equal to someone's phone
    (or the reverse) would make both accounts ambiguous and neither could log in.
    """
    query = Q(username=username) | Q(phone=username)
    if phone:
        query |= Q(phone=phone) | Q(username=phone)
    if email:
        query |= Q(email__iexact=email) | Q(username__iexact=email)
    if cccd:
        query |= Q(cccd=cccd)
    return User.objects.filter(query).exclude(pk=exclude_pk).exists()


def _set_password(user: User, password: str | None) -> None:
    """Run the validators against the account (similarity sees its name, phone and e-mail), then hash."""
    if password is None:
        user.set_unusable_password()
        return
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from None
    user.set_password(password)


def _save_new(user: User) -> None:
    """Insert in a savepoint: a concurrent registration of the same number is a clean error, not a 500."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise AccountExists() from None


@transaction.atomic
def citizen_register(
    *, full_name: str, phone: str, password: str, email: str = "", cccd: str = "", language: str = ""
) -> User:
    """Create a citizen account; the phone number doubles as the username.

    Raises AccountExists, saying nothing of which identifier was taken (a CCCD is sensitive personal
    data), when any of them belongs to an existing account; nothing is created then.
    """
    phone, cccd, email = normalize_phone(phone), normalize_cccd(cccd), email.strip()
    name = " ".join(full_name.split())
    user = User(username=phone, full_name=name, phone=phone, email=email, cccd=cccd, role=Role.CITIZEN)
    user.language = language or user.language
    if identifiers_in_use(username=phone, phone=phone, email=email, cccd=cccd):
        raise AccountExists()
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    _set_password(user, password)
    _save_new(user)
    return user


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    role: str,
    unit: Unit | None,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    cccd: str = "",
    is_superuser: bool = False,
    groups=(),
    permissions=(),
) -> User:
    """Create any account on behalf of ``actor`` (None = the system), who must be allowed to grant its rights."""
    if not account_permissions.may_grant(
        actor, role=role, unit=unit, is_superuser=is_superuser, groups=groups, permissions=permissions
    ):
        raise NotPermitted(_("You may not grant these rights."))
    user = User(
        username=User.normalize_username(username),
        full_name=full_name or username,
        email=email.strip(),
        phone=phone,
        cccd=cccd,
        role=role,
        unit=unit,
        is_superuser=is_superuser,
    )
    user.is_staff = account_permissions.admin_site_access(user)
    user.full_clean(exclude=["password"])
    if identifiers_in_use(username=user.username, phone=user.phone, email=user.email, cccd=user.cccd):
        raise ValidationError({"username": IDENTIFIER_IN_USE})
    _set_password(user, password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": IDENTIFIER_IN_USE}) from None
    user.groups.set(groups)
    user.user_permissions.set(permissions)
    return user


def staff_create(
    *,
    unit: Unit,
    role: str,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    actor=None,
) -> User:
    """Create a staff account in one unit; unit admins can use the admin site."""
    if role not in STAFF_ROLES:
        raise ValidationError({"role": _("Choose a staff role.")})
    return user_create(
        actor=actor,
        username=username,
        role=role,
        unit=unit,
        password=password,
        full_name=full_name,
        email=email,
        phone=phone,
    )


@transaction.atomic
def user_update(*, actor, user: User, changes: dict) -> User:
    """Apply an administrator's changes; the rule is checked on the stored account and on the result."""
    unknown = set(changes) - USER_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    current = User.objects.select_for_update().get(pk=user.pk)
    if not account_permissions.may_manage(actor, current):
        raise NotPermitted(_("You may not change this account."))
    changes = dict(changes)
    groups = changes.pop("groups", None)
    permissions = changes.pop("user_permissions", None)
    for name, value in changes.items():
        setattr(current, name, value)
    granted = account_permissions.may_grant(
        actor,
        role=current.role,
        unit=current.unit,
        is_superuser=current.is_superuser,
        groups=current.groups.all() if groups is None else groups,
        permissions=current.user_permissions.all() if permissions is None else permissions,
    )
    if not granted:
        raise NotPermitted(_("You may not grant these rights."))
    current.is_staff = account_permissions.admin_site_access(current)
    current.full_clean(exclude=["password"])
    taken = identifiers_in_use(
        username=current.username, phone=current.phone, email=current.email, cccd=current.cccd, exclude_pk=current.pk
    )
    if taken:
        raise ValidationError({"username": IDENTIFIER_IN_USE})
    current.save()
    if groups is not None:
        current.groups.set(groups)
    if permissions is not None:
        current.user_permissions.set(permissions)
    return current


def user_language_set(*, user: User, language: str) -> User:
    """The person's own choice of language for the portal's e-mails to them (the language switcher stores it for
    a signed-in user). ValidationError for a language the portal does not offer."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the portal's languages."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_password_set(*, actor, user: User, password: str | None) -> User:
    """Set (or, with None, disable) a password and lift the account's login lock.

    ``actor`` is the administrator, or the account itself when its owner completes a password reset
    (which proves they hold its e-mail): either way a fresh password makes the lock pointless.
    """
    current = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk != current.pk and not account_permissions.may_manage(actor, current):
        raise NotPermitted(_("You may not change this account."))
    _set_password(current, password)
    current.save(update_fields=["password"])
    lockout.account_unlock(current)
    user.password = current.password
    return current


@transaction.atomic
def user_delete(*, actor, user: User) -> None:
    """Delete an account created by mistake. Accounts are deactivated, not deleted, so the audit trail keeps
    who did what; only a superuser (or the system, ``actor=None``) deletes one."""
    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise NotPermitted(_("Accounts are deactivated, not deleted; only a superuser deletes one."))
    User.objects.filter(pk=user.pk).delete()


def login_logs_purge(*, now=None) -> int:
    """Delete login logs older than the retention period; returns how many rows went."""
    from axes.models import AccessFailureLog, AccessLog
    from django.conf import settings
    from django.utils import timezone

    cutoff = (now or timezone.now()) - timezone.timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS)
    deleted = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted


@transaction.atomic
def citizen_create_at_desk(*, actor, full_name: str, phone: str, cccd: str = "", email: str = "") -> User:
    """A citizen's account opened by a desk officer for a walk-in applicant: no password is set or mailed
    (the citizen sets one later through "forgot password"). Raises AccountExists like registration."""
    if not account_permissions.may_open_citizen_account(actor):
        raise NotPermitted(_("Only a desk officer opens a citizen's account at the desk."))
    phone, cccd, email = normalize_phone(phone), normalize_cccd(cccd), email.strip()
    user = User(
        username=phone, full_name=" ".join(full_name.split()), phone=phone, email=email, cccd=cccd, role=Role.CITIZEN
    )
    if identifiers_in_use(username=phone, phone=phone, email=email, cccd=cccd):
        raise AccountExists()
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    user.set_unusable_password()
    _save_new(user)
    return user
