"""Writes on feedback and complaints (phản ánh, kiến nghị): submit, log, assign, start, answer, reject.

- Codes `PA-{unit code}-{yyMMdd}-{4-digit}` come from a (unit, local day) counter row of their own
  (`FeedbackCounter`, not the dossiers' `DailyCounter`), incremented with `INSERT … ON CONFLICT DO UPDATE …
  RETURNING` in the feedback's transaction: rolled back with it (gap-free), serialised per unit and day.
- The response deadline is FEEDBACK_RESPONSE_WORKING_DAYS working days on the unit's calendar from the receipt
  (settings: the default's source is cited there).
- Every change after the receipt is optimistic: `UPDATE … WHERE status IN (allowed) AND version = read`; no
  row changed means someone else acted first → `FeedbackConflict` (two officers cannot both answer).
- Feedback outside the actor's reach raises `Feedback.DoesNotExist` (404), never a permission error.
- Every change writes its `FeedbackEvent` (who, what, when, status before and after) in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Role
from portal.accounts.validators import normalize_phone, validate_phone
from portal.units.calendar.domain.working_time import VIETNAM_TZ
from portal.units.calendar.selectors import unit_calendar
from portal.units.models import Unit
from procedures.domain.deadlines import Timeliness, timeliness
from procedures.domain.feedback import OPEN_FEEDBACK_STATUSES, FeedbackChannel, FeedbackKind, FeedbackStatus
from procedures.models import Dossier, Feedback, FeedbackCounter, FeedbackEvent, Procedure
from procedures.permissions import (
    can_answer_feedback,
    can_assign_feedback,
    can_log_feedback,
    feedback_assignees,
    feedback_visible_to,
)

MAX_FEEDBACK_SEQUENCE = 9999
FEEDBACK_CODE_PATTERN = r"^PA-[A-Z0-9.]{1,20}-\d{6}-\d{4}$"


class FeedbackConflict(Exception):
    """The feedback changed since the officer read it (another officer acted); `current_status` is its status."""

    def __init__(self, current_status: str):
        self.current_status = current_status
        label = FeedbackStatus(current_status).label if current_status in FeedbackStatus.values else current_status
        super().__init__(
            _("Someone else changed this feedback first; it is now “%(status)s”. Reload it and try again.")
            % {"status": label}
        )


# --- codes and deadlines ------------------------------------------------------------------------------------

UPSERT_COUNTER = (
    "INSERT INTO procedures_feedbackcounter (unit_id, day, last_value) VALUES (%s, %s, 1) "
    "ON CONFLICT (unit_id, day) DO UPDATE SET last_value = procedures_feedbackcounter.last_value + 1 "
    "RETURNING last_value"
)


def feedback_code_allocate(*, unit: Unit, at: datetime) -> str:
    """The next feedback code of `unit` for the local (Vietnam) day of `at`; call inside the feedback's transaction."""
    day = at.astimezone(VIETNAM_TZ).date()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(UPSERT_COUNTER, [unit.pk, day])
            (value,) = cursor.fetchone()
    else:  # SQLite (`make run`): one writer at a time anyway.
        counter, created = FeedbackCounter.objects.select_for_update().get_or_create(
            unit=unit, day=day, defaults={"last_value": 1}
        )
        if not created:
            counter.last_value += 1
            counter.save(update_fields=["last_value"])
        value = counter.last_value
    if value > MAX_FEEDBACK_SEQUENCE:
        raise ValidationError(_("This unit has issued every feedback code of the day."))
    return f"PA-{unit.code}-{day:%y%m%d}-{value:04d}"


def feedback_due_at(*, unit: Unit, received_at: datetime) -> datetime:
    """The response deadline: FEEDBACK_RESPONSE_WORKING_DAYS working days on the unit's calendar (time received
    outside office hours counts from the next working moment, as for dossiers)."""
    return unit_calendar(unit).add_working_days(received_at, settings.FEEDBACK_RESPONSE_WORKING_DAYS)


