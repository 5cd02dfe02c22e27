"""Reads of feedback: the staff list (filters, sort by due), the public status by code and contact, and the
published answers (no personal data: subject, procedure, answer and dates only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from portal.accounts.validators import normalize_phone
from procedures.domain.feedback import OPEN_FEEDBACK_STATUSES, FeedbackStatus
from procedures.models import Feedback, FeedbackNotice
from procedures.permissions import feedback_visible_to

STATUS_FILTERS = ("open", *FeedbackStatus.values)
SORTS = {"due": ("due_at", "pk"), "-due": ("-due_at", "-pk"), "received": ("-received_at", "-pk")}
OPEN = sorted(OPEN_FEEDBACK_STATUSES)


def staff_feedback_list(user, *, status: str = "", overdue: bool = False, sort: str = "due", now=None) -> QuerySet:
    """The feedback `user` may see, filtered, with `is_overdue` / `is_due_soon` for the badges."""
    now = now or timezone.now()
    rows = feedback_visible_to(user).select_related("unit", "assigned_to", "procedure")
    if status == "open":
        rows = rows.filter(status__in=OPEN)
    elif status in FeedbackStatus.values:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(status__in=OPEN, due_at__lte=now)
    rows = rows.annotate(
        is_overdue=Case(When(Q(status__in=OPEN, due_at__lte=now), then=Value(True)), default=Value(False)),
        is_due_soon=Case(
            When(Q(status__in=OPEN, due_at__gt=now, due_soon_for=F("due_at")), then=Value(True)),
            default=Value(False),
        ),
    )
    return rows.order_by(*SORTS.get(sort, SORTS["due"]))


def my_feedback_notices(user, *, limit: int = 20) -> list[FeedbackNotice]:
    """The sweep's in-app notices to `user` about feedback still open."""
    return list(
        FeedbackNotice.objects.filter(recipient=user, feedback__status__in=OPEN)
        .select_related("feedback")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class FeedbackPublicStatus:
    code: str
    kind: str
    status: str
    received_at: datetime
    due_at: datetime
    answered_at: datetime | None
    answer: str

    @property
    def status_label(self) -> str:
        return FeedbackStatus(self.status).label


def feedback_public_status(code: str, contact: str) -> FeedbackPublicStatus | None:
    """The feedback with this code whose sender gave this phone or e-mail (or whose account has it); None
    otherwise — an unknown code and a wrong contact get the same answer."""
    code = (code or "").strip().upper()
    contact = (contact or "").strip()
    if not code or not contact:
        return None
    if "@" in contact:
        match = Q(sender_email__iexact=contact) | Q(sender__email__iexact=contact)
    else:
        phone = normalize_phone(contact)
        match = Q(sender_phone=phone) | Q(sender__phone=phone)
    row = Feedback.objects.filter(Q(code=code) & match).first()
    if row is None:
        return None
    return FeedbackPublicStatus(
        row.code, row.kind, row.status, row.received_at, row.due_at, row.answered_at, row.answer
    )


def published_answers() -> QuerySet:
    """Answered feedback whose answer was published, newest first, with no field naming the sender."""
    return (
        Feedback.objects.filter(status=FeedbackStatus.ANSWERED, published=True)
        .select_related("unit", "procedure")
        .only("code", "kind", "subject", "answer", "answered_at", "received_at", "unit__name", "procedure__name")
        .order_by("-answered_at", "-pk")
    )
