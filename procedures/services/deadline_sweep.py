"""The deadline sweep: flag running dossiers due soon, overdue or past their no-wait target, and control-slip
steps due soon or overdue against their allotment (DESIGN.md §2 "Apology and new date", §3 principle 7).

Set-based: a handful of UPDATE … RETURNING statements whatever the number of dossiers, each reading a
partial index (migration 0008); each unit's working calendar is built once per run (the "due soon" windows
are working time). Every flag writes a history row (actor None: the system) and its outbox events in the same
transaction as the flag.

Once per state: a dossier's flag records the due time it was raised for, so the same due time is never
flagged twice, while a new one (re-dating, a supplement's new receipt) may be. Concurrency: a transaction-level
advisory lock lets one sweep run at a time (a second one returns at once); inside it, the WHERE of each UPDATE
repeats the "not flagged yet" test, which PostgreSQL re-checks on the locked row, so even without the lock no
row is flagged twice. Flags never bump `Dossier.version`: they are not a status change and must not make an
officer's concurrent transition fail.

Open feedback (phản ánh, kiến nghị) is flagged by the same run and the same rule: due soon (within
FEEDBACK_DUE_SOON_WORKING_DAYS of working time on its unit's calendar) and overdue, each once per due time
(`Feedback.due_soon_for` / `overdue_for`). The assignee, or the unit's leaders while nobody holds it, get an
in-app notice (`FeedbackNotice`, unique per feedback, kind, due time and recipient) and an e-mail in their
language, sent after commit and at most once (procedures.services.feedback_mail). Feedback flags do not bump
`Feedback.version` either.
"""

# ruff: noqa: S608 — the SQL is built from this module's constants only; every value is a parameter.
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.units.calendar.selectors import unit_calendar
from portal.units.models import Unit
from procedures.domain.deadlines import DeadlineUnit
from procedures.domain.feedback import OPEN_FEEDBACK_STATUSES
from procedures.domain.workflow import CLOCK_RUNNING_STATUSES, OPEN_STATUSES, Action
from procedures.models import ApologyDraft, DossierHistory, FeedbackEvent, FeedbackNotice, SweepRun

from .notifications import outbox_events_create

# Any constant: the advisory lock that lets one sweep run at a time.
SWEEP_LOCK = 0x6D6F_7463_7561  # "motcua"
RUNNING = tuple(sorted(CLOCK_RUNNING_STATUSES))  # the same order as the partial index's predicate
OPEN = tuple(sorted(OPEN_STATUSES))

EFFECTIVE_DUE = "COALESCE(d.redated_due_at, d.due_at)"
# The officer responsible for a dossier: its specialist, else whoever received the last hand-over (the desk).
OFFICER = (
    "COALESCE(d.assigned_to_id, (SELECT c.to_user_id FROM procedures_controlslipentry c "
    "WHERE c.dossier_id = d.id ORDER BY c.position DESC LIMIT 1))"
)
# Every RETURNING: id, code, status, unit, responsible user, two details, applicant.
DOSSIER_RETURNING = (
    f"RETURNING d.id, d.code, d.status, d.unit_id, {OFFICER}, d.redated_at IS NOT NULL, {EFFECTIVE_DUE}, d.applicant_id"
)

THRESHOLDS = (
    "WITH t AS (SELECT * FROM unnest(%(units)s::bigint[], %(days)s::timestamptz[], %(hours)s::timestamptz[], "
    "%(steps)s::timestamptz[]) AS t(unit_id, soon_days, soon_hours, soon_step)) "
)

DUE_SOON_SQL = (
    THRESHOLDS
    + f"""UPDATE procedures_dossier d SET due_soon_for = {EFFECTIVE_DUE}
FROM t, procedures_procedure p
WHERE d.status IN %(running)s
  AND {EFFECTIVE_DUE} > %(now)s AND {EFFECTIVE_DUE} <= %(latest)s
  AND d.unit_id = t.unit_id AND p.id = d.procedure_id
  AND {EFFECTIVE_DUE} <= CASE WHEN p.deadline_unit = %(same_day)s THEN t.soon_hours ELSE t.soon_days END
  AND d.due_soon_for IS DISTINCT FROM {EFFECTIVE_DUE}
{DOSSIER_RETURNING}"""
)

