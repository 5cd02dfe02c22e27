"""One cache token for everything the public catalogue shows, so whole answers can be cached.

The catalogue API's answers, the rendered result lists of the catalogue page and the procedures the
detail pages show are cached under keys that contain this token (and the working calendar's, since
deadline figures come from it). Any save or delete of a procedure, document, step, field, unit or a
unit's own choice (UnitProcedure), any change of the units offering a procedure, and every `migrate`
(data migrations send no model signals) replaces the token, so nothing cached before the change is read
again. Bulk updates and raw SQL bypass signals: entries also expire after CATALOGUE_CACHE_TTL, which
bounds that staleness.
"""

from __future__ import annotations

import hashlib
import logging
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import get_language

from portal.units.calendar.cache import VERSION_KEY as CALENDAR_VERSION_KEY
from portal.units.calendar.cache import calendar_version

logger = logging.getLogger(__name__)

VERSION_KEY = "procedures:catalogue:version"
CATALOGUE_CACHE_TTL = 300


def catalogue_version() -> str:
    """The current token; a fresh one when the cache was cleared, so nothing stale can match."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def invalidate_catalogue(**_signal_kwargs) -> None:
    """Replace the token now (this transaction reads its own writes) and after commit (no other process
    may cache the old rows under the new token while this transaction is still open)."""
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid4().hex, timeout=None))


def catalogue_cache_scope() -> str:
    """Both tokens (one round trip) and the active language: the common part of a request's keys."""
    tokens = cache.get_many([VERSION_KEY, CALENDAR_VERSION_KEY])
    catalogue = tokens.get(VERSION_KEY) or catalogue_version()
    calendar = tokens.get(CALENDAR_VERSION_KEY) or calendar_version()
    return f"procedures:catalogue:{catalogue}:{calendar}:{get_language()}"


def catalogue_cache_key(kind: str, *parts: str, scope: str | None = None) -> str:
    """The key of one cached answer: the scope (read now unless given) and `parts` (e.g. the request's
    full URL, which fixes the filters, the page and the links inside the answer)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"{scope or catalogue_cache_scope()}:{kind}:{digest}"


def connect_signals() -> None:
    """Called from ProceduresConfig.ready(): every write path (services, admin, import, shell) is covered."""
    from portal.units.models import Unit
    from procedures.models import Field, Procedure, ProcessStep, RequiredDocument, UnitProcedure

    # UnitProcedure: the portal unit's own fee and offer are shown on the procedure page.
    for model in (Procedure, RequiredDocument, ProcessStep, Field, Unit, UnitProcedure):
        post_save.connect(invalidate_catalogue, sender=model, dispatch_uid=f"catalogue-cache-save-{model.__name__}")
        post_delete.connect(invalidate_catalogue, sender=model, dispatch_uid=f"catalogue-cache-del-{model.__name__}")
    m2m_changed.connect(invalidate_catalogue, sender=Procedure.units.through, dispatch_uid="catalogue-cache-units")
    post_migrate.connect(_after_migrate, dispatch_uid="catalogue-cache-migrate")


def _after_migrate(**_kwargs) -> None:
    try:
        cache.set(VERSION_KEY, uuid4().hex, timeout=None)
    except Exception:  # a cache that is down must not fail `migrate`; the TTL bounds what stays stale
        logger.warning("could not replace the catalogue cache token after migrate", exc_info=True)
