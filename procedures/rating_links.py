"""Signed rating links: /danh-gia/<code>/?k=<token> opens a dossier's rating form without the phone.

The token is a django.core.signing TimestampSigner signature of the dossier code (salted, so no other signed
value of the portal is accepted here). The code stays in the path, so the token is only the time stamp and
the signature: short enough for the slip's QR code. It is carried in the e-mails sent after the result,
a refusal or a supplement request, and printed on the receipt (procedures.services.documents.rating_url);
the receipt is printed at receipt time, so a link lives RATING_LINK_MAX_AGE_DAYS (default 180), longer than
any dossier's processing. Passing the code + phone check on /danh-gia/ also hands out a fresh link.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

SALT = "procedures.ratings.link"


class BadRatingLink(Exception):
    """The token does not belong to this code (tampered, or for another dossier)."""


class ExpiredRatingLink(BadRatingLink):
    """A genuine token older than RATING_LINK_MAX_AGE_DAYS."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def rating_token(code: str) -> str:
    signed = _signer().sign(code)
    return signed[len(code) + 1 :]


def rating_link_path(code: str) -> str:
    """The signed link's path, /danh-gia/<code>/?k=<token> (absolute URLs: services.documents.rating_url)."""
    from django.urls import reverse

    return f"{reverse('rating_page', args=[code])}?k={rating_token(code)}"


def rating_token_check(code: str, token: str) -> None:
    """Raise BadRatingLink / ExpiredRatingLink unless `token` was made by rating_token(code) recently enough."""
    if not token or len(token) > 200:
        raise BadRatingLink
    try:
        _signer().unsign(f"{code}:{token}", max_age=settings.RATING_LINK_MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired:
        raise ExpiredRatingLink from None
    except signing.BadSignature:
        raise BadRatingLink from None
