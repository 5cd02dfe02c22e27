"""A dossier's life: its statuses, the ONE transition table, and the national portal's sync statuses (pure).

Every status change goes through procedures.services.dossiers.dossier_transition, which reads this table
and nothing else to decide whether an action is allowed from the current status, who may take it, and
what it does to the deadline clock (DESIGN.md §2: "Clock stops", "Timeliness"; §3: one transition table).

- `SUBMITTED` is an online submission not yet received: the clock has not started.
- The desk either receives it (the clock starts), refuses it with a reason, or returns it for guidance:
  an incomplete dossier is not received (Decree 61, Art. 15) — the citizen gets a supplement request and
  resubmits, and the dossier waits in `SUPPLEMENT_REQUESTED` without a receipt.
- During processing a supplement request stops the clock; the supplement restarts or resumes it
  (the unit's clock policy, procedures.domain.clock).
- `DONE` is "result ready" (the dossier is finished: finished_at and timeliness are set); `RETURNED` is
  "result handed to the citizen".
- `REDATE` (the apology letter and its new date) keeps the status and may be taken once.

The enums are Django `TextChoices` (no settings or database needed), so the model fields, the API and this
module share one set of values and labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from .deadlines import Timeliness, timeliness

__all__ = [
    "CLOCK_RUNNING_STATUSES",
    "CLOSED_STATUSES",
    "SWEEP_ACTIONS",
    "FINISHED_STATUSES",
    "NATIONAL_STATUS",
    "OPEN_STATUSES",
    "RECEIVED_STATUSES",
    "TIMELINESS_CHOICES",
    "TRANSITIONS",
    "Action",
    "Channel",
    "Clock",
    "DossierStatus",
    "NationalStatus",
    "Timeliness",
    "Transition",
    "national_status",
    "timeliness",
    "transition_for",
]


class DossierStatus(TextChoices):
    SUBMITTED = "submitted", _("submitted online")
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("supplement requested")
    AWAITING_APPROVAL = "awaiting_approval", _("awaiting approval")
    DONE = "done", _("result ready")
    RETURNED = "returned", _("result returned")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Channel(TextChoices):
    ONLINE = "online", _("online")
    DESK = "desk", _("at the desk")


class NationalStatus(TextChoices):
    """The national public-service portal's sync statuses (for the later synchronisation)."""

    NEW = "new", _("new")
    RECEIVING = "receiving", _("receiving")
    PROCESSING = "processing", _("processing")
    WAITING = "waiting", _("waiting for a supplement")
    PAYING = "paying", _("waiting for payment")
    CANCELLED = "cancelled", _("cancelled")
    UNRESOLVED = "unresolved", _("unresolved")
    RELEASING = "releasing", _("result ready")
    DONE = "done", _("done")
    DENIED = "denied", _("denied")


NATIONAL_STATUS: dict[DossierStatus, NationalStatus] = {
    DossierStatus.SUBMITTED: NationalStatus.NEW,
    DossierStatus.RECEIVED: NationalStatus.RECEIVING,
    DossierStatus.IN_PROGRESS: NationalStatus.PROCESSING,
    DossierStatus.SUPPLEMENT_REQUESTED: NationalStatus.WAITING,
    DossierStatus.AWAITING_APPROVAL: NationalStatus.PROCESSING,
    DossierStatus.DONE: NationalStatus.RELEASING,
    DossierStatus.RETURNED: NationalStatus.DONE,
    DossierStatus.REFUSED: NationalStatus.DENIED,
    DossierStatus.WITHDRAWN: NationalStatus.CANCELLED,
}


def national_status(status: str) -> NationalStatus:
    return NATIONAL_STATUS[DossierStatus(status)]


TIMELINESS_LABELS = {
    Timeliness.EARLY: _("early"),
    Timeliness.ON_TIME: _("on time"),
    Timeliness.LATE: _("late"),
}
TIMELINESS_CHOICES = [(t.value, TIMELINESS_LABELS[t]) for t in Timeliness]

