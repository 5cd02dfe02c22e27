"""The leaders' dashboards: a ward's figures for a period, by procedure, by officer, per ward of a district, the
ranking of wards, the monthly trend and the dossiers behind every number.

Definitions (a period is whole local days, procedures.domain.periods; `s`, `e` = its aware bounds, e exclusive):
- received: dossiers with `received_at` in [s, e).
- resolved: dossiers finished (`finished_at`, the result ready) in [s, e), split by their stored timeliness
  (DESIGN.md §2 "Timeliness": early = before the due day, on time = on the due day not after the due time,
  late = after it); shares are of `resolved` (None when nothing was resolved).
- in_progress: dossiers received before e and not finished before e, not refused or withdrawn (the portal keeps no
  time for a refusal or withdrawal after the receipt, so a dossier refused later drops out of past periods — the
  monthly snapshots keep the published number).
- overdue_now / due_soon: open now, clock running (the deadline sweep's CLOCK_RUNNING_STATUSES), the effective due
  time (redated_due_at or due_at) passed / within the sweep's due-soon window (settings
  DEADLINE_DUE_SOON_WORKING_DAYS, or DEADLINE_DUE_SOON_SAME_DAY_WORKING_HOURS for same-day procedures, in working
  time on the unit's calendar). Not bound to the period: they describe today.
- no-wait: dossiers received in the period through the no-wait fast track (`arrived_at` set,
  procedures.services.no_wait); share of all received; median minutes arrival → result returned
  (Dossier.elapsed_minutes) against the median of the same dossiers' procedure targets (no_wait_minutes).
- satisfaction: ratings given in the period (Rating.rated_at), by level.
- feedback: feedback received in the period; answered (closed with an answer) on time (answered_at <= due_at) or
  late; still open; and overdue now (any open feedback past its due time, like overdue_now).
- scores (Decision 766/QĐ-TTg): see SCORE_FORMULAS.

An officer scope (desk staff see their own numbers) keeps the dossiers the officer handled: assigned to them, or
handed over from or to them on the control slip; their ratings are those of these dossiers, their feedback the
feedback assigned to them.

Speed: every figure is a conditional aggregate over one index range, grouped by ward: a unit's received/resolved/
online/no-wait/digitised counts come from the day figures (procedures.models.DossierDayFigure, kept current by
PostgreSQL triggers, migration 0018) — about a dozen rows per unit and day; what a day cannot hold (in progress at
a period's end, overdue now, due soon, the no-wait medians) reads partial covering indexes (migrations 0016/0017).
A ward costs five queries, a district six, whatever the number of dossiers or wards. SQLite (make run), an
officer's own numbers and the per-procedure/per-officer tables count the dossiers themselves, with the same
definitions.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.units.calendar.selectors import unit_calendar
from portal.units.models import Unit
from procedures.domain.deadlines import DeadlineUnit
from procedures.domain.feedback import OPEN_FEEDBACK_STATUSES, SatisfactionLevel
from procedures.domain.periods import Period, month_period
from procedures.domain.workflow import CLOCK_RUNNING_STATUSES, FINISHED_STATUSES, OPEN_STATUSES, Channel
from procedures.models import (
    ControlSlipEntry,
    DashboardSnapshot,
    Dossier,
    DossierDayFigure,
    DossierDocument,
    Feedback,
    OnlineLevel,
    Procedure,
    Rating,
    RatingDayFigure,
)

__all__ = [
    "DEFINITIONS",
    "MEASURES",
    "SCORE_FORMULAS",
    "SCORE_POINTS",
    "OfficerRow",
    "ProcedureRow",
    "RankingEntry",
    "TrendPoint",
    "WardFigures",
    "district_figures",
    "dossiers_behind",
    "figures_by_officer",
    "figures_by_procedure",
    "monthly_trend",
    "ward_figures",
    "ward_ranking",
]

RUNNING = sorted(CLOCK_RUNNING_STATUSES)
# Open and without a result yet (DONE is open until returned, but it is resolved).
UNFINISHED = sorted(OPEN_STATUSES - FINISHED_STATUSES)
OPEN_FEEDBACK = sorted(OPEN_FEEDBACK_STATUSES)
ONLINE_OFFERED = [OnlineLevel.FULL.value, OnlineLevel.PARTIAL.value]
EFFECTIVE_DUE = Coalesce("redated_due_at", "due_at")

# Decision 766/QĐ-TTg's group weights the portal's own data can give (DESIGN.md §2 "Evaluation").
SCORE_POINTS = {"progress": 20, "satisfaction": 18, "online": 22, "digitisation": 22}

# Shown on the dashboard page under the scores; the formulas are those computed in _scores().
SCORE_FORMULAS = {
    "progress": _(
        "Progress (20 points) = 20 × (dossiers resolved early or on time in the period + dossiers in progress at "
        "the end of the period and not past their due time) ÷ (dossiers resolved in the period + dossiers in "
        "progress at its end), i.e. every dossier handled in the period, including those carried over."
    ),
    "satisfaction": _(
        "Satisfaction (18 points) = 18 × (ratings “very satisfied” + “satisfied”) ÷ all ratings given in the period."
    ),
    "online": _(
        "Online services (22 points) = 22 × dossiers submitted online ÷ dossiers received, counting only "
        "procedures offered online (fully or partly)."
    ),
    "digitisation": _(
        "Digitisation (22 points) = 22 × dossiers received with every submitted document stored as a file "
        "(scanned or uploaded; at least one document) ÷ dossiers received."
    ),
    "total": _(
        "Total = the sum of the four group scores (out of 82; a score without data, e.g. no ratings, counts 0 in "
        "the total). Publicity (18 points) is assessed outside the portal. Wards are ranked by this total; equal "
        "totals share a place."
    ),
}

# What each number counts, shown on the dashboard page beside the figures (the module docstring in full).
DEFINITIONS = {
    "received": _("Received: dossiers received (given a receipt) in the period, by the local date."),
    "resolved": _(
        "Resolved: dossiers whose result was ready in the period — early (before the due day), on time (on the "
        "due day, not after the due time) or late (after the due time); the shares are of the resolved."
    ),
    "in_progress": _(
        "In progress: dossiers received by the end of the period and not resolved by then (refused or withdrawn "
        "dossiers excluded)."
    ),
    "overdue_now": _("Overdue now: open dossiers whose clock runs and whose due time (or new date) has passed."),
    "due_soon": _(
        "Due soon: open dossiers due within the deadline sweep's warning window (one working day; one working "
        "hour for same-day procedures)."
    ),
    "no_wait": _(
        "No-wait: dossiers received in the period through the no-wait fast track, their share of all received, "
        "and the median minutes from the citizen's arrival to the result, against the procedures' target."
    ),
    "satisfaction": _("Satisfaction: the ratings citizens gave in the period, by level."),
    "feedback": _(
        "Feedback: reports and proposals received in the period, answered by their deadline or late, still "
        "open; overdue now counts every open one past its deadline."
    ),
}

# Drillable numbers: dossiers_behind(measure=…) returns the dossiers a count was made of.
MEASURES = (
    "received",
    "resolved",
    "early",
    "on_time",
    "late",
    "in_progress",
    "overdue_now",
    "due_soon",
    "no_wait",
    "online",
    "digitised",
)


# --- results ------------------------------------------------------------------------------------------------
def _share(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


@dataclass
class WardFigures:
    unit: Unit
    period: Period
    received: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    early_share: float | None = None
    on_time_share: float | None = None
    late_share: float | None = None
    in_progress: int = 0
    # In progress at the end of the period and past the due time then (the progress score's complement).
    in_progress_overdue: int = 0
    overdue_now: int = 0
    due_soon: int = 0
    no_wait_received: int = 0
    no_wait_share: float | None = None
    no_wait_median_minutes: float | None = None
    no_wait_target_minutes: float | None = None
    online_offered_received: int = 0
    online_received: int = 0
    digitised: int = 0
    satisfaction: dict = field(default_factory=dict)
    satisfied_share: float | None = None
    feedback: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The API body (JSON-ready): the unit as its code and name, the period as ISO dates."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["unit"] = self.unit.code
        data["unit_name"] = self.unit.name
        data["period"] = self.period.as_dict()
        data["satisfaction"] = dict(self.satisfaction)
        data["feedback"] = dict(self.feedback)
        data["scores"] = dict(self.scores)
        return data


@dataclass
class ProcedureRow:
    procedure_id: int
    code: str
    name: str
    received: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue_now: int = 0


@dataclass
class OfficerRow:
    """One officer's dossiers (the assigned specialist; `officer_id` None: not assigned yet)."""

    officer_id: int | None
    name: str
    received: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue_now: int = 0


