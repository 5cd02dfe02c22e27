"""The public lookup's rate limit: fixed windows counted in the cache (Redis), per client address and per code.

A window is the current multiple of LOOKUP_RATE_WINDOW_SECONDS since the epoch, so every process agrees on
when it ends (the Retry-After) without reading a key's time to live; `add` + `incr` count atomically.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from portal.accounts.lockout import client_ip


def _used(scope: str, subject: str, window: int, index: int) -> int:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]  # any code or address: a short, safe key
    key = f"lookup-rate:{scope}:{index}:{digest}"
    cache.add(key, 0, timeout=window + 1)  # starts the window's counter; a no-op while it runs
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr (only at the window's very end)
        cache.set(key, 1, timeout=window + 1)
        return 1


def lookup_retry_after(request, code: str) -> int | None:
    """Count one lookup of ``code`` by this client; the seconds until the window ends once a limit is passed.

    The client's count comes first: a client over its limit no longer counts against the code, so one
    abuser cannot lock a citizen's code for long (it still can within one window; that is the price).
    """
    window = settings.LOOKUP_RATE_WINDOW_SECONDS
    now = time.time()
    index = int(now // window)
    retry_after = max(1, int((index + 1) * window - now))
    if _used("client", client_ip(request) or "unknown", window, index) > settings.LOOKUP_RATE_PER_CLIENT:
        return retry_after
    if _used("code", code, window, index) > settings.LOOKUP_RATE_PER_CODE:
        return retry_after
    return None