# A dossier with a receipt (received_at and due_at set) in these statuses; SUPPLEMENT_REQUESTED may be
# either (a supplement during processing, or guidance before the receipt).
RECEIVED_STATUSES = frozenset(
    {DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS, DossierStatus.AWAITING_APPROVAL}
    | {DossierStatus.DONE, DossierStatus.RETURNED}
)
# Finished: the result is ready (finished_at and timeliness set, never before).
FINISHED_STATUSES = frozenset({DossierStatus.DONE, DossierStatus.RETURNED})
CLOSED_STATUSES = frozenset({DossierStatus.RETURNED, DossierStatus.REFUSED, DossierStatus.WITHDRAWN})
# In a work queue: anything not closed.
OPEN_STATUSES = frozenset(DossierStatus) - CLOSED_STATUSES
# Received, not finished, clock not stopped: the deadline sweep watches these (a SUPPLEMENT_REQUESTED dossier
# is either not received yet or has its clock stopped, so it is never due).
CLOCK_RUNNING_STATUSES = frozenset({DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS, DossierStatus.AWAITING_APPROVAL})


class Action(TextChoices):
    SUBMIT = "submit", _("submit online")
    RECEIVE = "receive", _("receive")
    RECEIVE_IN_PERSON = "receive_in_person", _("receive in person")
    RETURN_FOR_GUIDANCE = "return_for_guidance", _("return for guidance")
    RESUBMIT = "resubmit", _("resubmit after guidance")
    REFUSE = "refuse", _("refuse")
    ASSIGN = "assign", _("hand over to a specialist")
    REQUEST_SUPPLEMENT = "request_supplement", _("request a supplement")
    SUPPLEMENT = "supplement", _("supplement")
    SUBMIT_FOR_APPROVAL = "submit_for_approval", _("send for approval")
    APPROVE = "approve", _("approve")
    SEND_BACK = "send_back", _("send back")
    FINISH = "finish", _("finish")
    RETURN_RESULT = "return_result", _("return the result")
    WITHDRAW = "withdraw", _("withdraw")
    REDATE = "redate", _("apologise and set a new date")
    # Recorded by the deadline sweep (procedures.services.deadline_sweep); not transitions: no row in TRANSITIONS.
    DUE_SOON = "due_soon", _("flagged: due soon")
    OVERDUE = "overdue", _("flagged: overdue")
    TARGET_MISSED = "target_missed", _("flagged: no-wait target missed")
    STEP_DUE_SOON = "step_due_soon", _("flagged: step due soon")
    STEP_OVERDUE = "step_overdue", _("flagged: step overdue")
    APOLOGY_DRAFTED = "apology_drafted", _("apology letter drafted")
    ESCALATE = "escalate", _("escalated to the unit leader")


class Clock(StrEnum):
    """What an action does to the deadline clock."""

    NONE = "none"
    START = "start"  # the receipt: received_at and due_at are set
    STOP = "stop"  # a supplement request during processing
    RESUME = "resume"  # the supplement arrives: the unit's policy gives the new due time
    FINISH = "finish"  # the result is ready: finished_at and timeliness are set


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    sources: frozenset[DossierStatus]
    target: DossierStatus | None  # None: the status stays (REDATE)
    roles: frozenset[str]
    clock: Clock = Clock.NONE
    # True: only a received dossier; False: only one not yet received; None: either.
    needs_receipt: bool | None = None
    # The action hands the dossier over to someone (a control-slip row).
    hand_over: bool = False
    comment_required: bool = False


S = DossierStatus
# portal.accounts.models.Role values (that module is a models module; tests check these stay in step).
DESK, SPECIALIST, LEADER, CITIZEN = "desk_officer", "specialist", "leader", "citizen"


def _t(action, sources, target, roles, **kw) -> tuple[Action, Transition]:
    return action, Transition(action, frozenset(sources), target, frozenset(roles), **kw)