@dataclass(frozen=True)
class RankingEntry:
    unit: Unit
    name: str
    score: float
    place: int

    def as_dict(self) -> dict:
        return {"unit": self.unit.code, "name": self.name, "score": self.score, "place": self.place}


@dataclass(frozen=True)
class TrendPoint:
    month: Period
    figures: dict
    frozen: bool


# --- the pieces of the queries ------------------------------------------------------------------------------
class _Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5) (an ordered-set aggregate; FILTER works on it)."""

    function = "percentile_cont"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _due_soon_limits(unit: Unit, now: datetime) -> tuple[datetime, datetime]:
    """The end of the deadline sweep's due-soon windows from `now` on the unit's calendar: (working days,
    same-day hours) — the same settings and calendar calls as procedures.services.deadline_sweep."""
    calendar = unit_calendar(unit)
    return (
        calendar.add_working_days(now, settings.DEADLINE_DUE_SOON_WORKING_DAYS),
        calendar.add_working_time(now, timedelta(hours=settings.DEADLINE_DUE_SOON_SAME_DAY_WORKING_HOURS)),
    )


def _per_unit(values: dict[int, datetime]):
    """A per-unit constant as an SQL expression (one unit: a plain value)."""
    if len(values) == 1:
        return Value(next(iter(values.values())), output_field=DateTimeField())
    return Case(
        *[When(unit_id=unit_id, then=Value(v, output_field=DateTimeField())) for unit_id, v in values.items()],
        output_field=DateTimeField(),
    )


@dataclass(frozen=True)
class _Ctx:
    """What every measure needs: the bounds, now, the due-soon windows per unit."""

    start: datetime
    end: datetime
    now: datetime
    soon_days: dict
    soon_hours: dict
    period: Period

    @property
    def cutoff(self) -> datetime:
        """ "The end of the period" for the pending-within-deadline test: now for a period not over yet."""
        return min(self.end, self.now)


def _ctx(units: list[Unit], period: Period, now: datetime) -> _Ctx:
    start, end = period.bounds()
    days, hours = {}, {}
    for unit in units:
        days[unit.pk], hours[unit.pk] = _due_soon_limits(unit, now)
    return _Ctx(start, end, now, days, hours, period)


def _online_offered() -> Q:
    """Procedures offered online, as an uncorrelated IN (SELECT …): PostgreSQL hashes the few ids once instead of
    joining the catalogue row by row."""
    return Q(procedure_id__in=Procedure.objects.filter(online_level__in=ONLINE_OFFERED).values("pk"))


def _measure_q(measure: str, ctx: _Ctx) -> Q:
    """The one definition of each drillable number, used both to count and to list (dossiers annotated with
    `effective_due`)."""
    received = Q(received_at__gte=ctx.start, received_at__lt=ctx.end)
    resolved = Q(finished_at__gte=ctx.start, finished_at__lt=ctx.end)
    if measure == "received":
        return received
    if measure == "resolved":
        return resolved
    if measure in ("early", "on_time", "late"):
        return resolved & Q(timeliness=measure)
    if measure == "in_progress":
        return Q(received_at__lt=ctx.end) & (
            Q(status__in=UNFINISHED, received_at__isnull=False) | Q(finished_at__gte=ctx.end)
        )
    if measure == "overdue_now":
        return Q(status__in=RUNNING, effective_due__lte=ctx.now)
    if measure == "due_soon":
        same_day = Q(procedure__deadline_unit=DeadlineUnit.SAME_DAY_CUTOFF)
        return Q(status__in=RUNNING, effective_due__gt=ctx.now) & (
            (same_day & Q(effective_due__lte=_per_unit(ctx.soon_hours)))
            | (~same_day & Q(effective_due__lte=_per_unit(ctx.soon_days)))
        )
    if measure == "no_wait":
        return received & Q(arrived_at__isnull=False)
    if measure == "online":
        return received & _online_offered() & Q(channel=Channel.ONLINE)
    if measure == "online_offered":
        return received & _online_offered()
    if measure == "digitised":
        if _is_postgres():
            # Dossier.documents_on_file, kept by the documents' triggers (migration 0018), is the same definition:
            # a column test instead of a semi/anti-join on the documents per dossier.
            return received & Q(documents_on_file=True)
        documents = DossierDocument.objects.filter(dossier_id=OuterRef("pk"))
        return received & Q(Exists(documents)) & ~Q(Exists(documents.filter(file="")))
    raise ValueError(measure)


def _officer_q(officer) -> Q:
    """Dossiers an officer handled: assigned to them, or handed over from or to them (the control slip)."""
    slip = ControlSlipEntry.objects.filter(dossier_id=OuterRef("pk")).filter(
        Q(from_user_id=officer.pk) | Q(to_user_id=officer.pk)
    )
    return Q(assigned_to_id=officer.pk) | Q(Exists(slip))


def _dossiers(unit_ids: list[int], officer=None) -> QuerySet[Dossier]:
    qs = (
        Dossier.objects.filter(unit_id__in=unit_ids)
        if len(unit_ids) > 1
        else Dossier.objects.filter(unit_id=unit_ids[0])
    )
    if officer is not None:
        qs = qs.filter(_officer_q(officer))
    return qs.annotate(effective_due=EFFECTIVE_DUE).order_by()


# Counts are COUNT(unit_id): a non-null column every dashboard index holds, so the scans stay index-only
# (COUNT(id) would read the table; Django refuses COUNT(*) with a FILTER).
def _grouped(qs: QuerySet, group: str, aggregates: dict) -> dict:
    return {row.pop(group): row for row in qs.values(group).annotate(**aggregates)}


def _use_day_figures(group: str, officer) -> bool:
    """The day figures (DossierDayFigure, kept by PostgreSQL triggers) serve a unit's counts; by procedure or
    officer, an officer's own numbers, and SQLite, the dossiers are counted themselves."""
    return connection.vendor == "postgresql" and officer is None and group == "unit_id"


