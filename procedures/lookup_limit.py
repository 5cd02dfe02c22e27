"""The public lookup's rate limit: fixed windows counted in the cache (Redis), per client address and per code.

A window is the current multiple of LOOKUP_RATE_WINDOW_SECONDS since the epoch, so every process agrees on
when it ends (the Retry-After) without reading a key's time to live.

On Redis both counters are counted by one script in one round trip (atomic, like `add` + `incr` per counter,
which cost six round trips: a third of a lookup's time, bench/dossiers.py). Other caches (a developer's
local memory cache) take the same rule through the cache API.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from portal.accounts.lockout import client_ip

# KEYS: the client's and the code's counters; ARGV: time to live, client limit, code limit.
# 0: within both limits; 1: the client is over its limit (the code is then not counted); 2: the code is.
COUNT_BOTH = """
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if used > tonumber(ARGV[2]) then return 1 end
used = redis.call('INCR', KEYS[2])
if used == 1 then redis.call('EXPIRE', KEYS[2], ARGV[1]) end
if used > tonumber(ARGV[3]) then return 2 end
return 0
"""
_script = None  # redis-py's Script (EVALSHA, loading the script once per server), made on first use


def _key(scope: str, subject: str, index: int) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]  # any code or address: a short, safe key
    return f"lookup-rate:{scope}:{index}:{digest}"


def _used(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window + 1)  # starts the window's counter; a no-op while it runs
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr (only at the window's very end)
        cache.set(key, 1, timeout=window + 1)
        return 1


def _over_limits(keys: tuple[str, str], window: int) -> bool:
    limits = (settings.LOOKUP_RATE_PER_CLIENT, settings.LOOKUP_RATE_PER_CODE)
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        global _script
        client = backend._cache.get_client(write=True)
        if _script is None:
            _script = client.register_script(COUNT_BOTH)
        raw = [backend.make_key(key) for key in keys]
        return _script(keys=raw, args=[window + 1, *limits], client=client) != 0
    if _used(keys[0], window) > limits[0]:
        return True
    return _used(keys[1], window) > limits[1]


def lookup_retry_after(request, code: str) -> int | None:
    """Count one lookup of ``code`` by this client; the seconds until the window ends once a limit is passed.

    The client's count comes first: a client over its limit no longer counts against the code, so one
    abuser cannot lock a citizen's code for long (it still can within one window; that is the price).
    """
    window = settings.LOOKUP_RATE_WINDOW_SECONDS
    now = time.time()
    index = int(now // window)
    keys = (_key("client", client_ip(request) or "unknown", index), _key("code", code, index))
    if _over_limits(keys, window):
        return max(1, int((index + 1) * window - now))
    return None