def feedback_timeliness(feedback: Feedback) -> Timeliness | None:
    """Early / on time / late for closed feedback, against its due time; None while open."""
    if feedback.answered_at is None:
        return None
    return timeliness(feedback.answered_at, feedback.due_at)


# --- input checks -------------------------------------------------------------------------------------------


def _clean_text(value, *, field: str, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("This field is required.")})
    if max_length and len(text) > max_length:
        raise ValidationError(
            {field: _("At most %(max)d characters (this one has %(n)d).") % {"max": max_length, "n": len(text)}}
        )
    return text


def _clean_contact(phone: str, email: str, *, required: bool) -> tuple[str, str]:
    errors = {}
    phone = normalize_phone(phone or "").strip()
    email = (email or "").strip()
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            errors["sender_phone"] = exc.messages
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["sender_email"] = [_("Enter a valid e-mail address, e.g. ten@example.vn.")]
    if required and not phone and not email and not errors:
        errors["sender_phone"] = [_("Give a phone number or an e-mail address so we can reach you.")]
    if errors:
        raise ValidationError(errors)
    return phone, email


def _check_kind(kind: str) -> str:
    if kind not in FeedbackKind.values:
        raise ValidationError({"kind": _("Choose a report or a proposal.")})
    return kind


def dossier_not_matched_message() -> str:
    """One message for an unknown dossier code and a wrong phone: the answer must not tell them apart."""
    return _("No dossier matches this code and phone number. Check both against your receipt.")


def _dossier_for_sender(code: str, phone: str, sender) -> Dossier:
    """The dossier the feedback is about: the signed-in applicant's own, or one whose applicant has `phone`."""
    code = (code or "").strip().upper()
    dossiers = Dossier.objects.select_related("unit", "procedure").filter(code=code)
    if getattr(sender, "is_authenticated", False) and sender.role == Role.CITIZEN and not phone:
        found = dossiers.filter(applicant=sender).first()
    else:
        phone = normalize_phone(phone or "")
        found = dossiers.filter(applicant__phone=phone).first() if phone else None
    if found is None:
        raise ValidationError({"dossier_code": dossier_not_matched_message()})
    return found


def _procedure(value) -> Procedure | None:
    if value in (None, ""):
        return None
    if isinstance(value, Procedure):
        return value
    found = Procedure.objects.filter(code=str(value).strip(), is_active=True).first()
    if found is None:
        raise ValidationError({"procedure": _("No procedure of the catalogue has this code.")})
    return found


# --- create -------------------------------------------------------------------------------------------------


def _create(*, unit: Unit, now: datetime, actor=None, **fields) -> Feedback:
    with transaction.atomic():
        feedback = Feedback(
            code=feedback_code_allocate(unit=unit, at=now),
            unit=unit,
            status=FeedbackStatus.RECEIVED,
            received_at=now,
            due_at=feedback_due_at(unit=unit, received_at=now),
            **fields,
        )
        feedback.save()
        FeedbackEvent.objects.create(
            feedback=feedback,
            actor=actor,
            action=FeedbackEvent.Action.LOG if actor else FeedbackEvent.Action.SUBMIT,
            to_status=feedback.status,
            assignee=feedback.assigned_to,
            at=now,
        )
    return feedback