def _day_figure_counts(unit_ids: list[int], ctx: _Ctx, group: str) -> dict:
    """Received (by channel, no-wait, online offer) and resolved by timeliness, from the day figures: an index-only
    range over about a dozen rows per unit and day."""
    received = Q(kind=DossierDayFigure.Kind.RECEIVED)
    offered = received & Q(offered_online=True)
    sums = {
        "received": Sum("n", filter=received),
        "no_wait_received": Sum("n", filter=received & Q(fast=True)),
        "online_offered_received": Sum("n", filter=offered),
        "online_received": Sum("n", filter=offered & Q(channel=Channel.ONLINE)),
        "digitised": Sum("n", filter=Q(kind=DossierDayFigure.Kind.DIGITISED)),
        **{t: Sum("n", filter=Q(kind=t)) for t in ("early", "on_time", "late")},
    }
    qs = DossierDayFigure.objects.filter(
        unit_id__in=unit_ids, day__gte=ctx.period.start, day__lte=ctx.period.end
    ).order_by()
    rows = _grouped(qs, group, sums)
    for values in rows.values():
        for name in sums:
            values[name] = int(values[name] or 0)
        values["resolved"] = values["early"] + values["on_time"] + values["late"]
    return rows


def _dossier_counts(
    unit_ids: list[int], ctx: _Ctx, *, group: str, officer=None, medians: bool = True, digitised: bool = True
) -> dict:
    """The dossier figures grouped by `group` (unit_id, procedure_id or assigned_to_id), each query one index range:
    received and resolved (from the day figures, or the dossiers' received and finished ranges), the no-wait
    medians (unless `medians` is False: the ranking's score does not use them), the digitised dossiers, and those in
    progress at the end (open now ∪ finished after the end). `digitised=False` skips the digitised count (the
    per-procedure and per-officer tables do not show it)."""
    base = _dossiers(unit_ids, officer)
    out: dict = {}

    def merge(rows: dict):
        for key, values in rows.items():
            out.setdefault(key, {}).update(values)

    m = lambda name: _measure_q(name, ctx)  # noqa: E731
    no_wait_done = Q(arrived_at__isnull=False, returned_at__isnull=False)
    minutes = ExpressionWrapper(F("returned_at") - F("arrived_at"), output_field=DurationField())
    median_aggs = {
        "no_wait_median": _Median(minutes, output_field=DurationField()),
        "no_wait_target": _Median("procedure__no_wait_minutes", output_field=FloatField()),
    }
    if _use_day_figures(group, officer):
        merge(_day_figure_counts(unit_ids, ctx, group))
        if medians:
            merge(_grouped(base.filter(m("received") & no_wait_done), group, median_aggs))
    else:
        # Within the WHERE's range, each FILTER tests only what the measure adds.
        online_offered = _online_offered()
        received_aggs = {
            "received": Count("unit"),
            "no_wait_received": Count("unit", filter=Q(arrived_at__isnull=False)),
            "online_offered_received": Count("unit", filter=online_offered),
            "online_received": Count("unit", filter=online_offered & Q(channel=Channel.ONLINE)),
        }
        if medians and _is_postgres():
            received_aggs.update(
                {
                    k: _Median(*v.source_expressions, filter=no_wait_done, output_field=v.output_field)
                    for k, v in median_aggs.items()
                }
            )
        merge(_grouped(base.filter(m("received")), group, received_aggs))
        if medians and not _is_postgres():
            merge(_python_medians(base.filter(m("received") & no_wait_done), group))
        merge(
            _grouped(
                base.filter(m("resolved")),
                group,
                {
                    "resolved": Count("unit"),
                    **{t: Count("unit", filter=Q(timeliness=t)) for t in ("early", "on_time", "late")},
                },
            )
        )
        # Digitised on its own: as a WHERE (not a FILTER) the planner may semi/anti-join the documents in bulk
        # instead of probing them once per dossier.
        if digitised:
            merge(_grouped(base.filter(m("digitised")), group, {"digitised": Count("unit")}))
    # In progress at the end: open without a result now and received before the end (with overdue now and due
    # soon today), UNION ALL finished after the end but received before it — two index ranges, one query; the
    # second is empty for a period that ends today.
    before_end = Q(received_at__lt=ctx.end)
    still_open = (
        base.filter(status__in=UNFINISHED, received_at__isnull=False)
        .values(group)
        .annotate(
            in_progress=Count("unit", filter=before_end),
            in_progress_overdue=Count("unit", filter=before_end & Q(status__in=RUNNING, effective_due__lte=ctx.cutoff)),
            overdue_now=Count("unit", filter=m("overdue_now")),
            due_soon=Count("unit", filter=m("due_soon")),
        )
    )
    finished_later = (
        base.filter(finished_at__gte=ctx.end, received_at__lt=ctx.end)
        .values(group)
        .annotate(
            in_progress=Count("unit"),
            in_progress_overdue=Count("unit", filter=Q(effective_due__lt=ctx.end)),
            overdue_now=Value(0, output_field=IntegerField()),
            due_soon=Value(0, output_field=IntegerField()),
        )
    )
    totals: dict = {}
    for row in still_open.union(finished_later, all=True):
        key = row.pop(group)
        for name, value in row.items():
            totals.setdefault(key, {}).setdefault(name, 0)
            totals[key][name] += value
    merge(totals)
    return out


