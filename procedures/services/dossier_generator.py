"""Bulk synthetic dossiers for benchmarks and dashboards (`manage.py generate_dossiers`).

Not a path for real dossiers: rows are written in bulk (COPY on PostgreSQL, bulk_create elsewhere), bypassing
the per-dossier services for speed, but every row satisfies the model's constraints and the services' rules:
- codes come from the same DailyCounter rows the services use, reserved per (unit, day) by batch with the
  services' upsert, so codes are gap-free per unit and day and a later real receipt gets the next one;
- received_at lies in the unit's working time and due_at is procedures.domain.deadlines.due_at on the
  unit's calendar (fetched once per unit); finished dossiers have timeliness from the domain's rule;
- each dossier has its history chain (submission or desk receipt up to its status; inserts only, the
  append-only trigger allows them). No control slip, files or outbox events: they are not needed to
  measure lookups, queues or dashboards.
Everything runs in one transaction: a failure leaves nothing, not even a used code.
"""

from __future__ import annotations

import io
import random
import time as clock
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Role, User
from portal.units.calendar.domain.working_time import VIETNAM_TZ, CalendarError
from portal.units.calendar.selectors import unit_calendar
from portal.units.models import Unit
from procedures.domain import deadlines
from procedures.domain.workflow import Action, Channel, DossierStatus
from procedures.models import Dossier, DossierHistory, OnlineLevel, Procedure, UnitProcedure
from procedures.models.dossiers import MAX_DAILY_SEQUENCE
from procedures.selectors.deadlines import procedure_deadline

MAX_COUNT = 10_000_000
BATCH = 20_000
S = DossierStatus
OPEN_AFTER_RECEIPT = [S.RECEIVED, S.IN_PROGRESS, S.IN_PROGRESS, S.AWAITING_APPROVAL]
# The history chain that leads to each status, after the creation row: (action, from, to, actor role).
CHAIN = {
    S.RECEIVED: [],
    S.IN_PROGRESS: [(Action.ASSIGN, S.RECEIVED, S.IN_PROGRESS, "desk")],
    S.AWAITING_APPROVAL: [
        (Action.ASSIGN, S.RECEIVED, S.IN_PROGRESS, "desk"),
        (Action.SUBMIT_FOR_APPROVAL, S.IN_PROGRESS, S.AWAITING_APPROVAL, "specialist"),
    ],
    S.DONE: [
        (Action.ASSIGN, S.RECEIVED, S.IN_PROGRESS, "desk"),
        (Action.SUBMIT_FOR_APPROVAL, S.IN_PROGRESS, S.AWAITING_APPROVAL, "specialist"),
        (Action.APPROVE, S.AWAITING_APPROVAL, S.DONE, "leader"),
    ],
}
CHAIN[S.RETURNED] = [*CHAIN[S.DONE], (Action.RETURN_RESULT, S.DONE, S.RETURNED, "desk")]
BEFORE_RECEIPT = {  # online dossiers that never got a receipt: status -> (action, actor role, comment)
    S.REFUSED: (Action.REFUSE, "desk", "Hồ sơ không đủ điều kiện tiếp nhận."),
    S.WITHDRAWN: (Action.WITHDRAW, "applicant", ""),
    S.SUPPLEMENT_REQUESTED: (Action.RETURN_FOR_GUIDANCE, "desk", "Đề nghị bổ sung tờ khai."),
}
DOSSIER_COLUMNS = [
    "id",
    "code",
    "procedure_id",
    "unit_id",
    "applicant_id",
    "channel",
    "status",
    "version",
    "submitted_at",
    "received_at",
    "due_at",
    "target_at",
    "redated_at",
    "redated_due_at",
    "redate_reason",
    "stopped_at",
    "remaining_seconds",
    "finished_at",
    "returned_at",
    "timeliness",
    "assigned_to_id",
    "idempotency_key",
    "updated_at",
]
HISTORY_COLUMNS = ["dossier_id", "actor_id", "at", "action", "from_status", "to_status", "comment"]
RESERVE = (
    "INSERT INTO procedures_dailycounter (unit_id, day, last_value) VALUES {values} "
    "ON CONFLICT (unit_id, day) DO UPDATE SET last_value = procedures_dailycounter.last_value + EXCLUDED.last_value "
    "RETURNING unit_id, day, last_value"
)