OVERDUE_SQL = f"""UPDATE procedures_dossier d SET overdue_for = {EFFECTIVE_DUE}
WHERE d.status IN %(running)s AND {EFFECTIVE_DUE} <= %(now)s AND d.overdue_for IS DISTINCT FROM {EFFECTIVE_DUE}
{DOSSIER_RETURNING}"""

TARGET_MISSED_SQL = f"""UPDATE procedures_dossier d SET target_missed_at = %(now)s
WHERE d.status IN %(running)s AND d.target_missed_at IS NULL AND d.target_at <= %(now)s
{DOSSIER_RETURNING}"""

STEP_RETURNING = "RETURNING d.id, d.code, d.status, d.unit_id, c.to_user_id, c.position, c.step_due_at, d.applicant_id"
STEP_OVERDUE_SQL = f"""UPDATE procedures_controlslipentry c SET step_overdue_at = %(now)s
FROM procedures_dossier d
WHERE c.step_finished_at IS NULL AND c.step_due_at IS NOT NULL AND c.step_overdue_at IS NULL
  AND c.step_due_at <= %(now)s AND d.id = c.dossier_id AND d.status IN %(open)s AND d.stopped_at IS NULL
{STEP_RETURNING}"""
STEP_DUE_SOON_SQL = (
    THRESHOLDS
    + f"""UPDATE procedures_controlslipentry c SET step_due_soon_at = %(now)s
FROM procedures_dossier d, t
WHERE c.step_finished_at IS NULL AND c.step_due_at IS NOT NULL AND c.step_overdue_at IS NULL
  AND c.step_due_soon_at IS NULL AND c.step_due_at > %(now)s AND c.step_due_at <= %(latest)s
  AND d.id = c.dossier_id AND d.status IN %(open)s AND d.stopped_at IS NULL
  AND d.unit_id = t.unit_id AND c.step_due_at <= t.soon_step
{STEP_RETURNING}"""
)


# The units with open dossiers, by a skip scan of the open-dossier index (unit_id, due_at): one index probe per
# unit instead of reading every open dossier (a plain DISTINCT reads ~100,000 rows on a million dossiers).
OPEN_UNITS_SQL = """
WITH RECURSIVE u(unit_id) AS (
  (SELECT unit_id FROM procedures_dossier WHERE status IN %(open)s ORDER BY unit_id LIMIT 1)
  UNION ALL
  SELECT (SELECT d.unit_id FROM procedures_dossier d WHERE d.status IN %(open)s AND d.unit_id > u.unit_id
          ORDER BY d.unit_id LIMIT 1)
  FROM u WHERE u.unit_id IS NOT NULL
)
SELECT unit_id FROM u WHERE unit_id IS NOT NULL
"""


FEEDBACK_OPEN = tuple(sorted(OPEN_FEEDBACK_STATUSES))  # the partial index's predicate order
FEEDBACK_RETURNING = "RETURNING f.id, f.unit_id, f.assigned_to_id, f.due_at, f.status"
FEEDBACK_UNITS_SQL = "SELECT DISTINCT unit_id FROM procedures_feedback WHERE status IN %(fb_open)s"
FEEDBACK_DUE_SOON_SQL = f"""WITH t AS (SELECT * FROM unnest(%(fb_units)s::bigint[], %(fb_soon)s::timestamptz[])
  AS t(unit_id, soon))
UPDATE procedures_feedback f SET due_soon_for = f.due_at
FROM t
WHERE f.status IN %(fb_open)s AND f.due_at > %(now)s AND f.unit_id = t.unit_id AND f.due_at <= t.soon
  AND f.due_soon_for IS DISTINCT FROM f.due_at
{FEEDBACK_RETURNING}"""
FEEDBACK_OVERDUE_SQL = f"""UPDATE procedures_feedback f SET overdue_for = f.due_at
WHERE f.status IN %(fb_open)s AND f.due_at <= %(now)s AND f.overdue_for IS DISTINCT FROM f.due_at
{FEEDBACK_RETURNING}"""