def _python_medians(qs: QuerySet, group: str) -> dict:
    """SQLite has no percentile_cont: fetch the no-wait dossiers' times (a period's no-wait dossiers only)."""
    times: dict = {}
    for key, arrived, returned, target in qs.values_list(
        group, "arrived_at", "returned_at", "procedure__no_wait_minutes"
    ):
        got = times.setdefault(key, ([], []))
        got[0].append(returned - arrived)
        got[1].append(float(target or 0))
    return {
        key: {"no_wait_median": statistics.median(spans), "no_wait_target": statistics.median(targets)}
        for key, (spans, targets) in times.items()
    }


def _rating_counts(unit_ids: list[int], ctx: _Ctx, *, group: str, officer=None) -> dict:
    """Ratings given in the period by level: from the ratings' day figures (RatingDayFigure, PostgreSQL triggers)
    for a unit's counts, else counting the ratings."""
    if _use_day_figures(group, officer):
        qs = RatingDayFigure.objects.filter(
            unit_id__in=unit_ids, day__gte=ctx.period.start, day__lte=ctx.period.end
        ).order_by()
        rows = _grouped(qs, group, {level.value: Sum("n", filter=Q(level=level.value)) for level in SatisfactionLevel})
        return {key: {k: int(v or 0) for k, v in values.items()} for key, values in rows.items()}
    qs = Rating.objects.filter(unit_id__in=unit_ids, rated_at__gte=ctx.start, rated_at__lt=ctx.end).order_by()
    if officer is not None:
        qs = qs.filter(dossier__in=_dossiers(unit_ids, officer).values("pk"))
    return _grouped(
        qs,
        group,
        {level.value: Count("unit", filter=Q(level=level.value)) for level in SatisfactionLevel},
    )


