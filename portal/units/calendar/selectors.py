"""Reads that feed the pure calendar (portal.units.calendar.domain) from the database, cached.

Which calendar, by name — never by a `None` that means one thing here and another there:
- `nationwide_calendar()`: national office hours, holidays, swaps and breaks, no unit's exceptions;
- `unit_calendar(unit)`: the unit's office hours and its (and its ancestors') exceptions;
- `default_unit_calendar()`: the calendar of the unit that answers public questions when none is named
  (settings.DEFAULT_UNIT_CODE), the nationwide one if that unit does not exist.

Two cache layers, both keyed by the calendar token of portal.units.calendar.cache (replaced on every change
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
from datetime import date, time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from portal.units.models import CalendarException, OfficeHours, Unit

from .cache import calendar_version
from .domain.national_days import Announced, national_days, unit_days
from .domain.working_time import DEFAULT_WEEKLY_HOURS, MAX_YEAR, MIN_YEAR, CalendarError, WorkingCalendar

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
    break_days: frozenset[date] = frozenset()  # weekend days inside a national holiday break


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
    """National days (a break may cross New Year, so the exceptions around it are read too), then the unit's
    ancestors' and its own exceptions: nearest wins."""
    chain = _ancestor_ids(unit_id) if unit_id != NATIONWIDE else []
    rows = CalendarException.objects.filter(date__gte=date(year - 1, 12, 1), date__lte=date(year + 1, 1, 31)).filter(
        Q(unit__isnull=True) | Q(unit_id__in=chain, date__year=year)
    )
    announced = Announced(off={}, on={})
    layers = {uid: ({}, {}) for uid in chain}
    for row in rows:
        day_off = row.kind == CalendarException.Kind.DAY_OFF
        if row.unit_id is None:
            (announced.off if day_off else announced.on)[row.date] = row.reason
        else:
            layers[row.unit_id][0 if day_off else 1][row.date] = row.reason
    national = national_days(year, announced)
    off, on = unit_days(national, [layers[uid] for uid in reversed(chain)])
    return {
        "off": [(d.isoformat(), label) for d, label in sorted(off.items())],
        "on": [(d.isoformat(), label) for d, label in sorted(on.items())],
        "breaks": sorted(d.isoformat() for d in national.breaks),
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


def _calendar_year(unit_id: int, year: int) -> CalendarYear:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(
            "%(year)s is outside the years the calendar covers (%(min)s–%(max)s).",
            year=year,
            min=MIN_YEAR,
            max=MAX_YEAR,
        )
    data = _year_data(unit_id, year, calendar_version())
    return CalendarYear(
        year=year,
        days_off={date.fromisoformat(d): label for d, label in data["off"]},
        extra_working_days={date.fromisoformat(d): label for d, label in data["on"]},
        break_days=frozenset(date.fromisoformat(d) for d in data["breaks"]),
    )


def unit_calendar_year(unit: Unit, year: int) -> CalendarYear:
    """A unit's days off (break days included) and extra working days in `year`, cached."""
    return _calendar_year(unit.pk, year)


def nationwide_calendar_year(year: int) -> CalendarYear:
    """The nationwide days off (break days included) and extra working days in `year`, cached."""
    return _calendar_year(NATIONWIDE, year)


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


def unit_calendar(unit: Unit) -> WorkingCalendar:
    """The unit's WorkingCalendar; reused until office hours, exceptions or the unit tree change."""
    if unit is None:
        raise TypeError("unit_calendar() needs a unit: use nationwide_calendar() or default_unit_calendar()")
    return _calendar(unit.pk, calendar_version())


def nationwide_calendar() -> WorkingCalendar:
    """National office hours with the national holidays, swaps and breaks; no unit's exceptions."""
    return _calendar(NATIONWIDE, calendar_version())


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


def default_unit_calendar() -> WorkingCalendar:
    """The default unit's calendar (settings.DEFAULT_UNIT_CODE); the nationwide one if it does not exist."""
    version = calendar_version()
    return _calendar(_default_unit_id(version), version)
