"""Log in with a phone number, an email address or a staff username."""

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .validators import normalize_phone

# No account's login is longer (username 150, e-mail 254 but then it is also checked here): anything
# longer, or holding a NUL, names no account and must not reach the database at all.
MAX_LOGIN_LENGTH = 254


def storable(text: str) -> bool:
    """Can PostgreSQL hold this text? Not with a NUL, nor with a lone surrogate (JSON can carry one)."""
    return "\0" not in text and not any("\ud800" <= char <= "\udfff" for char in text)


def login_identifier(raw: str) -> str:
    """Canonical form of what a person typed as their login, so lockout counts all spellings."""
    raw = unicodedata.normalize("NFKC", raw or "").strip()
    if "@" in raw:
        return raw.lower()
    phone = normalize_phone(raw)
    return phone if phone.isascii() and phone.isdigit() and phone.startswith("0") else raw


def resolve_account(raw: str):
    """The one account the login names, or None (unknown, ambiguous, or not a plausible login)."""
    ident = login_identifier(raw)
    if not ident or len(ident) > MAX_LOGIN_LENGTH or not storable(ident):
        return None
    user_model = get_user_model()
    users = list(user_model._default_manager.filter(Q(username=ident) | Q(phone=ident) | Q(email__iexact=ident))[:2])
    return users[0] if len(users) == 1 else None


class PhoneOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = resolve_account(username)
        if user is None:
            # Run the hasher anyway so timing does not reveal which identifiers exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