def _feedback_counts(unit_ids: list[int], ctx: _Ctx, *, officer=None) -> dict:
    in_period = Q(received_at__gte=ctx.start, received_at__lt=ctx.end)
    still_open = Q(status__in=OPEN_FEEDBACK)
    qs = Feedback.objects.filter(unit_id__in=unit_ids).filter(in_period | still_open).order_by()
    if officer is not None:
        qs = qs.filter(assigned_to_id=officer.pk)
    answered = in_period & Q(answered_at__isnull=False)
    return _grouped(
        qs,
        "unit_id",
        {
            "received": Count("unit", filter=in_period),
            "answered": Count("unit", filter=answered),
            "answered_on_time": Count("unit", filter=answered & Q(answered_at__lte=F("due_at"))),
            "answered_late": Count("unit", filter=answered & Q(answered_at__gt=F("due_at"))),
            "open": Count("unit", filter=in_period & still_open),
            "overdue_now": Count("unit", filter=still_open & Q(due_at__lte=ctx.now)),
        },
    )


def _minutes(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 60, 1)
    return round(float(value), 1)


def _points(weight: int, part: int, whole: int) -> float | None:
    return None if not whole else round(weight * part / whole, 2)


def _scores(f: WardFigures) -> dict:
    """Decision 766/QĐ-TTg's groups the portal can compute (formulas: SCORE_FORMULAS).

    Checked against the search corpus on 2026-11-26: the decision (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất
    lượng phục vụ người dân, doanh nghiệp) could not be found there, so the weights are DESIGN.md §2's
    (publicity 18, progress 20, digitisation 22, online 22, satisfaction 18) and each group is reduced to the one
    ratio the portal's own data gives; the national portal's sub-criteria are not reproduced."""
    handled = f.resolved + f.in_progress
    scores = {
        "progress": _points(
            SCORE_POINTS["progress"], f.early + f.on_time + f.in_progress - f.in_progress_overdue, handled
        ),
        "satisfaction": _points(
            SCORE_POINTS["satisfaction"],
            f.satisfaction.get("very_satisfied", 0) + f.satisfaction.get("satisfied", 0),
            sum(f.satisfaction.values()),
        ),
        "online": _points(SCORE_POINTS["online"], f.online_received, f.online_offered_received),
        "digitisation": _points(SCORE_POINTS["digitisation"], f.digitised, f.received),
    }
    scores["total"] = round(sum(v for v in scores.values() if v is not None), 2)
    return scores