class GeneratorError(ValueError):
    """Bad options (the command shows the message and exits non-zero)."""


@dataclass
class _Unit:
    unit: Unit
    calendar: object
    procedures: list  # (procedure, Deadline, online?)
    day_starts: list  # cumulative working minutes at the start of each working day
    days: list  # (date, sessions as (start, end) aware datetimes)
    total_minutes: int
    staff: dict  # role name -> user id (or None)

    def moment(self, minute: float) -> datetime:
        """The working moment `minute` working minutes after the start of the range."""
        i = bisect_right(self.day_starts, minute) - 1
        left = minute - self.day_starts[i]
        for start, end in self.days[i][1]:
            length = (end - start).total_seconds() / 60
            if left < length:
                return start + timedelta(minutes=left)
            left -= length
        return self.days[i][1][-1][1] - timedelta(seconds=1)


def _offered(units: list[Unit]) -> dict[int, list[Procedure]]:
    procedures = list(Procedure.objects.filter(is_active=True))
    listed = defaultdict(set)
    for pid, uid in Procedure.units.through.objects.values_list("procedure_id", "unit_id"):
        listed[pid].add(uid)
    declined = set(UnitProcedure.objects.filter(offered=False).values_list("unit_id", "procedure_id"))
    return {
        u.pk: [p for p in procedures if (not listed[p.pk] or u.pk in listed[p.pk]) and (u.pk, p.pk) not in declined]
        for u in units
    }


def _prepare(units: list[Unit], since: date, until: date) -> list[_Unit]:
    offered = _offered(units)
    staff = defaultdict(dict)
    for uid, role, pk in User.objects.filter(unit__in=units, is_active=True).values_list("unit_id", "role", "pk"):
        staff[uid].setdefault(role, pk)
    prepared = []
    for unit in units:
        calendar = unit_calendar(unit)
        procedures = []
        for p in offered[unit.pk]:
            try:
                procedures.append((p, procedure_deadline(p), p.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)))
            except CalendarError:
                continue  # a catalogue row with an unusable deadline: no dossier can be received for it
        if not procedures:
            raise GeneratorError(_("%(unit)s receives no procedure: nothing to generate.") % {"unit": unit.code})
        days, starts, total = [], [], 0
        day = since
        while day <= until:
            sessions = calendar.sessions_on(day)
            if sessions:
                spans = [
                    (datetime.combine(day, s, tzinfo=VIETNAM_TZ), datetime.combine(day, e, tzinfo=VIETNAM_TZ))
                    for s, e in sessions
                ]
                starts.append(total)
                days.append((day, spans))
                total += sum((e - s).total_seconds() / 60 for s, e in spans)
            day += timedelta(days=1)
        if not days:
            raise GeneratorError(_("%(unit)s has no working day in the chosen period.") % {"unit": unit.code})
        roles = staff[unit.pk]
        prepared.append(
            _Unit(
                unit,
                calendar,
                procedures,
                starts,
                days,
                total,
                {
                    "desk": roles.get(Role.DESK_OFFICER),
                    "specialist": roles.get(Role.SPECIALIST),
                    "leader": roles.get(Role.LEADER),
                },
            )
        )
    return prepared


def _dossier(rng: random.Random, u: _Unit, applicant: int, now: datetime) -> tuple[dict, list[tuple]]:
    """One dossier's columns (code left out) and its history rows (actor, at, action, from, to, comment)."""
    procedure, deadline, online = rng.choice(u.procedures)
    online = online and rng.random() < 0.6
    submitted = u.moment(rng.random() * u.total_minutes).astimezone(VIETNAM_TZ)
    submitted = submitted.replace(second=rng.randrange(60), microsecond=0)

    def actor(role):
        return applicant if role == "applicant" else (u.staff[role] or u.staff["desk"] or applicant)

    row = {
        "procedure_id": procedure.pk,
        "unit_id": u.unit.pk,
        "applicant_id": applicant,
        "channel": Channel.ONLINE if online else Channel.DESK,
        "submitted_at": submitted,
        "received_at": None,
        "due_at": None,
        "target_at": None,
        "finished_at": None,
        "returned_at": None,
        "timeliness": "",
        "assigned_to_id": None,
    }
    history = []
    if online:
        history.append((applicant, submitted, Action.SUBMIT, "", S.SUBMITTED, ""))
        r = rng.random()
        received = u.calendar.add_working_time(submitted, timedelta(minutes=rng.randint(5, 480)))
        before = None
        if r < 0.02:
            before = S.REFUSED
        elif r < 0.03:
            before = S.WITHDRAWN
        elif r < 0.06 and now - submitted < timedelta(days=10):
            before = S.SUPPLEMENT_REQUESTED
        elif received > now:
            row["status"] = S.SUBMITTED
            return row, history
        if before is not None:
            action, role, comment = BEFORE_RECEIPT[before]
            at = min(now, submitted + (received - submitted) / 2)
            history.append((actor(role), at, action, S.SUBMITTED, before, comment))
            row["status"] = before
            return row, history
        history.append((actor("desk"), received, Action.RECEIVE, S.SUBMITTED, S.RECEIVED, ""))
    else:
        received = submitted
        history.append((actor("desk"), received, Action.RECEIVE_IN_PERSON, "", S.RECEIVED, ""))
    due = deadlines.due_at(u.calendar, received, deadline)
    row.update(received_at=received, due_at=due)
    if procedure.no_wait and procedure.no_wait_minutes:
        row["target_at"] = deadlines.no_wait_due_at(u.calendar, received, procedure.no_wait_minutes)
    r = rng.random()
    if r < 0.72:  # early, mostly
        finished = received + (due - received) * rng.uniform(0.1, 0.8)
    elif r < 0.93:
        finished = max(received + timedelta(minutes=1), due - timedelta(minutes=rng.randint(1, 120)))
    else:
        finished = u.calendar.add_working_time(due, timedelta(minutes=rng.randint(30, 1440)))
    finished = finished.replace(microsecond=0)
    if finished > now:
        status = rng.choice(OPEN_AFTER_RECEIPT)
        end = now
    else:
        returned = finished + timedelta(minutes=rng.randint(10, 2880))
        status = S.RETURNED if returned <= now and rng.random() < 0.92 else S.DONE
        row.update(finished_at=finished, timeliness=deadlines.timeliness(finished, due).value)
        if status == S.RETURNED:
            row["returned_at"] = returned
        end = finished
    chain = CHAIN[status]
    span = end - received
    for i, (action, source, target, role) in enumerate(chain):
        if action == Action.APPROVE:
            at = finished
        elif action == Action.RETURN_RESULT:
            at = row["returned_at"]
        else:
            at = received + span * (0.1 + 0.5 * i)
        history.append((actor(role), at, action, source, target, ""))
    if status != S.RECEIVED and u.staff["specialist"]:
        row["assigned_to_id"] = u.staff["specialist"]
    row["status"] = status
    return row, history


def _reserve(keys: Counter) -> dict[tuple[int, date], int]:
    """Reserve `n` codes per (unit, day) on the services' counters; returns the first sequence of each."""
    items = sorted(keys.items())
    first = {}
    with connection.cursor() as cursor:
        for start in range(0, len(items), 1000):
            chunk = items[start : start + 1000]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            params = [v for (uid, day), n in chunk for v in (uid, day, n)]
            try:
                with transaction.atomic():
                    cursor.execute(RESERVE.format(values=values), params)
            except IntegrityError:
                raise GeneratorError(
                    _("More than %(max)s dossiers on one day of one unit: choose an earlier --since or more units.")
                    % {"max": MAX_DAILY_SEQUENCE}
                ) from None
            for uid, day, last in cursor.fetchall():
                first[(uid, day)] = last - keys[(uid, day)] + 1
    return first


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _next_ids(n: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('procedures_dossier', 'id')) FROM generate_series(1, %s)", [n]
        )
        return [r[0] for r in cursor.fetchall()]


def _write(rows: list[dict], histories: list[list[tuple]], now: datetime) -> None:
    if connection.vendor == "postgresql":
        ids = _next_ids(len(rows))
        for row, pk in zip(rows, ids, strict=True):
            row.update(id=pk, updated_at=now)
        defaults = {"version": None, "redate_reason": "", "idempotency_key": None}
        _copy(
            "procedures_dossier",
            DOSSIER_COLUMNS,
            (
                [row.get(c, defaults.get(c)) if c != "version" else row["version"] for c in DOSSIER_COLUMNS]
                for row in rows
            ),
        )
        _copy(
            "procedures_dossierhistory",
            HISTORY_COLUMNS,
            ((row["id"], *h) for row, chain in zip(rows, histories, strict=True) for h in chain),
        )
        return
    created = Dossier.objects.bulk_create([Dossier(**row) for row in rows], batch_size=2000)
    DossierHistory.objects.bulk_create(
        [
            DossierHistory(dossier_id=d.pk, actor_id=a, at=at, action=ac, from_status=f, to_status=t, comment=c)
            for d, chain in zip(created, histories, strict=True)
            for a, at, ac, f, t, c in chain
        ],
        batch_size=5000,
    )


def generate_dossiers(
    *, count: int, unit_codes: list[str] | None = None, seed: int | None = None, since: date | None = None, log=None
) -> dict:
    """Create `count` dossiers spread over `unit_codes` (default: every active ward) from `since` (default:
    a year ago) to yesterday; returns counts and the elapsed seconds."""
    started = clock.perf_counter()
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise GeneratorError(_("--count must be a whole number from 1 to %(max)s.") % {"max": f"{MAX_COUNT:,}"})
    now = timezone.now().replace(microsecond=0)
    today = now.astimezone(VIETNAM_TZ).date()
    until = today - timedelta(days=1)
    since = since or today - timedelta(days=365)
    if since > until:
        raise GeneratorError(_("--since must be a day before today."))
    if unit_codes:
        units = list(Unit.objects.filter(code__in=unit_codes, is_active=True).order_by("code"))
        unknown = sorted(set(unit_codes) - {u.code for u in units})
        if unknown:
            raise GeneratorError(_("Unknown or inactive unit: %(codes)s.") % {"codes": ", ".join(unknown)})
    else:
        units = list(Unit.objects.filter(kind=Unit.Kind.WARD, is_active=True).order_by("code"))
        if not units:
            raise GeneratorError(_("There is no ward: run seed_demo first."))
    applicants = list(User.objects.filter(role=Role.CITIZEN, is_active=True).values_list("pk", flat=True))
    if not applicants:
        raise GeneratorError(_("There is no citizen account to file the dossiers: run seed_demo first."))
    rng = random.Random(seed)  # noqa: S311 - synthetic data, repeatable by seed
    prepared = _prepare(units, since, until)
    statuses = Counter()
    histories_written = 0
    with transaction.atomic():
        done = 0
        while done < count:
            n = min(BATCH, count - done)
            batch = [_dossier(rng, rng.choice(prepared), rng.choice(applicants), now) for _i in range(n)]
            batch.sort(key=lambda item: (item[0]["unit_id"], item[0]["submitted_at"]))
            keys = Counter((row["unit_id"], row["submitted_at"].astimezone(VIETNAM_TZ).date()) for row, _h in batch)
            first = _reserve(keys)
            codes = {u.unit.pk: u.unit.code for u in prepared}
            rows, histories = [], []
            for row, history in batch:
                day = row["submitted_at"].astimezone(VIETNAM_TZ).date()
                seq = first[(row["unit_id"], day)]
                first[(row["unit_id"], day)] = seq + 1
                row["code"] = f"{codes[row['unit_id']]}-{day:%y%m%d}-{seq:04d}"
                row["version"] = len(history)
                statuses[row["status"]] += 1
                rows.append(row)
                histories.append([h for h in history])
                histories_written += len(history)
            _write(rows, histories, now)
            done += n
            if log:
                log(done)
    return {
        "dossiers": count,
        "history rows": histories_written,
        "units": len(units),
        "statuses": dict(sorted(statuses.items())),
        "seconds": round(clock.perf_counter() - started, 2),
    }