def feedback_submit(
    *,
    kind: str,
    subject: str,
    content: str,
    sender_name: str = "",
    sender_phone: str = "",
    sender_email: str = "",
    unit: Unit | None = None,
    dossier_code: str = "",
    dossier_phone: str = "",
    procedure=None,
    sender=None,
    now: datetime | None = None,
) -> Feedback:
    """Feedback sent online by anyone. About a dossier: its code with the applicant's phone (like the public
    lookup), or the signed-in applicant's own dossier; the dossier's unit receives it. Otherwise `unit`."""
    now = now or timezone.now()
    signed_in = sender if getattr(sender, "is_authenticated", False) else None
    errors: dict = {}
    cleaned: dict = {}
    for name, value, limit in (("subject", subject, 200), ("content", content, 5000)):
        try:
            cleaned[name] = _clean_text(value, field=name, max_length=limit)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    name = (sender_name or "").strip() or (signed_in.get_full_name() if signed_in else "")
    try:
        cleaned["sender_name"] = _clean_text(name, field="sender_name", max_length=150)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _check_kind(kind)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        phone, email = _clean_contact(sender_phone, sender_email, required=signed_in is None)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        phone = email = ""
    dossier = None
    try:
        if (dossier_code or "").strip():
            dossier = _dossier_for_sender(dossier_code, dossier_phone, signed_in)
        chosen = _procedure(procedure)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        chosen = None
    if dossier is not None:
        unit, chosen = dossier.unit, dossier.procedure
    if unit is None and "unit" not in errors:
        errors["unit"] = [_("Choose the ward or commune the feedback is for.")]
    if errors:
        raise ValidationError(errors)
    return _create(
        unit=unit,
        now=now,
        kind=kind,
        channel=FeedbackChannel.ONLINE,
        dossier=dossier,
        procedure=chosen,
        sender=signed_in,
        sender_phone=phone,
        sender_email=email or (signed_in.email if signed_in and not phone else ""),
        **cleaned,
    )


