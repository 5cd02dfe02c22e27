"""Which days are off or worked for a unit: national holidays, announced swaps, holiday breaks, and the
unit's own exceptions (pure: the selectors load the rows, this module applies the rules).

Holiday breaks (DESIGN.md §2). The government announces a break by its first and last day, and a ward's
Saturday desk does not open inside it. The rule, not the dates: a weekend day lying in one unbroken run of
national non-working days (weekends, public holidays, announced days off) that contains a public holiday
or an announced day off is a *break day*, and a unit's weekend sessions do not apply on it. So Sat
27/4/2024 is closed (27/4–1/5/2024: Sat, Sun, Mon 29/4 swapped off, 30/4, 1/5), while a make-up Saturday
(Sat 26/4/2025) is a national working day, ends any run, and stays a full working day.

Precedence, nearest wins: package holidays and swaps < nationwide exceptions (national days) < break days
< the unit's ancestors' exceptions < the unit's own. So a unit may still open its desk on a break day (a
working-day exception: worked as a full day, like any make-up day) or close any other day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .public_holidays import vietnam_public_days

DAY = timedelta(days=1)
# A break is at most a couple of weeks (Tết is 9 days); a run longer than this is bad data, not a break.
MAX_RUN_DAYS = 31


@dataclass(frozen=True)
class Announced:
    """Nationwide exceptions (CalendarException rows without a unit): days off and worked, with reasons."""

    off: Mapping[date, str]
    on: Mapping[date, str]


@dataclass(frozen=True)
class NationalDays:
    """One year's national calendar: days off with names, weekend days worked, and break days."""

    year: int
    off: dict[date, str]
    on: dict[date, str]
    breaks: frozenset[date]


def national_off_and_on(years: Iterable[int], announced: Announced) -> tuple[dict[date, str], dict[date, str]]:
    """Package holidays and swaps, overridden by the nationwide exceptions, over `years`."""
    off: dict[date, str] = {}
    on: dict[date, str] = {}
    for year in years:
        public, makeup = vietnam_public_days(year)
        off.update(public)
        on.update(dict.fromkeys(makeup, ""))  # labelled by the preview, in the reader's language
    for day, label in announced.off.items():
        on.pop(day, None)
        off[day] = label
    for day, label in announced.on.items():
        off.pop(day, None)
        on[day] = label
    return off, on


def break_days(off: Iterable[date], on: Iterable[date] = ()) -> set[date]:
    """Weekend days in an unbroken run of national non-working days that holds a day in `off` (a weekend
    day that is itself a holiday is in `off`, not here).

    `off` are public holidays and announced days off; `on` are weekend days worked (make-up days), which
    end a run. Pass the days of the neighbouring years too: a break may cross New Year.
    """
    off, on = set(off), set(on)

    def resting(day: date) -> bool:
        return day in off or (day.weekday() >= 5 and day not in on)

    found: set[date] = set()
    for holiday in off:
        for step in (-DAY, DAY):
            day = holiday + step
            for _ in range(MAX_RUN_DAYS):
                if not resting(day):
                    break
                if day.weekday() >= 5 and day not in off:
                    found.add(day)
                day += step
    return found


def national_days(year: int, announced: Announced) -> NationalDays:
    """The national calendar of `year`; `announced` should cover the neighbouring years' edges as well."""
    off, on = national_off_and_on((year - 1, year, year + 1), announced)
    breaks = break_days(off, on)
    return NationalDays(
        year=year,
        off={d: label for d, label in sorted(off.items()) if d.year == year},
        on={d: label for d, label in sorted(on.items()) if d.year == year},
        breaks=frozenset(d for d in breaks if d.year == year),
    )


def unit_days(
    national: NationalDays, layers: Iterable[tuple[Mapping[date, str], Mapping[date, str]]] = ()
) -> tuple[dict[date, str], dict[date, str]]:
    """A unit's (days off, extra working days) with labels: the national days with the break days off, then
    each `(off, on)` layer of unit exceptions, farthest ancestor first, so the unit's own row wins.

    A break day that is already a holiday keeps the holiday's name; the others get an empty label, which
    the preview names in the reader's language.
    """
    off = dict(national.off)
    for day in national.breaks:
        off.setdefault(day, "")
    on = dict(national.on)
    for layer_off, layer_on in layers:
        for day, label in layer_off.items():
            on.pop(day, None)
            off[day] = label
        for day, label in layer_on.items():
            off.pop(day, None)
            on[day] = label
    return off, on