EMPTY_FEEDBACK = {"received": 0, "answered": 0, "answered_on_time": 0, "answered_late": 0, "open": 0, "overdue_now": 0}


def _build(unit: Unit, period: Period, counts: dict, ratings: dict, feedback: dict) -> WardFigures:
    f = WardFigures(unit=unit, period=period)
    for name in (
        "received",
        "resolved",
        "early",
        "on_time",
        "late",
        "in_progress",
        "in_progress_overdue",
        "overdue_now",
        "due_soon",
        "no_wait_received",
        "online_offered_received",
        "online_received",
        "digitised",
    ):
        setattr(f, name, counts.get(name, 0))
    f.early_share = _share(f.early, f.resolved)
    f.on_time_share = _share(f.on_time, f.resolved)
    f.late_share = _share(f.late, f.resolved)
    f.no_wait_share = _share(f.no_wait_received, f.received)
    f.no_wait_median_minutes = _minutes(counts.get("no_wait_median"))
    f.no_wait_target_minutes = _minutes(counts.get("no_wait_target"))
    f.satisfaction = {level.value: ratings.get(level.value, 0) for level in SatisfactionLevel}
    f.satisfied_share = _share(
        f.satisfaction["very_satisfied"] + f.satisfaction["satisfied"], sum(f.satisfaction.values())
    )
    f.feedback = {**EMPTY_FEEDBACK, **feedback}
    f.scores = _scores(f)
    return f