# Creation (SUBMIT, RECEIVE_IN_PERSON) is not a transition: it has no source status. Every other status change
# is one row here.
TRANSITIONS: dict[Action, Transition] = dict(
    [
        _t(Action.RECEIVE, {S.SUBMITTED}, S.RECEIVED, {DESK}, clock=Clock.START, hand_over=True),
        _t(Action.REFUSE, {S.SUBMITTED, S.AWAITING_APPROVAL}, S.REFUSED, {DESK, LEADER}, comment_required=True),
        _t(
            Action.RETURN_FOR_GUIDANCE,
            {S.SUBMITTED},
            S.SUPPLEMENT_REQUESTED,
            {DESK},
            needs_receipt=False,
            comment_required=True,
        ),
        _t(Action.RESUBMIT, {S.SUPPLEMENT_REQUESTED}, S.SUBMITTED, {CITIZEN}, needs_receipt=False),
        _t(Action.ASSIGN, {S.RECEIVED}, S.IN_PROGRESS, {DESK, LEADER}, hand_over=True),
        _t(
            Action.REQUEST_SUPPLEMENT,
            {S.IN_PROGRESS},
            S.SUPPLEMENT_REQUESTED,
            {SPECIALIST},
            clock=Clock.STOP,
            comment_required=True,
        ),
        _t(
            Action.SUPPLEMENT,
            {S.SUPPLEMENT_REQUESTED},
            S.IN_PROGRESS,
            {CITIZEN, DESK},
            clock=Clock.RESUME,
            needs_receipt=True,
        ),
        _t(Action.SUBMIT_FOR_APPROVAL, {S.IN_PROGRESS}, S.AWAITING_APPROVAL, {SPECIALIST}, hand_over=True),
        _t(Action.APPROVE, {S.AWAITING_APPROVAL}, S.DONE, {LEADER}, clock=Clock.FINISH, hand_over=True),
        _t(Action.SEND_BACK, {S.AWAITING_APPROVAL}, S.IN_PROGRESS, {LEADER}, hand_over=True, comment_required=True),
        # Without an approval step (and the no-wait fast track, where the desk does everything at once).
        _t(Action.FINISH, {S.RECEIVED, S.IN_PROGRESS}, S.DONE, {DESK, SPECIALIST}, clock=Clock.FINISH, hand_over=True),
        _t(Action.RETURN_RESULT, {S.DONE}, S.RETURNED, {DESK}, hand_over=True),
        _t(
            Action.WITHDRAW,
            {S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED},
            S.WITHDRAWN,
            {CITIZEN},
        ),
        _t(
            Action.REDATE,
            {S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_APPROVAL},
            None,
            {DESK, SPECIALIST, LEADER},
            needs_receipt=True,
            comment_required=True,
        ),
    ]
)
del S

# The history actions the sweep writes (flags keep the status: from_status == to_status).
SWEEP_ACTIONS = frozenset(
    {
        Action.DUE_SOON,
        Action.OVERDUE,
        Action.TARGET_MISSED,
        Action.STEP_DUE_SOON,
        Action.STEP_OVERDUE,
        Action.APOLOGY_DRAFTED,
        Action.ESCALATE,
    }
)


def transition_for(action: str) -> Transition:
    """The table's row for `action`; KeyError (ValueError) for an action that is not a transition."""
    return TRANSITIONS[Action(action)]


def allowed_actions(status: str, *, received: bool) -> list[Action]:
    """Actions the table allows from `status` (for buttons; permission is checked separately)."""
    status = DossierStatus(status)
    return [
        t.action
        for t in TRANSITIONS.values()
        if status in t.sources and (t.needs_receipt is None or t.needs_receipt == received)
    ]


def is_allowed(transition: Transition, status: str, *, received: bool) -> bool:
    return DossierStatus(status) in transition.sources and (
        transition.needs_receipt is None or transition.needs_receipt == received
    )
