"""Reads that feed the pure calendar (procedures.domain.calendar) from the database, cached.

Two cache layers, both keyed by the calendar token of portal.units.calendar_cache (replaced on every change
to office hours, exceptions or the unit tree):
- Django's cache (Redis) holds each unit's office hours and, per unit and year, its days off and extra
  working days, so a process builds a calendar without touching the database;
- each process keeps the built WorkingCalendar objects, so a computation costs one cache read (the token)
  and no query at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext

from portal.units.calendar_cache import calendar_version
from portal.units.models import CalendarException, OfficeHours, Unit
from procedures.domain.calendar import (
    DEFAULT_WEEKLY_HOURS,
    MAX_YEAR,
    MIN_YEAR,
    CalendarError,
    Deadline,
    DeadlineUnit,
    WorkingCalendar,
)
from procedures.domain.public_holidays import vietnam_public_days

CACHE_TIMEOUT = 7 * 24 * 3600
MEMO_SIZE = 256
NATIONWIDE = 0  # the memo/cache id of the calendar without a unit (national hours and exceptions)

_memo: OrderedDict[tuple[int, str], WorkingCalendar] = OrderedDict()
_memo_lock = threading.Lock()


@dataclass(frozen=True)
class CalendarYear:
    """A unit's special days in one year: what the pure calendar needs, plus a label for each day."""

    year: int
    days_off: dict[date, str]
    extra_working_days: dict[date, str]


def _key(version: str, unit_id: int, what: str) -> str:
    return f"units:calendar:{version}:{unit_id}:{what}"


def _ancestor_ids(unit_id: int) -> list[int]:
    """The unit and its ancestors, nearest first, in one query (the tree is at most a few levels deep)."""
    lookups = ["parent_id"] + ["__".join(["parent"] * depth) + "_id" for depth in range(2, 6)]
    row = Unit.objects.filter(pk=unit_id).values_list(*lookups).first() or ()
    chain = [unit_id]
    for parent_id in row:
        if parent_id is None or parent_id in chain:
            break
        chain.append(parent_id)
    return chain


def _load_year(unit_id: int, year: int) -> dict:
    """Package holidays, then nationwide exceptions, then the unit's ancestors' and its own: nearest wins."""
    public, makeup = vietnam_public_days(year)
    off: dict[date, str] = dict(public)
    on: dict[date, str] = dict.fromkeys(makeup, "")  # labelled by the preview, in the reader's language
    chain = _ancestor_ids(unit_id) if unit_id != NATIONWIDE else []
    rows = CalendarException.objects.filter(date__year=year).filter(Q(unit__isnull=True) | Q(unit_id__in=chain))
    rank = {None: len(chain)} | {uid: n for n, uid in enumerate(chain)}
    for row in sorted(rows, key=lambda r: rank[r.unit_id], reverse=True):
        label = row.reason
        if row.kind == CalendarException.Kind.DAY_OFF:
            on.pop(row.date, None)
            off[row.date] = label
        else:
            off.pop(row.date, None)
            on[row.date] = label
    return {
        "off": [(d.isoformat(), label) for d, label in sorted(off.items())],
        "on": [(d.isoformat(), label) for d, label in sorted(on.items())],
    }


def _load_hours(unit_id: int) -> dict[int, list[tuple[str, str]]]:
    rows = (
        OfficeHours.objects.filter(unit_id=unit_id).order_by("weekday", "start").values_list("weekday", "start", "end")
        if unit_id != NATIONWIDE
        else []
    )
    hours: dict[int, list[tuple[str, str]]] = {}
    for weekday, start, end in rows:
        hours.setdefault(weekday, []).append((start.isoformat(), end.isoformat()))
    if not hours:
        hours = {
            day: [(start.isoformat(), end.isoformat()) for start, end in sessions]
            for day, sessions in DEFAULT_WEEKLY_HOURS.items()
        }
    return hours


def _year_data(unit_id: int, year: int, version: str) -> dict:
    key = _key(version, unit_id, str(year))
    data = cache.get(key)
    if data is None:
        data = _load_year(unit_id, year)
        cache.set(key, data, CACHE_TIMEOUT)
    return data


def calendar_for_unit(unit: Unit | None, year: int) -> CalendarYear:
    """A unit's (or, for None, the nationwide) days off and extra working days in `year`, cached."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(
            "%(year)s is outside the years the calendar covers (%(min)s–%(max)s).",
            year=year,
            min=MIN_YEAR,
            max=MAX_YEAR,
        )
    data = _year_data(unit.pk if unit else NATIONWIDE, year, calendar_version())
    return CalendarYear(
        year=year,
        days_off={date.fromisoformat(d): label for d, label in data["off"]},
        extra_working_days={date.fromisoformat(d): label for d, label in data["on"]},
    )


def _build(unit_id: int, version: str) -> WorkingCalendar:
    key = _key(version, unit_id, "hours")
    hours = cache.get(key)
    if hours is None:
        hours = _load_hours(unit_id)
        cache.set(key, hours, CACHE_TIMEOUT)
    weekly = {
        int(weekday): [(time.fromisoformat(s), time.fromisoformat(e)) for s, e in sessions]
        for weekday, sessions in hours.items()
    }

    def special_days(year: int):
        # Runs once per year per built calendar; pinned to the token the calendar was built under.
        data = _year_data(unit_id, year, version)
        return [date.fromisoformat(d) for d, _ in data["off"]], [date.fromisoformat(d) for d, _ in data["on"]]

    return WorkingCalendar(weekly, special_days=special_days, tz=timezone.get_default_timezone())


def working_calendar(unit: Unit | None) -> WorkingCalendar:
    """The unit's WorkingCalendar (None: the nationwide one); reused until office hours or exceptions change."""
    return _calendar(unit.pk if unit is not None else NATIONWIDE, calendar_version())


