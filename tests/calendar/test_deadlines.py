"""A deadline as working minutes: a working day is the calendar's full day, whatever the day it falls on."""

from datetime import date, time

import pytest

from portal.units.calendar.domain.working_time import NATIONAL_FULL_DAY_MINUTES, WorkingCalendar
from procedures.domain.deadlines import DeadlineUnit, deadline_working_minutes
from tests.calendar.calendars import national, with_saturday_morning

DAYS, HOURS, SAME_DAY = DeadlineUnit.WORKING_DAYS, DeadlineUnit.WORKING_HOURS, DeadlineUnit.SAME_DAY_CUTOFF
SHORT_DAYS = WorkingCalendar({d: [(time(7, 30), time(11, 30)), (time(13, 30), time(17))] for d in range(5)})

MINUTES_CASES = [
    # calendar, amount, unit, working minutes
    (national(), 5, DAYS, 5 * 480),  # national office hours: a day is 8 hours
    (with_saturday_morning(), 5, DAYS, 5 * 480),  # a Saturday morning is a working day, not a unit of 240
    (SHORT_DAYS, 2, DAYS, 2 * 450),  # a unit open 7½ hours a day: its own full day
    (SHORT_DAYS, 4, HOURS, 240),  # hours are hours on every calendar
    (national(), 1, SAME_DAY, 480),  # within the day = one working day
    (national(), 2, SAME_DAY, 480),  # … also when counted as "the next day" (as the allotment trigger does)
]


@pytest.mark.parametrize(("calendar", "amount", "unit", "minutes"), MINUTES_CASES)
def test_deadline_in_working_minutes_uses_the_calendars_full_day(calendar, amount, unit, minutes):
    assert deadline_working_minutes(amount, unit, calendar.full_day_minutes) == minutes


def test_the_national_full_day_is_derived_from_the_national_hours():
    assert NATIONAL_FULL_DAY_MINUTES == national().full_day_minutes == 480


@pytest.mark.parametrize(
    ("day", "minutes"),
    [
        (date(2025, 6, 6), 480),  # a Friday
        (date(2025, 6, 7), 240),  # a Saturday morning: its real length
        (date(2025, 4, 26), 480),  # a make-up Saturday is a full day
        (date(2024, 4, 27), 0),  # a Saturday inside a holiday break
        (date(2025, 6, 8), 0),  # a Sunday
    ],
)
def test_minutes_on_a_day_is_its_real_length(day, minutes):
    assert with_saturday_morning().minutes_on(day) == minutes
