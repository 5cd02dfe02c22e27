"""Log in with a phone number, an email address or a staff username."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .validators import normalize_phone


def login_identifier(raw: str) -> str:
    """Canonical form of what a person typed as their login, so lockout counts all spellings."""
    raw = (raw or "").strip()
    if "@" in raw:
        return raw.lower()
    phone = normalize_phone(raw)
    return phone if phone.isdigit() and phone.startswith("0") else raw


def axes_username(request, credentials):
    """django-axes hook: lock out by the canonical identifier, not by its spelling."""
    # Axes stores it in a 255-character column; nothing that long is anyone's login anyway.
    return login_identifier((credentials or {}).get("username", ""))[:255]


class PhoneOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        ident = login_identifier(username)
        user_model = get_user_model()
        users = list(
            user_model._default_manager.filter(Q(username=ident) | Q(phone=ident) | Q(email__iexact=ident))[:2]
        )
        if len(users) != 1:
            # Run the hasher anyway so timing does not reveal which identifiers exist.
            user_model().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
