"""Calendars shared by the domain tests: pure, built from the holidays package plus the shipped exceptions,
with the national rules (holiday breaks) applied exactly as the selector applies them."""

import importlib
from datetime import UTC, datetime, time, timedelta, timezone

from portal.units.calendar.domain.national_days import Announced, national_days, unit_days
from portal.units.calendar.domain.working_time import DEFAULT_WEEKLY_HOURS, VIETNAM_TZ, WorkingCalendar

# The rows the data migration ships (nationwide), read from the migration itself so the two never drift.
SHIPPED = importlib.import_module("portal.units.migrations.0003_calendar_exceptions_2024_2026").ROWS
ANNOUNCED = Announced(
    off={day: reason for day, kind, reason, _document in SHIPPED if kind == "day_off"},
    on={day: reason for day, kind, reason, _document in SHIPPED if kind == "working_day"},
)


def special_days_with(layers=()):
    """`special_days` for a unit whose own exceptions are `layers` ((off, on) per level, farthest first)."""

    def special_days(year):
        off, on = unit_days(national_days(year, ANNOUNCED), layers)
        return set(off), set(on)

    return special_days


vietnam_special_days = special_days_with()


def national():
    """Mon–Fri 08:00–12:00, 13:00–17:00 with Vietnam's holidays and swaps."""
    return WorkingCalendar(DEFAULT_WEEKLY_HOURS, special_days=vietnam_special_days)


SATURDAY_MORNING_HOURS = {**DEFAULT_WEEKLY_HOURS, 5: ((time(8), time(12)),)}


def with_saturday_morning(layers=()):
    """A ward that also receives on Saturday mornings (DESIGN.md §2), with its own exceptions `layers`."""
    return WorkingCalendar(SATURDAY_MORNING_HOURS, special_days=special_days_with(layers))


def vn(y, mo, d, h=0, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=VIETNAM_TZ)


def utc(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def plus7(y, mo, d, h=0, mi=0):
    """A fixed +07:00 offset, as an API client sends it."""
    return datetime(y, mo, d, h, mi, tzinfo=timezone(timedelta(hours=7)))