# --- public selectors ---------------------------------------------------------------------------------------
def ward_figures(*, unit: Unit, period: Period, now: datetime | None = None, officer=None) -> WardFigures:
    """A unit's figures for `period` (officer: only the dossiers that officer handled). Six queries on
    PostgreSQL (seven on SQLite), whatever the number of dossiers."""
    now = now or timezone.now()
    ctx = _ctx([unit], period, now)
    counts = _dossier_counts([unit.pk], ctx, group="unit_id", officer=officer).get(unit.pk, {})
    ratings = _rating_counts([unit.pk], ctx, group="unit_id", officer=officer).get(unit.pk, {})
    feedback = _feedback_counts([unit.pk], ctx, officer=officer).get(unit.pk, {})
    return _build(unit, period, counts, ratings, feedback)


def district_figures(
    *, parent: Unit, period: Period, now: datetime | None = None, medians: bool = True
) -> list[WardFigures]:
    """One WardFigures per active child unit of `parent` (by name), from the same six queries grouped by unit
    (`medians=False`: without the no-wait medians, one query less — what the ranking reads)."""
    now = now or timezone.now()
    wards = list(Unit.objects.filter(parent=parent, is_active=True).order_by("name", "pk"))
    if not wards:
        return []
    ids = [w.pk for w in wards]
    ctx = _ctx(wards, period, now)
    counts = _dossier_counts(ids, ctx, group="unit_id", medians=medians)
    ratings = _rating_counts(ids, ctx, group="unit_id")
    feedback = _feedback_counts(ids, ctx)
    return [_build(w, period, counts.get(w.pk, {}), ratings.get(w.pk, {}), feedback.get(w.pk, {})) for w in wards]


def rank(scored: list[tuple[Unit, float]]) -> list[RankingEntry]:
    """Standard competition ranking: equal scores share a place and the next place skips (1, 2, 2, 4)."""
    ordered = sorted(scored, key=lambda pair: (-pair[1], pair[0].name, pair[0].pk))
    entries, place, previous = [], 0, None
    for position, (unit, score) in enumerate(ordered, start=1):
        if score != previous:
            place, previous = position, score
        entries.append(RankingEntry(unit=unit, name=unit.name, score=score, place=place))
    return entries