def _feedback_thresholds(cursor, now: datetime) -> dict:
    """Per unit with open feedback, the end of its "due soon" window (working days on the unit's calendar)."""
    unit_ids = [row[0] for row in _run(cursor, FEEDBACK_UNITS_SQL, {"fb_open": FEEDBACK_OPEN})]
    units, soon = [], []
    window = settings.FEEDBACK_DUE_SOON_WORKING_DAYS
    for unit in Unit.objects.filter(pk__in=unit_ids).only("pk"):
        units.append(unit.pk)
        soon.append(unit_calendar(unit).add_working_days(now, window))
    return {"fb_units": units, "fb_soon": soon, "fb_open": FEEDBACK_OPEN}


def _thresholds(cursor, now: datetime) -> dict:
    """Per unit with open dossiers, the end of each "due soon" window: one calendar per unit, built once."""
    unit_ids = [row[0] for row in _run(cursor, OPEN_UNITS_SQL, {"open": OPEN})]
    units, days, hours, steps = [], [], [], []
    day_window = settings.DEADLINE_DUE_SOON_WORKING_DAYS
    hour_window = timedelta(hours=settings.DEADLINE_DUE_SOON_SAME_DAY_WORKING_HOURS)
    step_window = timedelta(minutes=settings.DEADLINE_STEP_DUE_SOON_WORKING_MINUTES)
    for unit in Unit.objects.filter(pk__in=unit_ids).only("pk"):
        calendar = unit_calendar(unit)
        units.append(unit.pk)
        days.append(calendar.add_working_days(now, day_window))
        hours.append(calendar.add_working_time(now, hour_window))
        steps.append(calendar.add_working_time(now, step_window))
    latest = max([*days, *hours, *steps], default=now)
    return {"units": units, "days": days, "hours": hours, "steps": steps, "latest": latest}


def _run(cursor, sql: str, params: dict) -> list[tuple]:
    cursor.execute(sql, params)
    return cursor.fetchall()


