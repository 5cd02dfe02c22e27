"""Writes on dossiers: submission, receipt, and the one transition service (DESIGN.md §2, §3).

Each public function runs in one transaction that writes the dossier, its history row, its control-slip
row and its outbox events together: a rolled-back change leaves no event, no history and no used code.

- Codes `{unit code}-{yyMMdd}-{4-digit}` come from a (unit, local day) counter row incremented with
  `INSERT … ON CONFLICT DO UPDATE … RETURNING` in the same transaction (rolled back with it: gap-free;
  the row lock serialises concurrent receipts of one unit and day).
- Transitions are optimistic: `UPDATE … WHERE status = expected AND version = read`; no row changed means
  someone else acted first → `Conflict` carrying the current status (the API's 409).
- Objects outside the actor's reach raise `Dossier.DoesNotExist` (404), never a permission error.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Role
from portal.units.calendar.domain.working_time import VIETNAM_TZ, CalendarError
from portal.units.calendar.selectors import unit_calendar
from procedures.domain.clock import ClockPolicy, DeadlineClock
from procedures.domain.workflow import (
    Action,
    Channel,
    Clock,
    DossierStatus,
    is_allowed,
    timeliness,
    transition_for,
)
from procedures.models import (
    ControlSlipEntry,
    DailyCounter,
    Dossier,
    DossierDocument,
    DossierHistory,
    OnlineLevel,
    Procedure,
    RequiredDocument,
)
from procedures.models.dossiers import MAX_DAILY_SEQUENCE
from procedures.permissions import can_act_on_dossier, can_receive_in_person, dossiers_visible_to
from procedures.selectors.deadlines import no_wait_due_at, procedure_deadline, procedure_due_at
from procedures.selectors.dossiers import units_offering

from .documents import documents_issue_for_event
from .notifications import outbox_events_create
from .uploads import CheckedUpload, check_uploads


class Conflict(Exception):
    """The dossier is not (or no longer) in the status the action needs; `current_status` is what it is."""

    def __init__(self, current_status: str, message: str | None = None):
        self.current_status = current_status
        super().__init__(
            message or _("The dossier is now “%(status)s”; reload it and try again.") % {"status": current_status}
        )


# --- codes --------------------------------------------------------------------------------------------------

UPSERT_COUNTER = (
    "INSERT INTO procedures_dailycounter (unit_id, day, last_value) VALUES (%s, %s, 1) "
    "ON CONFLICT (unit_id, day) DO UPDATE SET last_value = procedures_dailycounter.last_value + 1 "
    "RETURNING last_value"
)


def dossier_code_allocate(*, unit, at: datetime) -> str:
    """The next code of `unit` for the local (Vietnam) day of `at`; call inside the dossier's transaction."""
    day = at.astimezone(VIETNAM_TZ).date()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(UPSERT_COUNTER, [unit.pk, day])
            (value,) = cursor.fetchone()
    else:  # SQLite (`make run`): one writer at a time anyway; the lock is for form's sake.
        counter, created = DailyCounter.objects.select_for_update().get_or_create(
            unit=unit, day=day, defaults={"last_value": 1}
        )
        if not created:
            counter.last_value += 1
            counter.save(update_fields=["last_value"])
        value = counter.last_value
    if value > MAX_DAILY_SEQUENCE:  # SQLite has no CHECK on the upsert path; PostgreSQL raised already
        raise ValidationError(_("This unit has issued every dossier code of the day."))
    return f"{unit.code}-{day:%y%m%d}-{value:04d}"


# --- shared pieces ------------------------------------------------------------------------------------------


def _unit_offers(procedure: Procedure, unit) -> bool:
    """Active, received by this unit (procedures.selectors.dossiers.units_offering holds the rule)."""
    return unit is not None and units_offering(procedure).filter(pk=unit.pk).exists()


def is_mandatory(document: RequiredDocument) -> bool:
    """A required document with a "when it is needed" note is conditional; without one it is mandatory."""
    return not document.note.strip()


