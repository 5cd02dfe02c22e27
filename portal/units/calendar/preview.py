"""The admin's 60-day preview of a unit's calendar: month grids with each day's hours or reason off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import get_language, gettext

from portal.units.models import Unit

from .domain.public_holidays import vietnam_public_days
from .domain.working_time import WorkingCalendar
from .selectors import CalendarYear, unit_calendar, unit_calendar_year


@dataclass(frozen=True)
class PreviewDay:
    day: date
    kind: str  # "working", "makeup" (an extra working day), "holiday" (a day off, break days included),
    # "closed", "outside"
    hours: str
    label: str
    short_day: bool = False  # worked, but shorter than a full day (a Saturday morning): show its hours


def calendar_preview(unit: Unit, start: date, days: int = 60) -> list[dict]:
    """The next `days` days from `start` as month grids (weeks of 7 cells, Monday first) for the admin."""
    calendar = unit_calendar(unit)
    end = start + timedelta(days=days - 1)
    years = {y: unit_calendar_year(unit, y) for y in range(start.year, end.year + 1)}
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
    short = bool(sessions) and calendar.minutes_on(day) < calendar.full_day_minutes
    if day in year.extra_working_days and sessions:
        label = year.extra_working_days[day] or gettext("Make-up working day")
        return PreviewDay(day, "makeup", hours, label, short)
    if sessions:
        return PreviewDay(day, "working", hours, "", short)
    if day in year.days_off:
        label = year.days_off[day]
        if language == "en":
            label = vietnam_public_days(day.year, "en")[0].get(day, label)
        if not label and day in year.break_days:
            label = gettext("Holiday break: the weekend desk is closed")
        return PreviewDay(day, "holiday", "", label)
    return PreviewDay(day, "closed", "", "")
