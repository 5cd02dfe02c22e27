"""A fixed-window counter in the cache (Redis): how often one client address may use a sensitive form.

Login failures are limited by axes (lockout.py); this covers the forms that send e-mail or reveal that
*something* is registered, which axes does not see.
"""

from django.core.cache import cache

from .lockout import client_ip


def limit_reached(request, scope: str, rate: tuple[int, int], *, count: bool = True) -> bool:
    """True when the client address has used ``scope`` ``rate[0]`` times in the current window.

    With ``count`` the call itself is one use; without, it only looks (to refuse before doing work).
    """
    limit, window = rate
    key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}"
    if not count:
        return (cache.get(key) or 0) >= limit
    cache.add(key, 0, timeout=window)  # starts the window; a no-op while it runs
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        used = 1
    return used > limit
