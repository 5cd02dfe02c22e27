"""Template context for every page: the navbar's unread-notification badge."""

from __future__ import annotations

from functools import cache

from procedures.selectors.dossiers import unread_notification_count


def notifications(request):
    """`unread_notifications`: a callable the template resolves at most once per request (one COUNT), and
    only on pages that show it to a signed-in user; no query at all for visitors."""
    user = getattr(request, "user", None)

    @cache
    def unread() -> int:
        return unread_notification_count(user) if user is not None else 0

    return {"unread_notifications": unread}
