"""One cache token for every unit's working calendar: any change to office hours, exceptions or the unit
tree replaces it, so cached calendars (in Redis and in each process) are never used again.

A single token rather than one per unit because a nationwide or parent-unit exception changes the
calendars of many units, and such edits are rare.
"""

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "units:calendar:version"


def calendar_version() -> str:
    """The current token; a fresh one when the cache was cleared, so nothing stale can match."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def invalidate_calendars() -> None:
    """Replace the token now (so this transaction reads its own writes) and again after commit (so no
    other process caches the old data under the new token while this transaction is still open)."""
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid4().hex, timeout=None))
