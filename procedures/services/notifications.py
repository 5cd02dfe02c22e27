"""In-app notifications: the outbox's in-app rows are the notifications; reading them marks them read."""

from __future__ import annotations

from django.utils import timezone

from procedures.models import OutboxEvent


def notifications_mark_read(*, user, event_ids=None) -> int:
    """Mark the user's unread in-app events read (all of them, or those in `event_ids`); another user's
    events are never touched. Returns how many changed (0 when run twice)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    events = OutboxEvent.objects.filter(recipient=user, channel=OutboxEvent.Channel.IN_APP, read_at__isnull=True)
    if event_ids is not None:
        events = events.filter(pk__in=list(event_ids))
    return events.update(read_at=timezone.now())
