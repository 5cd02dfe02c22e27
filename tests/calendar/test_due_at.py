"""Deadline maths, table-driven: each row says why it is there (DESIGN.md §2)."""

from datetime import UTC, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.units.calendar.domain.working_time import (
    CalendarError,
)
from procedures.domain.deadlines import Deadline, DeadlineUnit, Timeliness, due_at, no_wait_due_at, timeliness
from tests.calendar.calendars import national, plus7, utc, vn, with_saturday_morning

DAYS, HOURS, SAME_DAY = DeadlineUnit.WORKING_DAYS, DeadlineUnit.WORKING_HOURS, DeadlineUnit.SAME_DAY_CUTOFF
MINUTES = "minutes"  # the no-wait target: not a statutory unit, computed by no_wait_due_at
CUT = time(15)
NATIONAL = national()
SATURDAY = with_saturday_morning()

DUE_CASES = [
    # received_at, amount, unit, expected due (Vietnam time)
    # -- ordinary days (June 2025: Mon 2 … Fri 6) --
    (vn(2025, 6, 3, 10), 2, DAYS, vn(2025, 6, 5, 10)),  # N working days from 10:00 end at 10:00 N days later
    (vn(2025, 6, 3, 10), 16, HOURS, vn(2025, 6, 5, 10)),  # 16 working hours = 2 full days of 8 hours
    (vn(2025, 6, 3, 10, 0, 37), 1, DAYS, vn(2025, 6, 4, 10, 0, 37)),  # seconds are kept, not rounded away
    # -- out-of-hours receipt counts from the next working moment --
    (vn(2025, 6, 3, 7), 3, HOURS, vn(2025, 6, 3, 11)),  # before opening: counts from 08:00
    (vn(2025, 6, 2, 18, 30), 1, DAYS, vn(2025, 6, 3, 17)),  # evening: all of Tuesday, due at its close
    (vn(2025, 6, 8, 9), 2, DAYS, vn(2025, 6, 10, 17)),  # Sunday: Monday and Tuesday, due at Tuesday's close
    (vn(2025, 6, 3, 17), 1, HOURS, vn(2025, 6, 4, 9)),  # exactly at closing: nothing left today
    # -- lunch break (12:00–13:00) is not working time --
    (vn(2025, 6, 3, 11), 2, HOURS, vn(2025, 6, 3, 14)),  # one hour before lunch, one after
    (vn(2025, 6, 3, 11, 50), 15, MINUTES, vn(2025, 6, 3, 13, 5)),  # no-wait target straddling lunch
    (vn(2025, 6, 3, 12, 30), 3, HOURS, vn(2025, 6, 3, 16)),  # received during lunch: counts from 13:00
    (vn(2025, 6, 3, 11), 1, HOURS, vn(2025, 6, 3, 12)),  # ends exactly at lunch: 12:00, not 13:00
    (vn(2025, 6, 3, 12, 30), 1, DAYS, vn(2025, 6, 4, 12)),  # afternoon + morning = one day; earliest instant
    # -- Friday afternoon into Monday --
    (vn(2025, 6, 6, 15), 4, HOURS, vn(2025, 6, 9, 10)),  # 2 hours on Friday, 2 on Monday
    (vn(2025, 6, 6, 16), 1, HOURS, vn(2025, 6, 6, 17)),  # ends at Friday's close, not Monday 08:00
    (vn(2025, 6, 6, 16, 50), 15, MINUTES, vn(2025, 6, 9, 8, 5)),  # 10 minutes Friday, 5 on Monday
    (vn(2025, 6, 6, 14), 1, DAYS, vn(2025, 6, 9, 14)),  # the weekend does not count
    # -- Tết --
    (vn(2025, 1, 24, 10), 1, DAYS, vn(2025, 2, 3, 10)),  # Tết Ất Tỵ: 27–31 January 2025 off
    (vn(2026, 2, 13, 16), 2, HOURS, vn(2026, 2, 23, 9)),  # Tết Bính Ngọ: 16–20 February 2026 off
    (vn(2026, 2, 18, 9), 1, DAYS, vn(2026, 2, 23, 17)),  # received during Tết: the whole first day after
    (vn(2024, 2, 7, 10), 1, DAYS, vn(2024, 2, 15, 10)),  # Tết Giáp Thìn: 8–14 February 2024 off
    # -- swaps: days off moved onto a Friday/Monday, made up on a Saturday --
    (vn(2025, 4, 25, 10), 1, DAYS, vn(2025, 4, 26, 10)),  # Saturday 26/4/2025 is a make-up working day
    (vn(2025, 4, 29, 10), 1, DAYS, vn(2025, 5, 5, 10)),  # 30/4, 1/5 holidays and Friday 2/5 swapped off
    (vn(2024, 4, 26, 16), 2, HOURS, vn(2024, 5, 2, 9)),  # Monday 29/4/2024 swapped off, 30/4 and 1/5 too
    (vn(2024, 5, 3, 16), 2, HOURS, vn(2024, 5, 4, 9)),  # … and Saturday 4/5/2024 worked in exchange
    (vn(2025, 12, 31, 10), 1, DAYS, vn(2026, 1, 5, 10)),  # 1/1/2026 holiday, 2/1 off (shipped exception)
    (vn(2026, 1, 9, 10), 1, DAYS, vn(2026, 1, 10, 10)),  # Saturday 10/1/2026 made up (shipped exception)
    (vn(2026, 8, 21, 16), 2, HOURS, vn(2026, 8, 22, 9)),  # Saturday 22/8/2026 made up for Monday 31/8
    (vn(2026, 8, 28, 10), 1, DAYS, vn(2026, 9, 3, 10)),  # 31/8 swapped off, 1–2/9 National Day
    (vn(2026, 4, 24, 10), 1, DAYS, vn(2026, 4, 28, 10)),  # Hùng Kings on Sunday 26/4/2026: off Monday 27/4
    (vn(2026, 11, 23, 10), 1, DAYS, vn(2026, 11, 25, 10)),  # Vietnamese Culture Day, 24/11/2026
    # -- the 15:00 cut-off ("within the day; the next working day if received after 15:00") --
    (vn(2025, 6, 3, 14, 59), 1, SAME_DAY, vn(2025, 6, 3, 17)),  # before the cut-off: today's close
    (vn(2025, 6, 3, 15), 1, SAME_DAY, vn(2025, 6, 3, 17)),  # at 15:00 sharp it is not yet "after 15:00"
    (vn(2025, 6, 3, 15, 0, 1), 1, SAME_DAY, vn(2025, 6, 4, 17)),  # one second after: tomorrow's close
    (vn(2025, 6, 3, 7, 30), 1, SAME_DAY, vn(2025, 6, 3, 17)),  # before opening still counts as today
    (vn(2025, 6, 3, 12, 30), 1, SAME_DAY, vn(2025, 6, 3, 17)),  # in the lunch break, before the cut-off
    (vn(2025, 6, 3, 17, 30), 1, SAME_DAY, vn(2025, 6, 4, 17)),  # after closing: next working day
    (vn(2025, 6, 6, 15, 30), 1, SAME_DAY, vn(2025, 6, 9, 17)),  # Friday after the cut-off: Monday
    (vn(2025, 6, 7, 9), 1, SAME_DAY, vn(2025, 6, 9, 17)),  # Saturday: the office is closed, Monday
    (vn(2025, 4, 29, 16), 1, SAME_DAY, vn(2025, 5, 5, 17)),  # after the cut-off before a 5-day break
    (vn(2025, 6, 3, 10), 2, SAME_DAY, vn(2025, 6, 4, 17)),  # 2 = today counts as the first day
    # -- year boundaries --
    (vn(2024, 12, 31, 16), 2, HOURS, vn(2025, 1, 2, 9)),  # New Year's Day between
    (vn(2024, 12, 27, 10), 5, DAYS, vn(2025, 1, 6, 10)),  # 30, 31/12, 2, 3, 6/1
    (vn(2024, 12, 31, 15, 30), 1, SAME_DAY, vn(2025, 1, 2, 17)),  # cut-off on New Year's Eve
    (vn(2025, 12, 31, 17), 30, MINUTES, vn(2026, 1, 5, 8, 30)),  # closing time, then 1/1 and 2/1 off
    (vn(2024, 12, 31, 17), 2, DAYS, vn(2025, 1, 3, 17)),  # evening, next year: 2 and 3 January
    # -- instants stored in UTC or sent with another offset; Vietnam has no DST --
    (utc(2025, 6, 3, 3), 1, DAYS, vn(2025, 6, 4, 10)),  # 03:00Z is 10:00 in Hanoi
    (utc(2025, 6, 2, 23, 30), 2, HOURS, vn(2025, 6, 3, 10)),  # 23:30Z Monday is 06:30 Tuesday in Hanoi
    (utc(2025, 6, 6, 20), 1, HOURS, vn(2025, 6, 9, 9)),  # 20:00Z Friday is 03:00 Saturday in Hanoi
    (utc(2025, 6, 3, 8, 1), 1, SAME_DAY, vn(2025, 6, 4, 17)),  # 08:01Z: the cut-off is 15:00 Hanoi time, passed
    (plus7(2025, 6, 3, 10), 1, DAYS, vn(2025, 6, 4, 10)),  # a fixed +07:00 offset equals Asia/Ho_Chi_Minh
]