def _check_documents(procedure: Procedure, items: list[tuple[RequiredDocument, object]], ticked=()) -> None:
    documents = {d.pk: d for d in procedure.documents.all()}
    foreign = [d for d, _f in items if d.pk not in documents] + [d for d in ticked if d.pk not in documents]
    if foreign:
        raise ValidationError(_("“%(document)s” is not a document of this procedure.") % {"document": foreign[0]})
    given = {d.pk for d, _f in items} | {d.pk for d in ticked}
    missing = [d for d in documents.values() if is_mandatory(d) and d.pk not in given]
    if missing:
        raise ValidationError(
            [_("%(document)s: this document is required.") % {"document": d} for d in missing],
        )


def _store_documents(dossier: Dossier, uploads: list[CheckedUpload], actor, stored: list[str]) -> None:
    for upload in uploads:
        row = DossierDocument(
            dossier=dossier,
            required_document=upload.required_document,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        row.file.save(upload.original_name, upload.file, save=False)
        stored.append(row.file.name)
        row.save()


def _discard_files(names: list[str]) -> None:
    """Files written before a rollback: the rows are gone, so are the files."""
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _record(dossier: Dossier, *, actor, action, from_status: str, to_status: str, at, comment="", to_user=None):
    """The history row and its outbox events (the applicant always; the receiver of a hand-over too)."""
    history = DossierHistory.objects.create(
        dossier=dossier,
        actor=actor,
        at=at,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    payload = {"code": dossier.code, "action": str(action), "from": from_status, "to": to_status}
    recipients = {dossier.applicant_id}
    if to_user is not None and to_user.pk != actor.pk:
        recipients.add(to_user.pk)
    outbox_events_create([(history, dossier.pk, dossier.applicant_id, action, recipients, payload)], at=at)
    return history


def _close_open_step(dossier: Dossier, at: datetime) -> ControlSlipEntry | None:
    last = ControlSlipEntry.objects.filter(dossier=dossier).order_by("-position").first()
    if last is not None and last.step_finished_at is None:
        last.step_finished_at = at
        last.step_timeliness = timeliness(at, last.step_due_at).value if last.step_due_at else ""
        last.save(update_fields=["step_finished_at", "step_timeliness"])
    return last


def _hand_over(dossier: Dossier, *, action, from_user, to_user, at: datetime, closes: bool = False) -> None:
    """One control-slip row: the previous step ends now (with its timeliness) and the next one starts, with
    the allotment of the procedure's process step at this position, if it has one."""
    last = _close_open_step(dossier, at)
    position = (last.position if last else 0) + 1
    step = dossier.procedure.steps.order_by("position", "pk")[position - 1 : position].first()
    allotment = step.allotment_minutes if step is not None and not closes else None
    ControlSlipEntry.objects.create(
        dossier=dossier,
        position=position,
        action=action,
        from_user=from_user,
        to_user=to_user,
        handed_over_at=at,
        step_allotment_minutes=allotment,
        step_due_at=unit_calendar(dossier.unit).add_working_time(at, timedelta(minutes=allotment))
        if allotment
        else None,
        step_finished_at=at if closes else None,
    )


def _receipt(procedure: Procedure, unit, at: datetime) -> dict:
    """received_at and the statutory due_at (what /api/procedures/{code}/due/ says), plus the no-wait target."""
    try:
        return {
            "received_at": at,
            "due_at": procedure_due_at(procedure, received_at=at, unit=unit),
            "target_at": no_wait_due_at(procedure, received_at=at, unit=unit),
        }
    except CalendarError as exc:
        raise ValidationError(_(exc.template) % exc.params) from None


# --- creation -----------------------------------------------------------------------------------------------


def _create(*, applicant, actor, procedure, unit, channel, status, action, uploads, ticked=(), key=None):
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            receipt = _receipt(procedure, unit, now) if status == DossierStatus.RECEIVED else {}
            dossier = Dossier.objects.create(
                code=dossier_code_allocate(unit=unit, at=now),
                procedure=procedure,
                unit=unit,
                applicant=applicant,
                channel=channel,
                status=status,
                submitted_at=now,
                idempotency_key=key,
                **receipt,
            )
            _store_documents(dossier, uploads, actor, stored)
            DossierDocument.objects.bulk_create(
                DossierDocument(dossier=dossier, required_document=d, uploaded_by=actor, uploaded_at=now)
                for d in ticked
                if d.pk not in {u.required_document.pk for u in uploads}
            )
            history = _record(dossier, actor=actor, action=action, from_status="", to_status=status, at=now)
            if status == DossierStatus.RECEIVED:
                _hand_over(dossier, action=action, from_user=applicant, to_user=actor, at=now)
            documents_issue_for_event(dossier=dossier, history=history, actor=actor)
    except BaseException:
        _discard_files(stored)
        raise
    return dossier


def dossier_submission_check(*, applicant, procedure: Procedure, unit, files) -> list[CheckedUpload]:
    """Everything an online submission must pass before anything is stored (also the page's review step):
    a citizen's account, an online procedure the unit receives, every mandatory document, acceptable files."""
    if not (applicant.is_authenticated and applicant.is_active and applicant.role == Role.CITIZEN):
        raise PermissionDenied(_("Only a citizen's account submits dossiers online."))
    if procedure.online_level not in (OnlineLevel.FULL, OnlineLevel.PARTIAL):
        raise ValidationError(_("This procedure cannot be submitted online; bring the documents to the desk."))
    if not _unit_offers(procedure, unit):
        raise ValidationError(_("%(unit)s does not receive this procedure.") % {"unit": unit})
    items = list(files)
    _check_documents(procedure, items)
    return check_uploads(items)


def dossier_submit_online(*, applicant, procedure: Procedure, unit, files, idempotency_key: str | None = None):
    """A citizen's online submission (status SUBMITTED; the clock starts only at the desk's receipt).

    `files`: (RequiredDocument, uploaded file) pairs. A retried call with the same `idempotency_key` returns
    the dossier the first one created (the key is the only duplicate test: two keys, two dossiers).
    """
    key = (idempotency_key or "").strip()[:100] or None
    if key:
        existing = Dossier.objects.filter(applicant=applicant, idempotency_key=key).first()
        if existing is not None:
            return existing
    uploads = dossier_submission_check(applicant=applicant, procedure=procedure, unit=unit, files=files)
    try:
        return _create(
            applicant=applicant,
            actor=applicant,
            procedure=procedure,
            unit=unit,
            channel=Channel.ONLINE,
            status=DossierStatus.SUBMITTED,
            action=Action.SUBMIT,
            uploads=uploads,
            key=key,
        )
    except IntegrityError:
        # The same key raced in from a second request: its dossier is the answer.
        existing = key and Dossier.objects.filter(applicant=applicant, idempotency_key=key).first()
        if existing:
            return existing
        raise


def dossier_receive_in_person(*, actor, applicant, procedure: Procedure, documents_checked, files=()):
    """The desk receives a citizen's paper dossier: complete (every mandatory document ticked or scanned) or
    not received at all. Received at once: code, receipt, due time, first control-slip row."""
    unit = actor.unit if getattr(actor, "unit_id", None) else None
    if not can_receive_in_person(actor, unit):
        raise PermissionDenied(_("Only a desk officer of the unit receives dossiers in person."))
    if applicant.role != Role.CITIZEN:
        raise ValidationError(_("The applicant must be a citizen's account."))
    if not _unit_offers(procedure, unit):
        raise ValidationError(_("%(unit)s does not receive this procedure.") % {"unit": unit})
    ticked = list(documents_checked)
    items = list(files)
    _check_documents(procedure, items, ticked)
    uploads = check_uploads(items)
    return _create(
        applicant=applicant,
        actor=actor,
        procedure=procedure,
        unit=unit,
        channel=Channel.DESK,
        status=DossierStatus.RECEIVED,
        action=Action.RECEIVE_IN_PERSON,
        uploads=uploads,
        ticked=ticked,
    )


# --- transitions --------------------------------------------------------------------------------------------


def _clock(dossier: Dossier) -> DeadlineClock:
    # A no-wait dossier that needed a supplement falls back to the statutory deadline on a restart.
    return DeadlineClock(
        unit_calendar(dossier.unit),
        procedure_deadline(dossier.procedure),
        ClockPolicy(dossier.unit.clock_policy),
        dossier.received_at,
        dossier.due_at,
        dossier.stopped_at,
        timedelta(seconds=dossier.remaining_seconds) if dossier.remaining_seconds is not None else None,
    )


def _assignee(dossier: Dossier, user):
    if user is None or not (user.is_active and user.role == Role.SPECIALIST and user.unit_id == dossier.unit_id):
        raise ValidationError(_("Choose a specialist of the unit to hand the dossier over to."))
    return user


def _approver(dossier: Dossier, user):
    """The leader a dossier goes to for approval: optional, but when named, an active leader of its unit."""
    if user is not None and not (user.is_active and user.role == Role.LEADER and user.unit_id == dossier.unit_id):
        raise ValidationError(_("Choose a leader of the unit to send the dossier to for approval."))
    return user


def _changes(transition, dossier: Dossier, *, actor, now: datetime, comment: str, extra: dict) -> tuple[dict, object]:
    """The columns `transition` changes on `dossier` at `now`, and the receiver of a hand-over."""
    action, clock = transition.action, transition.clock
    changes: dict = {}
    to_user = None
    if clock is Clock.START:
        changes.update(_receipt(dossier.procedure, dossier.unit, now))
    elif clock is Clock.STOP:
        stopped = _clock(dossier).stop(now)
        changes.update(stopped_at=now, remaining_seconds=int(stopped.remaining.total_seconds()))
    elif clock is Clock.RESUME:
        resumed = _clock(dossier).resume(now)
        changes.update(received_at=resumed.received_at, due_at=resumed.due_at, stopped_at=None, remaining_seconds=None)
        # The apology's date is superseded by a later due time from the new receipt (still re-dated once).
        if dossier.redated_due_at is not None and dossier.redated_due_at <= resumed.due_at:
            changes["redated_due_at"] = None
    elif clock is Clock.FINISH:
        changes.update(finished_at=now, timeliness=timeliness(now, dossier.due_at).value)

    if action == Action.RECEIVE:
        to_user = actor  # the receipt: from the applicant to the desk officer
    elif action == Action.ASSIGN:
        to_user = _assignee(dossier, extra.get("assignee"))
        changes["assigned_to"] = to_user
    elif action == Action.SEND_BACK:
        to_user = dossier.assigned_to
    elif action == Action.SUBMIT_FOR_APPROVAL:
        to_user = _approver(dossier, extra.get("leader"))
    elif action == Action.RETURN_RESULT:
        changes["returned_at"] = now
        to_user = dossier.applicant
    elif action == Action.WITHDRAW:
        changes.update(stopped_at=None, remaining_seconds=None)
    elif action == Action.REDATE:
        new_due = extra.get("new_due_at")
        if not isinstance(new_due, datetime) or new_due.tzinfo is None:
            raise ValidationError(_("Give the new due time, with its time zone."))
        if dossier.redated_at is not None:
            raise ValidationError(_("A dossier may be re-dated only once."))
        if new_due <= dossier.due_at:
            raise ValidationError(_("The new due time must be later than the current one."))
        changes.update(redated_at=now, redated_due_at=new_due, redate_reason=comment)
    return changes, to_user


def dossier_transition(
    *, actor, dossier: Dossier | str, action: str, expected_status: str, comment: str = "", **extra
) -> Dossier:
    """Take `action` on the dossier (an instance or its code), which the caller saw in `expected_status`.

    Checks the transition table and the actor's permission, applies the clock, and writes the status, the
    history row, the control slip and the outbox events in one transaction. `extra`: `assignee` (ASSIGN),
    `leader` (SUBMIT_FOR_APPROVAL, optional), `new_due_at` (REDATE), `files` (SUPPLEMENT / RESUBMIT:
    (RequiredDocument, file) pairs).

    Raises Dossier.DoesNotExist (outside the actor's reach), PermissionDenied (visible, but not theirs to
    act on), Conflict (status moved on, or the action is not allowed from it), ValidationError (bad input).
    """
    try:
        transition = transition_for(action)
    except (KeyError, ValueError):
        raise ValidationError(_("Unknown action: %(action)s.") % {"action": str(action)[:40]}) from None
    code = dossier if isinstance(dossier, str) else dossier.code
    comment = (comment or "").strip()
    refused = _("You may not take the action “%(action)s” on this dossier.")
    stored: list[str] = []
    try:
        with transaction.atomic():
            current = dossiers_visible_to(actor).select_related("procedure", "unit", "applicant").get(code=code)
            # The role first (a citizen never approves), then the status (409), then the object's own rules.
            if getattr(actor, "role", None) not in transition.roles:
                raise PermissionDenied(refused % {"action": transition.action.label})
            if current.status != expected_status:
                raise Conflict(current.status)
            if not is_allowed(transition, current.status, received=current.is_received):
                raise Conflict(
                    current.status,
                    _("“%(action)s” is not possible while the dossier is “%(status)s”.")
                    % {"action": transition.action.label, "status": DossierStatus(current.status).label},
                )
            if not can_act_on_dossier(actor, current, transition.action):
                raise PermissionDenied(refused % {"action": transition.action.label})
            if transition.comment_required and not comment:
                raise ValidationError(_("Give a reason."))
            now = timezone.now()
            changes, to_user = _changes(transition, current, actor=actor, now=now, comment=comment, extra=extra)
            uploads: list[CheckedUpload] = []
            if transition.action in (Action.SUPPLEMENT, Action.RESUBMIT):
                items = list(extra.get("files") or ())
                if not items:
                    raise ValidationError(_("Upload the documents asked for."))
                kept = DossierDocument.objects.filter(dossier=current).exclude(file="")
                uploads = check_uploads(
                    items,
                    stored_bytes=sum(kept.values_list("size", flat=True)),
                    stored_count=kept.count(),
                )
                _check_documents(current.procedure, items, ticked=list(current.procedure.documents.all()))
            target = transition.target or current.status
            query = Dossier.objects.filter(pk=current.pk, status=expected_status, version=current.version)
            if transition.action == Action.REDATE:
                query = query.filter(redated_at__isnull=True)
            if not query.update(**changes, status=target, version=current.version + 1, updated_at=now):
                raise Conflict(Dossier.objects.filter(pk=current.pk).values_list("status", flat=True).get())
            for name, value in changes.items():
                setattr(current, name, value)
            current.status, current.version = target, current.version + 1
            _store_documents(current, uploads, actor, stored)
            history = _record(
                current,
                actor=actor,
                action=transition.action,
                from_status=expected_status,
                to_status=target,
                at=now,
                comment=comment,
                to_user=to_user,
            )
            if transition.hand_over:
                _hand_over(
                    current,
                    action=transition.action,
                    from_user=current.applicant if transition.action == Action.RECEIVE else actor,
                    to_user=to_user,
                    at=now,
                    closes=transition.action == Action.RETURN_RESULT,
                )
            elif target in (DossierStatus.REFUSED, DossierStatus.WITHDRAWN):
                _close_open_step(current, now)
            documents_issue_for_event(dossier=current, history=history, actor=actor)
    except BaseException:
        _discard_files(stored)
        raise
    return current


def dossier_receive(*, actor, dossier: Dossier | str) -> Dossier:
    """The desk receives an online submission: the clock starts (due time from the unit's calendar)."""
    return dossier_transition(
        actor=actor, dossier=dossier, action=Action.RECEIVE, expected_status=DossierStatus.SUBMITTED
    )