def feedback_log(
    *,
    actor,
    kind: str,
    channel: str,
    subject: str,
    content: str,
    sender_name: str,
    sender_phone: str = "",
    sender_email: str = "",
    dossier_code: str = "",
    procedure=None,
    assigned_to=None,
    now: datetime | None = None,
) -> Feedback:
    """A desk officer records feedback received by phone, in person or by post, for their unit."""
    if not can_log_feedback(actor):
        raise PermissionDenied(_("Only the unit's desk officers log feedback."))
    now = now or timezone.now()
    errors: dict = {}
    cleaned: dict = {}
    if channel not in FeedbackChannel.values or channel == FeedbackChannel.ONLINE:
        errors["channel"] = [_("Choose how the feedback arrived: by phone, in person or by post.")]
    for name, value, limit in (
        ("subject", subject, 200),
        ("content", content, 5000),
        ("sender_name", sender_name, 150),
    ):
        try:
            cleaned[name] = _clean_text(value, field=name, max_length=limit)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        _check_kind(kind)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        phone, email = _clean_contact(sender_phone, sender_email, required=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        phone = email = ""
    dossier = chosen = None
    try:
        if (dossier_code or "").strip():
            dossier = Dossier.objects.filter(code=dossier_code.strip().upper(), unit_id=actor.unit_id).first()
            if dossier is None:
                raise ValidationError({"dossier_code": _("No dossier of your unit has this code.")})
            chosen = dossier.procedure
        else:
            chosen = _procedure(procedure)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if assigned_to is not None and not feedback_assignees(actor.unit_id).filter(pk=assigned_to.pk).exists():
        errors["assigned_to"] = [_("Choose an officer of your unit.")]
    if errors:
        raise ValidationError(errors)
    return _create(
        unit=actor.unit,
        now=now,
        kind=kind,
        channel=channel,
        dossier=dossier,
        procedure=chosen,
        sender_phone=phone,
        sender_email=email,
        logged_by=actor,
        actor=actor,
        assigned_to=assigned_to,
        **cleaned,
    )


# --- changes ------------------------------------------------------------------------------------------------


def _load(actor, feedback) -> Feedback:
    code = feedback.code if isinstance(feedback, Feedback) else str(feedback)
    return feedback_visible_to(actor).get(code=code)


def _update(feedback: Feedback, *, actor, action: str, version: int, allowed, at=None, **values) -> Feedback:
    """Apply `values` if the row still has `version` and an allowed status, with its event; else FeedbackConflict."""
    before = feedback.status
    with transaction.atomic():
        changed = Feedback.objects.filter(pk=feedback.pk, version=version, status__in=sorted(allowed)).update(
            version=F("version") + 1, **values
        )
        if not changed:
            current = Feedback.objects.filter(pk=feedback.pk).values_list("status", flat=True).first()
            raise FeedbackConflict(current or feedback.status)
        feedback.refresh_from_db()
        FeedbackEvent.objects.create(
            feedback=feedback,
            actor=actor,
            action=action,
            from_status=before,
            to_status=feedback.status,
            assignee=values.get("assigned_to") if action == FeedbackEvent.Action.ASSIGN else None,
            at=at or timezone.now(),
        )
    return feedback


def _version(feedback: Feedback, version) -> int:
    return feedback.version if version is None else int(version)


def feedback_assign(*, actor, feedback, assignee, version: int | None = None) -> Feedback:
    """Hand open feedback to an officer of its unit (a desk officer or a leader of the unit does)."""
    feedback = _load(actor, feedback)
    if not can_assign_feedback(actor, feedback):
        raise PermissionDenied(_("Only the unit's desk officers and leaders hand feedback over."))
    if assignee is None or not feedback_assignees(feedback.unit_id).filter(pk=assignee.pk).exists():
        raise ValidationError({"assigned_to": _("Choose an officer of this unit.")})
    if feedback.status not in OPEN_FEEDBACK_STATUSES:
        raise FeedbackConflict(feedback.status)
    return _update(
        feedback,
        actor=actor,
        action=FeedbackEvent.Action.ASSIGN,
        version=_version(feedback, version),
        allowed=OPEN_FEEDBACK_STATUSES,
        assigned_to=assignee,
    )


def feedback_start(*, actor, feedback, version: int | None = None) -> Feedback:
    """The assignee (or a leader) starts handling received feedback."""
    feedback = _load(actor, feedback)
    if not can_answer_feedback(actor, feedback):
        raise PermissionDenied(_("Only the officer it was handed to, or a leader, handles this feedback."))
    if feedback.status != FeedbackStatus.RECEIVED:
        raise FeedbackConflict(feedback.status)
    values = {"status": FeedbackStatus.IN_PROGRESS}
    if feedback.assigned_to_id is None:
        values["assigned_to"] = actor
    return _update(
        feedback,
        actor=actor,
        action=FeedbackEvent.Action.START,
        version=_version(feedback, version),
        allowed={FeedbackStatus.RECEIVED},
        **values,
    )


def _close(*, actor, feedback, text: str, status: str, field: str, version, published: bool, now) -> Feedback:
    feedback = _load(actor, feedback)
    if not can_answer_feedback(actor, feedback):
        raise PermissionDenied(_("Only the officer it was handed to, or a leader, handles this feedback."))
    text = _clean_text(text, field=field, max_length=10000)
    if feedback.status not in OPEN_FEEDBACK_STATUSES:
        raise FeedbackConflict(feedback.status)
    now = now or timezone.now()
    return _update(
        feedback,
        actor=actor,
        action=FeedbackEvent.Action.ANSWER if status == FeedbackStatus.ANSWERED else FeedbackEvent.Action.REJECT,
        version=_version(feedback, version),
        allowed=OPEN_FEEDBACK_STATUSES,
        at=now,
        status=status,
        answer=text,
        answered_at=now,
        answered_by=actor,
        published=published,
        assigned_to=feedback.assigned_to or actor,
    )


def feedback_answer(
    *, actor, feedback, answer: str, version: int | None = None, published: bool = True, now=None
) -> Feedback:
    """The public answer; on time or late follows from `answered_at` against `due_at` (feedback_timeliness)."""
    return _close(
        actor=actor,
        feedback=feedback,
        text=answer,
        status=FeedbackStatus.ANSWERED,
        field="answer",
        version=version,
        published=published,
        now=now,
    )


def feedback_reject(*, actor, feedback, reason: str, version: int | None = None, now=None) -> Feedback:
    """Not accepted (outside the unit's remit, a duplicate, abusive…): the reason is the answer, not published."""
    return _close(
        actor=actor,
        feedback=feedback,
        text=reason,
        status=FeedbackStatus.REJECTED,
        field="reason",
        version=version,
        published=False,
        now=now,
    )