def ward_ranking(*, parent: Unit, period: Period, now: datetime | None = None) -> list[RankingEntry]:
    """The child wards of `parent` by their total Decision 766 score (SCORE_FORMULAS["total"])."""
    figures = district_figures(parent=parent, period=period, now=now, medians=False)
    return rank([(f.unit, f.scores["total"]) for f in figures])


def _rows(unit: Unit, period: Period, now, officer, group: str) -> dict:
    ctx = _ctx([unit], period, now or timezone.now())
    # The tables show ROW_FIELDS only: no medians, no digitised count (two index ranges less per table).
    return _dossier_counts([unit.pk], ctx, group=group, officer=officer, medians=False, digitised=False)


ROW_FIELDS = ("received", "resolved", "early", "on_time", "late", "in_progress", "overdue_now")


def figures_by_procedure(
    *, unit: Unit, period: Period, now: datetime | None = None, officer=None
) -> list[ProcedureRow]:
    """The dossier counts per procedure (procedures with any figure), by procedure code."""
    counts = _rows(unit, period, now, officer, "procedure_id")
    procedures = Procedure.objects.filter(pk__in=list(counts)).only("code", "name", "name_en").order_by("code")
    return [
        ProcedureRow(
            procedure_id=p.pk,
            code=p.code,
            name=p.localized("name"),
            **{k: counts[p.pk].get(k, 0) for k in ROW_FIELDS},
        )
        for p in procedures
        if any(counts[p.pk].get(k, 0) for k in ROW_FIELDS)
    ]


def figures_by_officer(*, unit: Unit, period: Period, now: datetime | None = None) -> list[OfficerRow]:
    """The dossier counts per assigned officer (the specialist responsible), by name; unassigned last."""
    from portal.accounts.models import User

    counts = _rows(unit, period, now, None, "assigned_to_id")
    names = dict(User.objects.filter(pk__in=[k for k in counts if k is not None]).values_list("pk", "full_name"))
    rows = [
        OfficerRow(officer_id=k, name=names.get(k) or "", **{f: v.get(f, 0) for f in ROW_FIELDS})
        for k, v in counts.items()
        if any(v.get(f, 0) for f in ROW_FIELDS)
    ]
    rows.sort(key=lambda r: (r.officer_id is None, r.name, r.officer_id or 0))
    for row in rows:
        if row.officer_id is None:
            row.name = str(_("not assigned yet"))
    return rows


def dossiers_behind(
    *,
    unit: Unit,
    period: Period,
    measure: str,
    now: datetime | None = None,
    officer=None,
    procedure: Procedure | None = None,
) -> QuerySet[Dossier]:
    """The dossiers a number was counted from (MEASURES), newest first; ValueError for an unknown measure."""
    if measure not in MEASURES:
        raise ValueError(measure)
    ctx = _ctx([unit], period, now or timezone.now())
    qs = _dossiers([unit.pk], officer).filter(_measure_q(measure, ctx))
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    return qs.select_related("procedure", "unit", "assigned_to").order_by("-submitted_at", "-pk")


def _month_start(day: date, back: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - back
    return index // 12, index % 12 + 1


def monthly_trend(*, unit: Unit, months: int = 12, now: datetime | None = None) -> list[TrendPoint]:
    """The last `months` months, oldest first: published months from their frozen snapshot, the others (the
    current month, a month nobody snapshotted) live; the current month runs to today."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    wanted = [month_period(*_month_start(today, back)) for back in range(months - 1, -1, -1)]
    frozen = {
        s.month: s.figures for s in DashboardSnapshot.objects.filter(unit=unit, month__in=[p.start for p in wanted])
    }
    points = []
    for period in wanted:
        if period.start in frozen:
            points.append(TrendPoint(month=period, figures=frozen[period.start], frozen=True))
            continue
        live = Period(period.start, min(period.end, today))
        points.append(
            TrendPoint(month=period, figures=ward_figures(unit=unit, period=live, now=now).as_dict(), frozen=False)
        )
    return points