def compute(calendar, received, amount, unit):
    if unit == MINUTES:
        return no_wait_due_at(calendar, received, amount)
    return due_at(calendar, received, Deadline(amount, unit, CUT if unit is SAME_DAY else None))


@pytest.mark.parametrize(("received", "amount", "unit", "expected"), DUE_CASES)
def test_due_at_national_calendar(received, amount, unit, expected):
    due = compute(NATIONAL, received, amount, unit)
    assert due == expected
    assert due.utcoffset() == timedelta(hours=7)  # always answered in Vietnam time


SATURDAY_CASES = [
    # a ward that also receives 08:00–12:00 on Saturdays
    (vn(2025, 6, 6, 10), 1, DAYS, vn(2025, 6, 7, 10)),  # Friday 10:00 + 1 day = Saturday 10:00
    (vn(2025, 6, 6, 14), 1, DAYS, vn(2025, 6, 7, 12)),  # 14:00 does not exist on Saturday: its close
    (vn(2025, 6, 7, 11), 2, HOURS, vn(2025, 6, 9, 9)),  # Saturday's last hour, then Monday
    (vn(2025, 6, 7, 11), 1, SAME_DAY, vn(2025, 6, 7, 12)),  # same day on Saturday: its (early) close
    (vn(2025, 6, 7, 12, 30), 1, SAME_DAY, vn(2025, 6, 9, 17)),  # Saturday desk closed at 12:00: Monday
    (vn(2025, 4, 25, 16), 2, HOURS, vn(2025, 4, 26, 9)),  # make-up Saturday 26/4/2025 …
    (vn(2025, 4, 26, 14), 4, HOURS, vn(2025, 4, 28, 9)),  # … is worked as a full weekday: 3 hours that afternoon
    (vn(2025, 2, 1, 9), 1, HOURS, vn(2025, 2, 3, 9)),  # Saturday 1/2/2025 is a Tết day: closed
]