def _calendar(unit_id: int, version: str) -> WorkingCalendar:
    memo_key = (unit_id, version)
    found = _memo.get(memo_key)
    if found is not None:
        return found
    built = _build(unit_id, version)
    with _memo_lock:
        _memo[memo_key] = built
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return built


def default_unit() -> Unit | None:
    """The unit that answers public questions when none is named (settings.DEFAULT_UNIT_CODE)."""
    return Unit.objects.filter(code=settings.DEFAULT_UNIT_CODE).first()


def _default_unit_id(version: str) -> int:
    """The default unit's id, cached under the token (a unit save replaces it); nationwide if it is missing."""
    key = _key(version, NATIONWIDE, "default-unit")
    unit_id = cache.get(key)
    if unit_id is None:
        unit = default_unit()
        unit_id = unit.pk if unit is not None else NATIONWIDE
        cache.set(key, unit_id, CACHE_TIMEOUT)
    return unit_id


def _unit_calendar(unit: Unit | None) -> WorkingCalendar:
    version = calendar_version()
    return _calendar(unit.pk if unit is not None else _default_unit_id(version), version)


def procedure_deadline(procedure) -> Deadline:
    """The procedure's statutory deadline as the domain's value object."""
    unit = DeadlineUnit(procedure.deadline_unit)
    cutoff = procedure.deadline_cutoff if unit is DeadlineUnit.SAME_DAY_CUTOFF else None
    return Deadline(procedure.deadline_amount, unit, cutoff)


def procedure_due_at(procedure, *, received_at: datetime, unit: Unit | None = None) -> datetime:
    """When a dossier of `procedure` received at `received_at` by `unit` (default: the portal's default
    unit) is due. Raises CalendarError (a ValueError) on bad input."""
    return _unit_calendar(unit).due_at(received_at, procedure_deadline(procedure))


def no_wait_due_at(procedure, *, received_at: datetime, unit: Unit | None = None) -> datetime | None:
    """The no-wait target (working minutes from receipt), or None for a procedure that is not no-wait."""
    if not procedure.no_wait or not procedure.no_wait_minutes:
        return None
    return _unit_calendar(unit).due_at(received_at, Deadline(procedure.no_wait_minutes, DeadlineUnit.MINUTES))


@dataclass(frozen=True)
class PreviewDay:
    day: date
    kind: str  # "working", "makeup" (an extra working day), "holiday" (a weekday off), "closed", "outside"
    hours: str
    label: str
    short_day: bool = False  # worked, but shorter than a full day (a Saturday morning): show its hours


def calendar_preview(unit: Unit | None, start: date, days: int = 60) -> list[dict]:
    """The next `days` days from `start` as month grids (weeks of 7 cells, Monday first) for the admin."""
    calendar = working_calendar(unit)
    end = start + timedelta(days=days - 1)
    years = {y: calendar_for_unit(unit, y) for y in range(start.year, end.year + 1)}
    language = "en" if (get_language() or "vi").startswith("en") else "vi"
    months = []
    first = start.replace(day=1)
    while first <= end:
        next_month = (first + timedelta(days=32)).replace(day=1)
        grid_start = first - timedelta(days=first.weekday())
        weeks, week = [], []
        day = grid_start
        while day < next_month or len(week) % 7:
            if day.month != first.month or not start <= day <= end:
                week.append(PreviewDay(day, "outside", "", ""))
            else:
                week.append(_preview_day(calendar, years[day.year], day, language))
            if len(week) == 7:
                if any(cell.kind != "outside" for cell in week):
                    weeks.append(week)
                week = []
            day += timedelta(days=1)
        months.append({"month": first, "weeks": weeks})
        first = next_month
    return months


def _preview_day(calendar: WorkingCalendar, year: CalendarYear, day: date, language: str) -> PreviewDay:
    sessions = calendar.sessions_on(day)
    hours = ", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in sessions)
    worked = sum((e.hour * 60 + e.minute) - (s.hour * 60 + s.minute) for s, e in sessions)
    short = bool(sessions) and worked < calendar.full_day_minutes
    if day in year.extra_working_days and sessions:
        label = year.extra_working_days[day] or gettext("Make-up working day")
        return PreviewDay(day, "makeup", hours, label, short)
    if sessions:
        return PreviewDay(day, "working", hours, "", short)
    if day in year.days_off:
        label = year.days_off[day]
        if language == "en":
            label = vietnam_public_days(day.year, "en")[0].get(day, label)
        return PreviewDay(day, "holiday", "", label)
    return PreviewDay(day, "closed", "", "")