def deadline_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Flag what is due soon or overdue at `now` (default: the current time); returns how many of each kind
    were flagged, or {"skipped": 1} when another sweep holds the lock."""
    started = timezone.now()
    now = now or started
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SWEEP_LOCK])
        if not cursor.fetchone()[0]:
            return {"skipped": 1}
        params = {
            **_thresholds(cursor, now),
            "now": now,
            "running": RUNNING,
            "open": OPEN,
            "same_day": DeadlineUnit.SAME_DAY_CUTOFF.value,
        }
        flagged: dict[Action, list[tuple]] = {}
        due_soon = _run(cursor, DUE_SOON_SQL, params) if params["units"] else []
        overdue = _run(cursor, OVERDUE_SQL, params)
        flagged[Action.DUE_SOON] = due_soon
        # Overdue without an apology letter goes to the leader as an escalation; with one, it is "overdue".
        flagged[Action.OVERDUE] = [row for row in overdue if row[5]]
        flagged[Action.ESCALATE] = [row for row in overdue if not row[5]]
        flagged[Action.TARGET_MISSED] = _run(cursor, TARGET_MISSED_SQL, params)
        flagged[Action.STEP_OVERDUE] = _run(cursor, STEP_OVERDUE_SQL, params)
        flagged[Action.STEP_DUE_SOON] = _run(cursor, STEP_DUE_SOON_SQL, params) if params["units"] else []
        _record_flags(flagged, now)
        _draft_apologies([row for row in due_soon if not row[5]], now)
        counts = {str(action): len(rows) for action, rows in flagged.items()}
        counts.update(_flag_feedback(cursor, now))
        SweepRun.objects.create(started_at=started, finished_at=timezone.now(), flagged=counts)
    return counts


def _record_flags(flagged: dict[Action, list[tuple]], now: datetime) -> None:
    """One history row per flag and its in-app events: the officer (or the step's holder) and, for dossier
    flags, the unit's leaders. A few queries however many flags."""
    unit_ids = {row[3] for rows in flagged.values() for row in rows}
    leaders = defaultdict(list)
    for user_id, unit_id in User.objects.filter(role=Role.LEADER, is_active=True, unit_id__in=unit_ids).values_list(
        "pk", "unit_id"
    ):
        leaders[unit_id].append(user_id)
    applicants = {row[0]: row[7] for rows in flagged.values() for row in rows}
    rows, histories = [], []
    for action, found in flagged.items():
        for dossier_id, code, status, unit_id, officer_id, *rest, _applicant in found:
            step = action in (Action.STEP_DUE_SOON, Action.STEP_OVERDUE)
            recipients = {officer_id} if step else {officer_id, *leaders[unit_id]}
            recipients.discard(None)
            payload = {"code": code, "action": str(action), "from": status, "to": status}
            if step:
                payload.update(step=rest[0], due=rest[1].isoformat())
            else:
                payload["due"] = rest[1].isoformat()
            rows.append((dossier_id, action, sorted(recipients), payload))
            histories.append(
                DossierHistory(
                    dossier_id=dossier_id, actor=None, at=now, action=action, from_status=status, to_status=status
                )
            )
    DossierHistory.objects.bulk_create(histories)
    outbox_events_create(
        [
            (history, dossier_id, applicants[dossier_id], action, recipients, payload)
            for history, (dossier_id, action, recipients, payload) in zip(histories, rows, strict=True)
        ],
        at=now,
    )


def _flag_feedback(cursor, now: datetime) -> dict[str, int]:
    """Flag open feedback due soon or overdue (once per due time) and notify whoever answers it."""
    params = {**_feedback_thresholds(cursor, now), "now": now}
    found = {
        FeedbackNotice.Kind.DUE_SOON: _run(cursor, FEEDBACK_DUE_SOON_SQL, params) if params["fb_units"] else [],
        FeedbackNotice.Kind.OVERDUE: _run(cursor, FEEDBACK_OVERDUE_SQL, params),
    }
    unassigned_units = {row[1] for rows in found.values() for row in rows if row[2] is None}
    leaders = defaultdict(list)
    for user_id, unit_id in User.objects.filter(
        role=Role.LEADER, is_active=True, unit_id__in=unassigned_units
    ).values_list("pk", "unit_id"):
        leaders[unit_id].append(user_id)
    notices = [
        FeedbackNotice(feedback_id=feedback_id, recipient_id=recipient, kind=kind, due_at=due, created_at=now)
        for kind, rows in found.items()
        for feedback_id, unit_id, assignee_id, due, _status in rows
        for recipient in ([assignee_id] if assignee_id else leaders[unit_id])
    ]
    FeedbackEvent.objects.bulk_create(
        FeedbackEvent(feedback_id=row[0], actor=None, action=kind, from_status=row[4], to_status=row[4], at=now)
        for kind, rows in found.items()
        for row in rows
    )
    # New rows only: the flag's WHERE lets each (feedback, kind, due time) through once.
    created = FeedbackNotice.objects.bulk_create(notices)
    # With them, notices still unmailed a while after an earlier run (a hand-off lost with a dead worker).
    stale = FeedbackNotice.objects.filter(
        emailed_at__isnull=True,
        created_at__lte=now - timedelta(seconds=settings.OUTBOX_RELAY_AFTER),
        created_at__gt=now - timedelta(days=1),
    ).exclude(recipient__email="")
    ids = [n.pk for n in created] + list(stale.values_list("pk", flat=True)[:500])
    if ids:
        from .feedback_mail import feedback_notices_enqueue

        feedback_notices_enqueue(ids)
    return {f"feedback_{kind}": len(rows) for kind, rows in found.items()}


def _draft_apologies(rows: list[tuple], now: datetime) -> None:
    """A draft apology letter for each due-soon dossier not yet re-dated, assigned to its officer; a dossier
    keeps its one draft (the unique dossier column), so a second due-soon flag adds none."""
    ApologyDraft.objects.bulk_create(
        [ApologyDraft(dossier_id=row[0], officer_id=row[4], created_at=now) for row in rows if row[4] is not None],
        ignore_conflicts=True,
    )


def last_sweep() -> SweepRun | None:
    return SweepRun.objects.order_by("-finished_at", "-pk").first()