@pytest.mark.parametrize(("received", "amount", "unit", "expected"), SATURDAY_CASES)
def test_due_at_with_saturday_mornings(received, amount, unit, expected):
    assert compute(SATURDAY, received, amount, unit) == expected


DUE = vn(2025, 6, 5, 10)  # Thursday 10:00
TIMELINESS_CASES = [
    (vn(2025, 6, 4, 16), Timeliness.EARLY),  # the day before the due day
    (vn(2025, 6, 5, 0, 30), Timeliness.ON_TIME),  # just after midnight of the due day: that day, on time
    (vn(2025, 6, 5, 9, 59), Timeliness.ON_TIME),  # on the due day, before the due time
    (vn(2025, 6, 5, 10), Timeliness.ON_TIME),  # exactly at the due time is not after it
    (vn(2025, 6, 5, 10, 1), Timeliness.LATE),  # a minute after
    (vn(2025, 6, 9, 9), Timeliness.LATE),  # days after
    (utc(2025, 6, 4, 17, 30), Timeliness.ON_TIME),  # 17:30Z Wed is 00:30 Thu in Hanoi: the local day counts
    (utc(2025, 6, 4, 16, 59), Timeliness.EARLY),  # 23:59 Wed in Hanoi
]


@pytest.mark.parametrize(("finished", "expected"), TIMELINESS_CASES)
def test_timeliness(finished, expected):
    assert timeliness(finished, DUE) == expected
    assert timeliness(finished, DUE, tz=NATIONAL.tz) == expected


