"""Calendars shared by the domain tests: pure, built from the holidays package plus the shipped exceptions."""

import importlib
from datetime import UTC, datetime, time, timedelta, timezone

from procedures.domain.calendar import DEFAULT_WEEKLY_HOURS, VIETNAM_TZ, WorkingCalendar
from procedures.domain.public_holidays import vietnam_public_days

# The rows the data migration ships (nationwide), read from the migration itself so the two never drift.
SHIPPED = importlib.import_module("portal.units.migrations.0003_calendar_exceptions_2024_2026").ROWS


def vietnam_special_days(year):
    """What the selector gives a unit without its own exceptions: package holidays, then shipped rows."""
    public, makeup = vietnam_public_days(year)
    off, on = set(public), set(makeup)
    for day, kind, _reason, _document in SHIPPED:
        if day.year == year:
            (off if kind == "day_off" else on).add(day)
            (on if kind == "day_off" else off).discard(day)
    return off, on


def national():
    """Mon–Fri 08:00–12:00, 13:00–17:00 with Vietnam's holidays and swaps."""
    return WorkingCalendar(DEFAULT_WEEKLY_HOURS, special_days=vietnam_special_days)


def with_saturday_morning():
    """A ward that also receives on Saturday mornings (DESIGN.md §2)."""
    weekly = dict(DEFAULT_WEEKLY_HOURS)
    weekly[5] = ((time(8), time(12)),)
    return WorkingCalendar(weekly, special_days=vietnam_special_days)


def vn(y, mo, d, h=0, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=VIETNAM_TZ)


def utc(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def plus7(y, mo, d, h=0, mi=0):
    """A fixed +07:00 offset, as an API client sends it."""
    return datetime(y, mo, d, h, mi, tzinfo=timezone(timedelta(hours=7)))
