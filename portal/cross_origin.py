"""Protection from forged cross-site posts without a CSRF token, for the language switch.

Every page carries the language form. With Django's CSRF token in it, every first visit minted a token and set
a cookie, and a page kept for all anonymous visitors (portal/layout.py) still had to be finished per request.
Browsers state where a request comes from, so a forged post can be told from the portal's own:

- ``Sec-Fetch-Site`` (every current browser): only ``same-origin`` (the portal's own page) or ``none`` (typed or
  bookmarked by the user) pass;
- without it, ``Origin`` (older browsers send it on every POST): it must be this site's, or one of
  CSRF_TRUSTED_ORIGINS;
- with neither, the request is not from a browser that could be tricked into sending it, and passes.

This is the rule of Go's ``net/http.CrossOriginProtection`` and OWASP's Fetch Metadata defence. It guards a view
whose only effect is the visitor's own choice of language; forms that change anything else keep Django's token.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SAME_SITE_VALUES = frozenset({"same-origin", "none"})


def cross_origin_refused(request) -> bool:
    """True when a browser says this unsafe request was sent by a page of another site."""
    if request.method in SAFE_METHODS:
        return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS:
        return False
    if fetch_site is not None:
        return fetch_site not in SAME_SITE_VALUES
    if origin is None:
        return False
    parts = urlsplit(origin)
    return parts.netloc.lower() != request.get_host().lower() or parts.scheme != request.scheme


def cross_origin_protected(view):
    """Exempt `view` from the CSRF token check and refuse, with a 403 page, what cross_origin_refused refuses."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if cross_origin_refused(request):
            reason = _("This request came from another website and was refused. Use the form on this portal.")
            return render(request, "errors/403.html", {"reason": reason}, status=403)
        return view(request, *args, **kwargs)

    return csrf_exempt(guarded)