def test_a_step_is_classified_against_its_own_allotment():
    # A control-slip step received Monday 10:00 with 4 working hours, handed on Monday 16:00.
    step_due = due_at(NATIONAL, vn(2025, 6, 2, 10), Deadline(4, HOURS))
    assert step_due == vn(2025, 6, 2, 15)
    assert timeliness(vn(2025, 6, 2, 16), step_due) == Timeliness.LATE


BAD_DEADLINES = [
    (0, DAYS, None),  # zero is no deadline
    (-3, HOURS, None),  # negative
    (366, DAYS, None),  # absurd: more than a year of working days
    (2.5, DAYS, None),  # not a whole number
    (True, DAYS, None),  # a boolean is not an amount
    (1, "fortnights", None),  # unknown unit
    (1, SAME_DAY, None),  # same day needs a cut-off
    (1, DAYS, time(15)),  # only same-day deadlines have a cut-off
]


@pytest.mark.parametrize(("amount", "unit", "cutoff"), BAD_DEADLINES)
def test_bad_deadlines_are_refused(amount, unit, cutoff):
    with pytest.raises(CalendarError):
        Deadline(amount, unit, cutoff)


@pytest.mark.parametrize("minutes", [0, -5, 10_001, 2.5, True])  # none, negative, absurd, fractional, boolean
def test_bad_no_wait_targets_are_refused(minutes):
    with pytest.raises(CalendarError, match="no-wait target"):
        no_wait_due_at(NATIONAL, vn(2025, 6, 3, 10), minutes)


@pytest.mark.parametrize(
    "cutoff",
    [
        time(7),  # before opening
        time(12, 30),  # in the lunch break
        time(18),  # after closing
    ],
)
def test_a_cutoff_outside_office_hours_is_refused(cutoff):
    with pytest.raises(CalendarError, match="outside office hours"):
        due_at(NATIONAL, vn(2025, 6, 3, 10), Deadline(1, SAME_DAY, cutoff))


def test_cutoff_at_a_session_edge_is_in_office_hours():
    # 12:00 (end of the morning) is a real cut-off some offices use.
    assert due_at(NATIONAL, vn(2025, 6, 3, 11), Deadline(1, SAME_DAY, time(12))) == vn(2025, 6, 3, 17)


@pytest.mark.parametrize(
    "call",
    [
        lambda: due_at(NATIONAL, vn(2025, 6, 3, 10).replace(tzinfo=None), Deadline(1, DAYS)),  # naive
        lambda: NATIONAL.elapsed_working(vn(2025, 6, 3, 10).replace(tzinfo=None), vn(2025, 6, 4)),  # naive start
        lambda: NATIONAL.next_working_moment(vn(2025, 6, 3, 10).replace(tzinfo=None)),  # naive
        lambda: timeliness(vn(2025, 6, 3, 10).replace(tzinfo=None), DUE),  # naive finish
        lambda: NATIONAL.elapsed_working(vn(2025, 6, 4), vn(2025, 6, 3)),  # end before start
        lambda: due_at(NATIONAL, vn(1999, 12, 31, 10), Deadline(1, DAYS)),  # before the years covered
        lambda: due_at(NATIONAL, vn(2100, 12, 31, 10), Deadline(5, DAYS)),  # runs past the years covered
        lambda: NATIONAL.add_working_time(vn(2025, 6, 3), timedelta(hours=-1)),  # negative time
        lambda: due_at(NATIONAL, "2025-06-03T10:00", Deadline(1, DAYS)),  # a string is not an instant
    ],
)
def test_bad_instants_are_refused(call):
    with pytest.raises(CalendarError):
        call()


def test_naive_error_names_the_parameter():
    with pytest.raises(CalendarError, match="received_at must include a time zone"):
        due_at(NATIONAL, vn(2025, 6, 3, 10).replace(tzinfo=None), Deadline(1, DAYS))


def test_other_time_zones_are_converted_not_misread():
    # 05:00 in Paris summer time is 10:00 in Hanoi (Vietnam itself has no DST).
    paris = vn(2025, 6, 3, 10).astimezone(ZoneInfo("Europe/Paris"))
    assert paris.hour == 5
    assert due_at(NATIONAL, paris, Deadline(1, DAYS)) == vn(2025, 6, 4, 10)
    assert due_at(NATIONAL, vn(2025, 6, 3, 10).astimezone(UTC), Deadline(1, DAYS)).tzinfo == NATIONAL.tz
