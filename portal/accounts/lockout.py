"""Login lockout (django-axes): failures count per account, and per client address with a higher limit.

* Per account. Axes keys attempts by what ``lockout_key`` returns: ``user:<pk>`` when the typed login
  (phone in any spelling, e-mail, username) names exactly one account, so 4 wrong guesses with each of
  the phone, the username and the e-mail are 12 failures of one account, not 4 of three. A login that
  names no account is counted by its canonical spelling, cut to a length the log can store.
* Per address. ``AccountOrAddressHandler`` also refuses a client address once the failures recorded from
  it within the cool-off reach ``AXES_IP_FAILURE_LIMIT`` (default 20), so one address cannot lock out
  account after account. It reads axes' own attempt table rather than a separate counter, so both limits
  share one cool-off, one log and one lock page. (Axes' own ``AXES_LOCKOUT_PARAMETERS = ["username",
  "ip_address"]`` would apply the same limit to both, locking a shared office address after 5 failures.)
* The owner can lift the lock at once by resetting the password (``account_unlock``).
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum

from .backends import login_identifier, resolve_account, storable

# AccessAttempt.username is 255 characters; a login longer than any account's is cut, never stored whole.
MAX_KEY_LENGTH = 150


def account_key(user) -> str:
    return f"user:{user.pk}"


def lockout_key(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the account's key when the login names one account, else what was typed."""
    raw = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or ""
    if not isinstance(raw, str):
        raw = str(raw)
    cache = getattr(request, "_lockout_keys", None) if request is not None else None
    if cache is not None and raw in cache:
        return cache[raw]
    user = resolve_account(raw)
    if user:
        key = account_key(user)
    else:
        typed = login_identifier(raw)
        key = (typed if storable(typed) else "".join(c for c in typed if storable(c)))[:MAX_KEY_LENGTH]
    if request is not None:
        try:
            request._lockout_keys = {**(cache or {}), raw: key}
        except AttributeError:  # pragma: no cover - a request object that refuses attributes
            pass
    return key


def account_unlock(user) -> int:
    """Forget the account's failed attempts (after a password reset or an administrator's new password)."""
    return reset(username=account_key(user))


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client's address, behind ``TRUSTED_PROXY_COUNT`` trusted proxies.

    Each proxy appends the address it saw to X-Forwarded-For, so the client is the entry that many places
    from the end; anything before it is what the client claims and is ignored.
    """
    address = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def address_failures(request) -> int:
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountOrAddressHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address limit (see the module docstring)."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return settings.AXES_LOCK_OUT_AT_FAILURE and address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials
