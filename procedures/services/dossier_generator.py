"""Bulk synthetic dossiers for benchmarks and dashboards (`manage.py generate_dossiers`).

Not a path for real dossiers: rows are written in bulk (COPY on PostgreSQL, bulk_create elsewhere), bypassing
the per-dossier services for speed, but every row satisfies the model's constraints and the services' rules:
- codes come from the same DailyCounter rows the services use, reserved per (unit, day) by batch with the
  services' upsert, so codes are gap-free per unit and day and a later real receipt gets the next one;
- received_at lies in the unit's working time and due_at is procedures.domain.deadlines.due_at on the
  unit's calendar (fetched once per unit); finished dossiers have timeliness from the domain's rule;
- each dossier has its history chain (submission or desk receipt up to its status; inserts only, the
  append-only trigger allows them) and its control slip (one row per hand-over, from and to whom the
  services name, without step allotments: no step timeliness). No outbox events: nothing to deliver.
What the dashboards read is made to look like a real district (issue 13):
- volume differs by ward (a fixed profile per ward and seed: 0.5–1.6× the mean) and by day: busier before
  Tết, almost nothing in its week, quieter after it, more in summer and December, Mondays busiest,
  Saturday mornings light, and about 8 % more each year;
- each ward has its own mix of procedures (certification copies and civil status first), its own share of
  online submissions (online-capable procedures only), of late dossiers (0–4 %), of on-time ones and of
  paper documents scanned at the desk;
- no-wait procedures received at the desk go the fast track as procedures.services.no_wait does: the
  citizen's arrival a few minutes before the receipt, the target `no_wait_minutes` of working time after
  it, finished and returned together ~10 minutes later (a few over the target);
- work is spread over each ward's desk officers, specialists and leader (every active one);
- every dossier has one document row per required document: uploaded files for online dossiers and
  scanned ones at the desk, paper only (no file) otherwise; all files name one small shared PDF
  (SAMPLE_FILE), so no disk space is spent per dossier;
- most returned dossiers have a rating (online, or on paper recorded by the desk): mostly very satisfied or
  satisfied, a few dissatisfied ones with a reason.
Everything runs in one transaction: a failure leaves nothing, not even a used code.
"""

from __future__ import annotations

import io
import itertools
import json
import random
import time as clock
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Role, User
from portal.units.calendar.domain.working_time import VIETNAM_TZ, CalendarError
from portal.units.calendar.selectors import unit_calendar
from portal.units.models import Unit
from procedures.domain import deadlines
from procedures.domain.feedback import RatingChannel, RatingCriterion, SatisfactionLevel
from procedures.domain.workflow import Action, Channel, DossierStatus
from procedures.models import (
    OnlineLevel,
    Procedure,
    RequiredDocument,
    UnitProcedure,
)
from procedures.models.dossiers import MAX_DAILY_SEQUENCE
from procedures.selectors.deadlines import procedure_deadline

MAX_COUNT = 10_000_000
MAX_YEARS = 10
BATCH = 20_000
# Synthetic residents who file the dossiers (--citizens): phones from numbers set aside for them, 1,000,000 each.
CITIZEN_PHONE_PREFIXES = ("0399", "0398", "0397")
MAX_CITIZENS = 1_000_000
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Hoài", "Xuân", "Kim")
GIVEN_NAMES = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
)
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
    "arrived_at",
    "redated_at",
    "redated_due_at",
    "redate_reason",
    "stopped_at",
    "remaining_seconds",
    "finished_at",
    "returned_at",
    "timeliness",
    "assigned_to_id",
    "documents_on_file",
    "idempotency_key",
    "updated_at",
]
HISTORY_COLUMNS = ["dossier_id", "actor_id", "at", "action", "from_status", "to_status", "comment"]
DOCUMENT_COLUMNS = [
    "dossier_id",
    "required_document_id",
    "file",
    "original_name",
    "content_type",
    "size",
    "uploaded_at",
    "uploaded_by_id",
]
SLIP_COLUMNS = [
    "dossier_id",
    "position",
    "action",
    "from_user_id",
    "to_user_id",
    "handed_over_at",
    "step_finished_at",
    "step_timeliness",
]
# The actions that hand a dossier over (procedures.domain.workflow's hand_over=True, and the desk receipt).
HAND_OVER = {
    Action.RECEIVE,
    Action.RECEIVE_IN_PERSON,
    Action.ASSIGN,
    Action.SUBMIT_FOR_APPROVAL,
    Action.APPROVE,
    Action.FINISH,
    Action.RETURN_RESULT,
}
RATING_COLUMNS = ["dossier_id", "unit_id", "level", "reason", "criteria", "channel", "recorded_by_id", "rated_at"]
RESERVE = (
    "INSERT INTO procedures_dailycounter (unit_id, day, last_value) VALUES {values} "
    "ON CONFLICT (unit_id, day) DO UPDATE SET last_value = procedures_dailycounter.last_value + EXCLUDED.last_value "
    "RETURNING unit_id, day, last_value"
)
# The one file every generated document names (a valid one-page PDF; downloads work, no disk per dossier).
SAMPLE_FILE = "dossiers/generated/ban-so-hoa-mau.pdf"
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
# How often citizens come for each field: certification copies and civil status fill a ward's desk.
FIELD_WEIGHTS = {
    "chung-thuc": 6.0,
    "ho-tich": 2.5,
    "cu-tru": 2.0,
    "xac-nhan": 1.5,
    "kinh-te": 0.8,
    "bao-tro-xa-hoi": 0.6,
    "nghia-vu-quan-su": 0.4,
}
NO_WAIT_WEIGHT = 2.0  # a no-wait procedure is one people need often (copies, signatures, confirmations)
YEARLY_GROWTH = 0.08
DISSATISFIED_REASONS = [
    "Phải chờ lâu hơn giờ hẹn trả kết quả.",
    "Cán bộ hướng dẫn chưa rõ, phải đi lại bổ sung giấy tờ.",
    "Khu vực chờ đông, thiếu chỗ ngồi.",
    "Không nhận được thông báo khi hồ sơ có kết quả.",
]
CRITERIA = list(RatingCriterion.values)


class GeneratorError(ValueError):
    """Bad options (the command shows the message and exits non-zero)."""


@dataclass(frozen=True)
class _Profile:
    """What makes one ward's figures its own (drawn once per ward and seed)."""

    volume: float  # relative number of dossiers (0.5–1.6)
    online: float  # share of online-capable dossiers submitted online
    late: float  # share of dossiers finished after their due time (0–4 %)
    on_time: float  # share finished on their due day
    scanned: float  # share of desk dossiers whose paper documents are scanned
    rated: float  # share of returned dossiers the citizen rates
    dissatisfied: float
    very_satisfied: float  # of the others: very satisfied, the rest satisfied


def _profile(rng: random.Random) -> _Profile:
    return _Profile(
        volume=rng.uniform(0.5, 1.6),
        online=rng.uniform(0.3, 0.75),
        late=max(0.0, rng.uniform(-0.01, 0.04)),
        on_time=rng.uniform(0.12, 0.35),
        scanned=rng.uniform(0.35, 0.95),
        rated=rng.uniform(0.7, 0.92),
        dissatisfied=max(0.0, rng.uniform(-0.004, 0.015)),
        very_satisfied=rng.uniform(0.6, 0.85),
    )


@dataclass
class _Unit:
    unit: Unit
    calendar: object
    procedures: list  # (procedure, Deadline, online?)
    procedure_weights: list  # cumulative, for a weighted choice
    day_starts: list  # cumulative weighted working minutes at the start of each working day
    day_weights: list  # each working day's weight per minute
    days: list  # (date, sessions as (start, end) aware datetimes)
    total_minutes: float  # weighted
    staff: dict  # role name -> user ids (an empty list when the unit has none)
    profile: _Profile

    def moment(self, minute: float) -> datetime:
        """The working moment at `minute` of the weighted working minutes from the start of the range."""
        i = bisect_right(self.day_starts, minute) - 1
        left = (minute - self.day_starts[i]) / self.day_weights[i]
        for start, end in self.days[i][1]:
            length = (end - start).total_seconds() / 60
            if left < length:
                return start + timedelta(minutes=left)
            left -= length
        return self.days[i][1][-1][1] - timedelta(seconds=1)

    def procedure(self, rng: random.Random):
        return self.procedures[bisect_right(self.procedure_weights, rng.random() * self.procedure_weights[-1])]


def _offered(units: list[Unit]) -> dict[int, list[Procedure]]:
    procedures = list(Procedure.objects.filter(is_active=True).select_related("field"))
    listed = defaultdict(set)
    for pid, uid in Procedure.units.through.objects.values_list("procedure_id", "unit_id"):
        listed[pid].add(uid)
    declined = set(UnitProcedure.objects.filter(offered=False).values_list("unit_id", "procedure_id"))
    return {
        u.pk: [p for p in procedures if (not listed[p.pk] or u.pk in listed[p.pk]) and (u.pk, p.pk) not in declined]
        for u in units
    }


def lunar_new_years(first: int, last: int) -> list[date]:
    """The first day of Tết in each year from `first` to `last` (the holidays package knows the lunar dates)."""
    vn = holidays.country_holidays("VN", years=range(first, last + 1), language="en_US")
    return sorted(day for day, name in vn.items() if name == "Lunar New Year")


def day_weight(day: date, tet_days: list[date], since: date) -> float:
    """Relative demand per working minute on `day`: the season, the weekday and a slow yearly growth."""
    weight = 1.0
    for tet in tet_days:
        delta = (day - tet).days
        if -24 <= delta < 0:
            weight *= 1.6  # papers in order before Tết: the busiest weeks of the year
        elif 0 <= delta <= 7:
            weight *= 0.25  # Tết week: the few working days there are stay quiet
        elif 7 < delta <= 21:
            weight *= 0.8
    if day.month in (7, 8):
        weight *= 1.15  # school transfers and summer moves
    elif day.month == 12:
        weight *= 1.1
    weight *= {0: 1.15, 4: 0.9, 5: 0.8}.get(day.weekday(), 1.0)
    return weight * (1 + YEARLY_GROWTH * (day - since).days / 365)


def _prepare(units: list[Unit], since: date, until: date, rng: random.Random, base_seed) -> list[_Unit]:
    offered = _offered(units)
    staff = defaultdict(lambda: defaultdict(list))
    active = User.objects.filter(unit__in=units, is_active=True).order_by("pk")
    for uid, role, pk in active.values_list("unit_id", "role", "pk"):
        staff[uid][role].append(pk)
    tet_days = lunar_new_years(since.year, until.year + 1)
    prepared = []
    for unit in units:
        # Each ward's profile depends on the seed and its code only: the same ward looks the same in every run.
        unit_rng = random.Random(f"{base_seed}:{unit.code}")  # noqa: S311 - synthetic data
        profile = _profile(unit_rng)
        calendar = unit_calendar(unit)
        procedures, weights, total_weight = [], [], 0.0
        for p in offered[unit.pk]:
            try:
                procedures.append((p, procedure_deadline(p), p.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)))
            except CalendarError:
                continue  # a catalogue row with an unusable deadline: no dossier can be received for it
            weight = FIELD_WEIGHTS.get(p.field.code, 1.0) * unit_rng.lognormvariate(0, 0.5)
            total_weight += weight * (NO_WAIT_WEIGHT if p.no_wait and p.no_wait_minutes else 1)
            weights.append(total_weight)
        if not procedures:
            raise GeneratorError(_("%(unit)s receives no procedure: nothing to generate.") % {"unit": unit.code})
        days, starts, day_weights, total = [], [], [], 0.0
        day = since
        while day <= until:
            sessions = calendar.sessions_on(day)
            if sessions:
                spans = [
                    (datetime.combine(day, s, tzinfo=VIETNAM_TZ), datetime.combine(day, e, tzinfo=VIETNAM_TZ))
                    for s, e in sessions
                ]
                weight = day_weight(day, tet_days, since)
                starts.append(total)
                day_weights.append(weight)
                days.append((day, spans))
                total += weight * sum((e - s).total_seconds() / 60 for s, e in spans)
            day += timedelta(days=1)
        if not days:
            raise GeneratorError(_("%(unit)s has no working day in the chosen period.") % {"unit": unit.code})
        roles = staff[unit.pk]
        prepared.append(
            _Unit(
                unit,
                calendar,
                procedures,
                weights,
                starts,
                day_weights,
                days,
                total,
                {
                    "desk": roles[Role.DESK_OFFICER],
                    "specialist": roles[Role.SPECIALIST],
                    "leader": roles[Role.LEADER],
                },
                profile,
            )
        )
    return prepared


def _rating(rng: random.Random, u: _Unit, returned: datetime, online: bool, desk, now: datetime):
    """(level, reason, criteria, channel, recorded_by, rated_at) for a returned dossier, or None (not rated)."""
    p = u.profile
    if rng.random() >= p.rated:
        return None
    r = rng.random()
    if r < p.dissatisfied:
        level, reason = SatisfactionLevel.DISSATISFIED, rng.choice(DISSATISFIED_REASONS)
    elif r < p.dissatisfied + (1 - p.dissatisfied) * p.very_satisfied:
        level, reason = SatisfactionLevel.VERY_SATISFIED, ""
    else:
        level, reason = SatisfactionLevel.SATISFIED, ""
    low = 0 if level == SatisfactionLevel.DISSATISFIED else 1
    criteria = {c: (2 if rng.random() < 0.85 else low) for c in rng.sample(CRITERIA, rng.randint(0, len(CRITERIA)))}
    paper = desk is not None and rng.random() < (0.15 if online else 0.6)
    if paper:  # the citizen fills in the form at the desk when collecting the result
        rated = returned + timedelta(seconds=rng.randint(30, 600))
    else:
        rated = returned + timedelta(minutes=rng.randint(5, 4320))
    return (
        level,
        reason,
        criteria,
        RatingChannel.PAPER if paper else RatingChannel.ONLINE,
        desk if paper else None,
        min(rated, now),
    )


def _dossier(rng: random.Random, u: _Unit, applicant: int, now: datetime) -> tuple[dict, list[tuple]]:
    """One dossier's columns (code left out) and its history rows (actor, at, action, from, to, comment);
    the row also carries "_documents" (scanned or uploaded?, at, by) and "_rating" for _write."""
    procedure, deadline, online = u.procedure(rng)
    p = u.profile
    online = online and rng.random() < p.online * (1.0 if procedure.online_level == OnlineLevel.FULL else 0.6)
    submitted = u.moment(rng.random() * u.total_minutes).astimezone(VIETNAM_TZ)
    submitted = submitted.replace(second=rng.randrange(60), microsecond=0)
    people = {role: (rng.choice(ids) if ids else None) for role, ids in u.staff.items()}

    def actor(role):
        return applicant if role == "applicant" else (people[role] or people["desk"] or applicant)

    row = {
        "procedure_id": procedure.pk,
        "unit_id": u.unit.pk,
        "applicant_id": applicant,
        "channel": Channel.ONLINE if online else Channel.DESK,
        "submitted_at": submitted,
        "received_at": None,
        "due_at": None,
        "target_at": None,
        "arrived_at": None,
        "finished_at": None,
        "returned_at": None,
        "timeliness": "",
        "assigned_to_id": None,
        "_rating": None,
    }
    if online:
        row["_documents"] = (True, submitted, applicant)
    else:
        row["_documents"] = (rng.random() < p.scanned, submitted, actor("desk"))
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
    no_wait = procedure.no_wait and procedure.no_wait_minutes
    if no_wait:
        row["target_at"] = deadlines.no_wait_due_at(u.calendar, received, procedure.no_wait_minutes)
    if no_wait and not online:
        return _no_wait(rng, u, row, history, procedure.no_wait_minutes, actor("desk"), now)
    r = rng.random()
    if r < p.late:
        finished = u.calendar.add_working_time(due, timedelta(minutes=rng.randint(30, 1440)))
    elif r < p.late + p.on_time:
        finished = max(received + timedelta(minutes=1), due - timedelta(minutes=rng.randint(1, 120)))
    else:  # early, mostly
        finished = received + (due - received) * rng.uniform(0.1, 0.8)
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
            row["_rating"] = _rating(rng, u, returned, online, people["desk"], now)
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
    if status != S.RECEIVED and people["specialist"]:
        row["assigned_to_id"] = people["specialist"]
    row["status"] = status
    return row, history


def _no_wait(rng, u: _Unit, row: dict, history: list, target_minutes: int, desk, now: datetime):
    """The fast track as procedures.services.no_wait writes it: arrival, receipt, finish + return together."""
    received = row["received_at"]
    row["arrived_at"] = received - timedelta(seconds=rng.randint(20, 300))
    if rng.random() < 0.03 + u.profile.late * 2:  # a few visits take longer than the target
        minutes = rng.uniform(target_minutes + 1, target_minutes * 2.5)
    else:
        minutes = rng.uniform(4, target_minutes - 2)
    finished = u.calendar.add_working_time(received, timedelta(minutes=minutes)).replace(microsecond=0)
    if finished > now:
        row["status"] = S.RECEIVED
        return row, history
    row.update(
        status=S.RETURNED,
        finished_at=finished,
        returned_at=finished,
        timeliness=deadlines.timeliness(finished, row["due_at"]).value,
    )
    row["_rating"] = _rating(rng, u, finished, False, desk, now)
    history.append((desk or row["applicant_id"], finished, Action.FINISH, S.RECEIVED, S.DONE, ""))
    history.append((desk or row["applicant_id"], finished, Action.RETURN_RESULT, S.DONE, S.RETURNED, ""))
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
                    reserved = cursor.fetchall()  # read inside the savepoint: SQLite cannot release it earlier
            except IntegrityError:
                raise GeneratorError(
                    _("More than %(max)s dossiers on one day of one unit: choose an earlier --since or more units.")
                    % {"max": MAX_DAILY_SEQUENCE}
                ) from None
            for uid, day, last in reserved:
                first[(uid, day)] = last - keys[(uid, day)] + 1
    return first


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        value = json.dumps(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _insert(table: str, columns: list[str], rows) -> int:
    """Append rows: COPY on PostgreSQL; elsewhere (SQLite under `make run`) one executemany, values adapted
    as the ORM would (no model instances: bulk_create took 4/5 of seed_demo's time). Returns the count."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        n = 0
        for row in rows:
            buffer.write("\t".join(_copy_value(v) for v in row))
            buffer.write("\n")
            n += 1
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        return n
    adapt = connection.ops.adapt_datetimefield_value

    def value(v):
        if isinstance(v, datetime):
            return adapt(v)
        if isinstance(v, dict):
            return json.dumps(v)
        return v

    params = [[value(v) for v in row] for row in rows]
    if params:
        with connection.cursor() as cursor:
            placeholders = ", ".join(["%s"] * len(columns))
            # Table and column names are this module's constants, never input.
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", params)  # noqa: S608
    return len(params)


def _next_ids(n: int) -> list[int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('procedures_dossier', 'id')) FROM generate_series(1, %s)", [n]
            )
            return [r[0] for r in cursor.fetchall()]
        # SQLite: the transaction already holds the write lock (the counters), so nobody else takes these ids.
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM procedures_dossier")
        last = cursor.fetchone()[0]
        return list(range(last + 1, last + n + 1))


def _documents(rows: list[dict], required: dict[int, list[int]]):
    """DOCUMENT_COLUMNS of every dossier's documents: the sample file when uploaded or scanned, else paper."""
    size = len(SAMPLE_PDF)
    for row in rows:
        has_file, at, by = row["_documents"]
        for position, required_id in enumerate(required.get(row["procedure_id"], ()), start=1):
            if has_file:
                yield (row["id"], required_id, SAMPLE_FILE, f"tai-lieu-{position}.pdf", "application/pdf", size, at, by)
            else:
                yield (row["id"], required_id, "", "", "", 0, at, by)


def _slips(rows: list[dict], histories: list[list[tuple]]):
    """SLIP_COLUMNS of every dossier's control slip, as procedures.services.dossiers._hand_over writes it: from
    the applicant to the desk at the receipt, then from the actor to the assignee, the approving leader or (the
    result) the applicant; each step ends when the next starts, the return closes itself."""
    for row, history in zip(rows, histories, strict=True):
        steps = [h for h in history if h[2] in HAND_OVER]
        approver = next((actor for actor, _at, action, *_x in steps if action == Action.APPROVE), None)
        for position, (actor, at, action, *_x) in enumerate(steps, start=1):
            if action in (Action.RECEIVE, Action.RECEIVE_IN_PERSON):
                source, target = row["applicant_id"], actor
            else:
                source = actor
                target = {
                    Action.ASSIGN: row["assigned_to_id"],
                    Action.SUBMIT_FOR_APPROVAL: approver,
                    Action.RETURN_RESULT: row["applicant_id"],
                }.get(action)
            if position < len(steps):
                ended = steps[position][1]
            else:
                ended = at if action == Action.RETURN_RESULT else None
            yield (row["id"], position, action, source, target, at, ended, "")


def _ratings(rows: list[dict]):
    for row in rows:
        if row["_rating"] is not None:
            yield (row["id"], row["unit_id"], *row["_rating"])


def _write(rows: list[dict], histories: list[list[tuple]], required: dict[int, list[int]], now: datetime) -> tuple:
    """Insert the batch; returns (documents, ratings) written."""
    ids = _next_ids(len(rows))
    for row, pk in zip(rows, ids, strict=True):
        row.update(id=pk, updated_at=now)
    for row in rows:  # what the documents' trigger (migration 0018) would compute: set here, it changes nothing
        row["documents_on_file"] = row["_documents"][0] and bool(required.get(row["procedure_id"]))
    defaults = {"redate_reason": ""}
    _insert(
        "procedures_dossier",
        DOSSIER_COLUMNS,
        ([row.get(c, defaults.get(c)) for c in DOSSIER_COLUMNS] for row in rows),
    )
    _insert(
        "procedures_dossierhistory",
        HISTORY_COLUMNS,
        ((row["id"], *h) for row, chain in zip(rows, histories, strict=True) for h in chain),
    )
    _insert("procedures_controlslipentry", SLIP_COLUMNS, _slips(rows, histories))
    documents = _insert("procedures_dossierdocument", DOCUMENT_COLUMNS, _documents(rows, required))
    ratings = _insert("procedures_rating", RATING_COLUMNS, _ratings(rows))
    return documents, ratings


def _sample_file() -> None:
    if not default_storage.exists(SAMPLE_FILE):
        default_storage.save(SAMPLE_FILE, ContentFile(SAMPLE_PDF))


def years_back(today: date, years: int) -> date:
    """The same calendar day `years` years before `today` (28 February for a 29th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _synthetic_citizens(rng: random.Random, n: int, *, joined: datetime) -> list[int]:
    """`n` new citizen accounts, the residents who file the generated dossiers (a ward's dossiers come from
    thousands of people, not from the demo's two): a Vietnamese name, a phone from CITIZEN_PHONE_PREFIXES not
    yet taken (also the username, as at registration), no usable password. Their keys."""
    if not n:
        return []
    taken = set(
        User.objects.filter(phone__regex=f"^({'|'.join(CITIZEN_PHONE_PREFIXES)})").values_list("phone", flat=True)
    )
    free = (
        phone
        for prefix in CITIZEN_PHONE_PREFIXES
        for number in range(1_000_000)
        if (phone := f"{prefix}{number:06d}") not in taken
    )
    users = []
    for phone in itertools.islice(free, n):
        name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"
        users.append(
            User(
                username=phone,
                phone=phone,
                full_name=name,
                role=Role.CITIZEN,
                password=make_password(None),
                date_joined=joined,
            )
        )
    if len(users) < n:
        raise GeneratorError(_("No phone numbers are left for synthetic citizens."))
    created = User.objects.bulk_create(users, batch_size=5_000)
    return [user.pk for user in created]


def generate_dossiers(
    *,
    count: int,
    unit_codes: list[str] | None = None,
    seed: int | None = None,
    since: date | None = None,
    years: int | None = None,
    citizens: int = 0,
    log=None,
) -> dict:
    """Create `count` dossiers spread over `unit_codes` (default: every active ward) from `since` (or `years`
    years back; default: a year ago) to yesterday; returns counts and the elapsed seconds. The dossiers are
    filed by the active citizen accounts, plus `citizens` new synthetic residents (`_synthetic_citizens`)."""
    started = clock.perf_counter()
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise GeneratorError(_("--count must be a whole number from 1 to %(max)s.") % {"max": f"{MAX_COUNT:,}"})
    if years is not None and (isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_YEARS):
        raise GeneratorError(_("--years must be a whole number from 1 to %(max)s.") % {"max": MAX_YEARS})
    if years is not None and since is not None:
        raise GeneratorError(_("Give either --since or --years, not both."))
    if isinstance(citizens, bool) or not isinstance(citizens, int) or not 0 <= citizens <= MAX_CITIZENS:
        raise GeneratorError(_("--citizens must be a whole number from 0 to %(max)s.") % {"max": f"{MAX_CITIZENS:,}"})
    now = timezone.now().replace(microsecond=0)
    today = now.astimezone(VIETNAM_TZ).date()
    until = today - timedelta(days=1)
    since = since or years_back(today, years or 1)
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
    rng = random.Random(seed)  # noqa: S311 - synthetic data, repeatable by seed
    applicants = list(User.objects.filter(role=Role.CITIZEN, is_active=True).values_list("pk", flat=True))
    if not applicants and not citizens:
        raise GeneratorError(_("There is no citizen account to file the dossiers: run seed_demo first."))
    base_seed = seed if seed is not None else rng.random()
    prepared = _prepare(units, since, until, rng, base_seed)
    unit_weights, total = [], 0.0
    for u in prepared:
        total += u.profile.volume
        unit_weights.append(total)
    required = defaultdict(list)
    for pid, rid in RequiredDocument.objects.order_by("procedure_id", "position", "pk").values_list(
        "procedure_id", "pk"
    ):
        required[pid].append(rid)
    codes = {u.unit.pk: u.unit.code for u in prepared}
    statuses = Counter()
    written = Counter()
    with transaction.atomic():
        _sample_file()
        applicants += _synthetic_citizens(
            rng, citizens, joined=datetime.combine(since, datetime.min.time(), VIETNAM_TZ)
        )
        done = 0
        while done < count:
            n = min(BATCH, count - done)
            batch = [
                _dossier(rng, prepared[bisect_right(unit_weights, rng.random() * total)], rng.choice(applicants), now)
                for _i in range(n)
            ]
            batch.sort(key=lambda item: (item[0]["unit_id"], item[0]["submitted_at"]))
            keys = Counter((row["unit_id"], row["submitted_at"].astimezone(VIETNAM_TZ).date()) for row, _h in batch)
            first = _reserve(keys)
            rows, histories = [], []
            for row, history in batch:
                day = row["submitted_at"].astimezone(VIETNAM_TZ).date()
                seq = first[(row["unit_id"], day)]
                first[(row["unit_id"], day)] = seq + 1
                row["code"] = f"{codes[row['unit_id']]}-{day:%y%m%d}-{seq:04d}"
                row["version"] = len(history)
                statuses[row["status"]] += 1
                rows.append(row)
                histories.append(history)
                written["history"] += len(history)
            documents, ratings = _write(rows, histories, required, now)
            written["documents"] += documents
            written["ratings"] += ratings
            done += n
            if log:
                log(done)
    return {
        "dossiers": count,
        "citizens": citizens,
        "history rows": written["history"],
        "documents": written["documents"],
        "ratings": written["ratings"],
        "units": len(units),
        "since": since,
        "statuses": dict(sorted(statuses.items())),
        "seconds": round(clock.perf_counter() - started, 2),
    }
