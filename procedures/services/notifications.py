"""Notifications from the transactional outbox (DESIGN.md §3 "Transactional outbox").

A history row gets its events in the same transaction (`outbox_events_create`): an in-app row per recipient
(the row *is* the in-app notification) and, for the kinds worth an e-mail, an e-mail row per recipient with
an address. E-mail rows are handed to the worker only after commit (nothing is sent for a rolled-back
change), and the beat's relay re-enqueues any still undelivered after a while (a lost message, a worker
killed before it acknowledged).

Delivery (`outbox_deliver`) locks the row, skips it if already delivered, sends, and marks it delivered in the
same transaction: two copies of the task cannot both send. The one window left is a worker killed between
the SMTP server accepting the mail and the commit; then the mail goes twice — the at-least-once price every
SMTP sender pays, made as narrow as the commit.
"""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import OutboxEvent

# Who gets an e-mail for what: the applicant at receipt, supplement request, re-dating, result ready, the
# result's return and a refusal (the last two carry the rating link, with the supplement request); staff for
# due soon, overdue and escalations (issue 11). In-app rows are written for every event.
APPLICANT_EMAIL_KINDS = frozenset(
    {
        Action.RECEIVE,
        Action.RECEIVE_IN_PERSON,
        Action.REQUEST_SUPPLEMENT,
        Action.RETURN_FOR_GUIDANCE,
        Action.REDATE,
        Action.APPROVE,
        Action.FINISH,
        Action.RETURN_RESULT,
        Action.REFUSE,
    }
)
STAFF_EMAIL_KINDS = frozenset({Action.DUE_SOON, Action.OVERDUE, Action.ESCALATE, Action.TARGET_MISSED})
RELAY_BATCH = 500


def _wants_email(kind: str, recipient_id: int, applicant_id: int) -> bool:
    if recipient_id == applicant_id:
        return kind in APPLICANT_EMAIL_KINDS
    return kind in STAFF_EMAIL_KINDS


def outbox_events_create(items, *, at) -> list[OutboxEvent]:
    """Write the outbox rows for `items`: (history, dossier_id, applicant_id, kind, recipient ids, payload), and
    enqueue the e-mail rows' delivery after commit. Call inside the history row's transaction."""
    from portal.accounts.models import User

    items = list(items)
    wanted = {r for *_, recipients, _p in items for r in recipients}
    with_email = set(User.objects.filter(pk__in=wanted).exclude(email="").values_list("pk", flat=True))
    rows = []
    for history, dossier_id, applicant_id, kind, recipients, payload in items:
        for recipient in sorted(recipients):
            channels = [OutboxEvent.Channel.IN_APP]
            if recipient in with_email and _wants_email(kind, recipient, applicant_id):
                channels.append(OutboxEvent.Channel.EMAIL)
            rows += [
                OutboxEvent(
                    history=history,
                    dossier_id=dossier_id,
                    kind=kind,
                    channel=channel,
                    recipient_id=recipient,
                    payload=payload,
                    idempotency_key=f"dossier-history:{history.pk}:{channel}:{recipient}",
                    created_at=at,
                )
                for channel in channels
            ]
    created = OutboxEvent.objects.bulk_create(rows)
    email_ids = [e.pk for e in created if e.channel == OutboxEvent.Channel.EMAIL]
    if email_ids:
        transaction.on_commit(lambda: _enqueue(email_ids))
    return created


def _enqueue(ids) -> None:
    from procedures.tasks import deliver_notification

    for pk in ids:
        deliver_notification.delay(pk)


def recipient_language(user) -> str:
    """The recipient's language (User.language, set at registration or by the language switcher); the portal's
    default (Vietnamese) for an unknown value."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _rating_link(event: OutboxEvent) -> str:
    """The signed rating link, for the applicant's e-mail of an event that opens the rating (the result
    returned, a refusal, a supplement request: procedures.services.ratings.RATEABLE_STATUSES)."""
    from procedures.services.documents import rating_url
    from procedures.services.ratings import RATEABLE_STATUSES

    if event.recipient_id != event.dossier.applicant_id or event.payload.get("to") not in RATEABLE_STATUSES:
        return ""
    return rating_url(event.dossier.code)


def render_email(event: OutboxEvent) -> EmailMessage:
    user = event.recipient
    with translation.override(recipient_language(user)):
        context = {
            "user": user,
            "event": event,
            "payload": event.payload,
            "kind": Action(event.kind).label,
            "status": DossierStatus(event.payload.get("to") or DossierStatus.SUBMITTED).label,
            "applicant": event.recipient_id == event.dossier.applicant_id,
            "due": datetime.fromisoformat(event.payload["due"]) if event.payload.get("due") else None,
            "rating_url": _rating_link(event),
        }
        subject = render_to_string("procedures/email/notification_subject.txt", context).strip()
        body = render_to_string("procedures/email/notification_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"X-Motcua-Idempotency-Key": event.idempotency_key},
    )


def outbox_deliver(*, event_id: int) -> str:
    """Send one e-mail row once: "sent", "already" (delivered before), or "gone" (no such row: rolled back
    or deleted). SMTP errors propagate (the row stays undelivered; the task retries)."""
    try:
        return _deliver(event_id)
    except (smtplib.SMTPException, OSError):
        # The send's transaction rolled back; count the failure in a transaction of its own.
        OutboxEvent.objects.filter(pk=event_id).update(attempts=F("attempts") + 1)
        raise


def _deliver(event_id: int) -> str:
    with transaction.atomic(durable=True):
        event = (
            OutboxEvent.objects.select_for_update(of=("self",))
            .select_related("recipient", "dossier")
            .filter(pk=event_id)
            .first()
        )
        if event is None:
            return "gone"
        if event.delivered_at is not None:
            return "already"
        if event.channel == OutboxEvent.Channel.EMAIL and event.recipient.email:
            render_email(event).send(fail_silently=False)
        event.delivered_at = timezone.now()
        event.save(update_fields=["delivered_at"])
    return "sent"


def outbox_relay(*, now=None) -> int:
    """Re-enqueue e-mail rows still undelivered OUTBOX_RELAY_AFTER seconds after they were written; returns how many."""
    now = now or timezone.now()
    # Younger rows are left to the on-commit hand-off.
    relay_after = timedelta(seconds=settings.OUTBOX_RELAY_AFTER)
    ids = list(
        OutboxEvent.objects.filter(
            channel=OutboxEvent.Channel.EMAIL,
            delivered_at__isnull=True,
            created_at__lte=now - relay_after,
            attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:RELAY_BATCH]
    )
    _enqueue(ids)
    return len(ids)


def notifications_mark_read(*, user, event_ids=None) -> int:
    """Mark the user's unread in-app events read (all of them, or those in `event_ids`); another user's
    events are never touched. Returns how many changed (0 when run twice)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    events = OutboxEvent.objects.filter(recipient=user, channel=OutboxEvent.Channel.IN_APP, read_at__isnull=True)
    if event_ids is not None:
        events = events.filter(pk__in=list(event_ids))
    return events.update(read_at=timezone.now())
