"""Monthly dashboard snapshots: freeze a finished month's figures per unit, once.

A ward's published monthly figures must never change afterwards (a late rating or a re-dated dossier would
otherwise rewrite history). A snapshot is written once per (unit, month) — the unique constraint and
get_or_create make a second run, or two concurrent runs, leave the first one untouched. Beat runs it on the
1st of each month (portal.celery_schedule); `manage.py snapshot_dashboards [--month YYYY-MM]` takes any
finished month that has none. overdue_now/due_soon in a snapshot are as of when it was taken.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.units.models import Unit
from procedures.domain.periods import Period, PeriodError, month_period, previous_month
from procedures.models import DashboardSnapshot
from procedures.selectors.dashboard import district_figures, ward_figures


def _check_finished(month: Period, today) -> None:
    if not month.is_month:
        raise PeriodError(_("A snapshot is taken of a whole calendar month."), "month")
    if month.end >= today:
        raise PeriodError(
            _("%(month)s is not over yet: a month is snapshotted after its last day.") % {"month": month.label}, "month"
        )


def dashboard_snapshot_take(
    *, unit: Unit, month: Period, now: datetime | None = None
) -> tuple[DashboardSnapshot, bool]:
    """The unit's snapshot of `month` (a finished calendar month): the existing one unchanged, or a new one of
    the figures now. Returns (snapshot, created)."""
    now = now or timezone.now()
    _check_finished(month, timezone.localtime(now).date())
    existing = DashboardSnapshot.objects.filter(unit=unit, month=month.start).first()
    if existing is not None:
        return existing, False
    figures = ward_figures(unit=unit, period=month, now=now).as_dict()
    try:
        with transaction.atomic():
            return DashboardSnapshot.objects.create(unit=unit, month=month.start, figures=figures, taken_at=now), True
    except IntegrityError:  # a concurrent run wrote it first: theirs stands
        return DashboardSnapshot.objects.get(unit=unit, month=month.start), False


def dashboard_snapshots_take(*, month: Period | None = None, now: datetime | None = None) -> int:
    """Snapshot `month` (default: last month) for every active unit that has none; returns how many were
    written. Safe to run again: existing snapshots are skipped, never changed."""
    now = now or timezone.now()
    month = month or previous_month(timezone.localtime(now).date())
    _check_finished(month, timezone.localtime(now).date())
    done = set(DashboardSnapshot.objects.filter(month=month.start).values_list("unit_id", flat=True))
    created = 0
    for unit in Unit.objects.filter(is_active=True).exclude(pk__in=done).order_by("pk"):
        created += dashboard_snapshot_take(unit=unit, month=month, now=now)[1]
    return created


def dashboard_snapshots_backfill(*, wards: list[Unit], since: date, now: datetime | None = None) -> int:
    """Snapshot every finished month from `since`'s month to last month for `wards` (the demo history's wards),
    skipping (unit, month) pairs that have one; returns how many were written. One district's figures per month
    (district_figures: a few grouped queries for all its wards) instead of a ward_figures call per ward and month,
    so seed_demo stays quick on SQLite; the 12-month trend then reads the frozen months."""
    now = now or timezone.now()
    last = previous_month(timezone.localtime(now).date())
    wanted = {w.pk for w in wards}
    parents = Unit.objects.filter(pk__in={w.parent_id for w in wards if w.parent_id}).order_by("pk")
    created = 0
    year, month = since.year, since.month
    while (year, month) <= (last.start.year, last.start.month):
        period = month_period(year, month)
        done = set(DashboardSnapshot.objects.filter(month=period.start).values_list("unit_id", flat=True))
        rows = [
            DashboardSnapshot(unit=f.unit, month=period.start, figures=f.as_dict(), taken_at=now)
            for parent in parents
            for f in district_figures(parent=parent, period=period, now=now)
            if f.unit.pk in wanted and f.unit.pk not in done
        ]
        # ignore_conflicts: a concurrent run's snapshot stands, never overwritten.
        created += len(DashboardSnapshot.objects.bulk_create(rows, ignore_conflicts=True))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return created
