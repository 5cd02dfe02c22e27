"""Working time, table-driven: positions, office hours, days off and extra working days (DESIGN.md §2)."""

from datetime import time, timedelta

import pytest

from portal.units.calendar.domain.working_time import (
    CalendarError,
    WorkingCalendar,
    elapsed_working,
    next_working_moment,
)
from procedures.domain.deadlines import Deadline, DeadlineUnit, due_at
from tests.calendar.calendars import national, utc, vn

DAYS, HOURS, SAME_DAY = DeadlineUnit.WORKING_DAYS, DeadlineUnit.WORKING_HOURS, DeadlineUnit.SAME_DAY_CUTOFF
CUT = time(15)
NATIONAL = national()

ELAPSED_CASES = [
    (vn(2025, 6, 3, 10), vn(2025, 6, 3, 10), timedelta(0)),  # the same instant
    (vn(2025, 6, 3, 11), vn(2025, 6, 3, 14), timedelta(hours=2)),  # lunch does not count
    (vn(2025, 6, 6, 16), vn(2025, 6, 9, 9), timedelta(hours=2)),  # nor the weekend
    (vn(2025, 6, 7, 9), vn(2025, 6, 8, 18), timedelta(0)),  # a whole weekend: no working time
    (vn(2025, 6, 3, 12, 10), vn(2025, 6, 3, 12, 50), timedelta(0)),  # inside the lunch break
    (vn(2026, 2, 13, 16), vn(2026, 2, 23, 9), timedelta(hours=2)),  # Tết 2026 does not count
    (vn(2024, 12, 31, 16), vn(2025, 1, 2, 9), timedelta(hours=2)),  # across the year and New Year's Day
    # One year: 261 weekdays, less 2/9, 3/9, 1/1, 27–31/1, 7/4, 30/4, 1/5, 2/5 (12), plus Saturday 26/4 = 250.
    (vn(2024, 6, 3, 8), vn(2025, 6, 3, 8), timedelta(hours=8 * 250)),
    (utc(2025, 6, 3, 1), vn(2025, 6, 3, 9), timedelta(hours=1)),  # 01:00Z = 08:00 Hanoi
]


@pytest.mark.parametrize(("start", "end", "expected"), ELAPSED_CASES)
def test_elapsed_working(start, end, expected):
    assert elapsed_working(NATIONAL, start, end) == expected


NEXT_MOMENT_CASES = [
    (vn(2025, 6, 3, 10), vn(2025, 6, 3, 10)),  # in office hours: now
    (vn(2025, 6, 3, 8), vn(2025, 6, 3, 8)),  # at opening: now
    (vn(2025, 6, 3, 6, 45), vn(2025, 6, 3, 8)),  # early morning: opening
    (vn(2025, 6, 3, 12), vn(2025, 6, 3, 13)),  # at the start of lunch: the afternoon session
    (vn(2025, 6, 3, 17), vn(2025, 6, 4, 8)),  # at closing: tomorrow's opening
    (vn(2025, 6, 6, 17, 30), vn(2025, 6, 9, 8)),  # Friday evening: Monday
    (vn(2026, 2, 13, 17, 30), vn(2026, 2, 23, 8)),  # before Tết 2026: after the break
    (vn(2025, 12, 31, 17), vn(2026, 1, 5, 8)),  # New Year 2026 and the swapped 2/1
    (utc(2025, 6, 6, 12), vn(2025, 6, 9, 8)),  # 12:00Z Friday = 19:00 Hanoi
]


@pytest.mark.parametrize(("moment", "expected"), NEXT_MOMENT_CASES)
def test_next_working_moment(moment, expected):
    assert next_working_moment(NATIONAL, moment) == expected


@pytest.mark.parametrize(
    ("weekly", "message"),
    [
        ({0: [(time(8), time(12)), (time(11), time(13))]}, "overlap"),  # overlapping sessions
        ({0: [(time(12), time(8))]}, "end after it starts"),  # end before start
        ({0: [(time(8), time(8))]}, "end after it starts"),  # empty session
        ({7: [(time(8), time(12))]}, "Weekdays are numbered"),  # no eighth weekday
        ({0: [("08:00", "12:00")]}, "plain times"),  # strings are not times
        ({}, "no working time"),  # no office hours at all
    ],
)
def test_bad_office_hours_are_refused(weekly, message):
    with pytest.raises(CalendarError, match=message):
        WorkingCalendar(weekly)


def test_touching_sessions_are_allowed():
    # 08:00–12:00 then 12:00–17:00: no lunch break, but no overlap either.
    cal = WorkingCalendar({0: [(time(12), time(17)), (time(8), time(12))]})
    assert cal.sessions_on(vn(2025, 6, 2).date()) == [(time(8), time(12)), (time(12), time(17))]


def test_a_day_cannot_be_both_off_and_worked():
    day = vn(2025, 6, 7).date()
    with pytest.raises(CalendarError, match="both a day off and a working day"):
        WorkingCalendar(days_off=[day], extra_working_days=[day])
    calendar = WorkingCalendar(special_days=lambda year: ([day], [day]))
    with pytest.raises(CalendarError, match="both a day off and a working day"):
        due_at(calendar, vn(2025, 6, 3, 10), Deadline(1, DAYS))


def test_a_calendar_without_working_time_raises_instead_of_looping():
    # Office hours exist but every day of every year is off: the search must stop, with an error.
    def all_days_off(year):
        first = vn(year, 1, 1).date()
        return [first + timedelta(days=k) for k in range(366) if (first + timedelta(days=k)).year == year], []

    calendar = WorkingCalendar(special_days=all_days_off)
    for call in (
        lambda: due_at(calendar, vn(2025, 6, 3, 10), Deadline(1, DAYS)),
        lambda: due_at(calendar, vn(2025, 6, 3, 10), Deadline(1, HOURS)),
        lambda: due_at(calendar, vn(2025, 6, 3, 10), Deadline(1, SAME_DAY, CUT)),
        lambda: calendar.next_working_moment(vn(2025, 6, 3, 10)),
    ):
        with pytest.raises(CalendarError, match="no working time"):
            call()
    # No weekly hours and no special days: refused when built.
    with pytest.raises(CalendarError, match="no working time"):
        WorkingCalendar({}, special_days=None)


def test_weekday_extra_working_day_and_static_days_off():
    # A unit-level day off on a Tuesday and an extra working Sunday, given statically.
    calendar = WorkingCalendar(days_off=[vn(2025, 6, 3).date()], extra_working_days=[vn(2025, 6, 8).date()])
    assert due_at(calendar, vn(2025, 6, 2, 16), Deadline(2, HOURS)) == vn(2025, 6, 4, 9)  # Tuesday skipped
    assert due_at(calendar, vn(2025, 6, 6, 16, 30), Deadline(1, HOURS)) == vn(2025, 6, 8, 8, 30)  # Sunday worked
