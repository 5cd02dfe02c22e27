"""Holiday breaks: a ward's Saturday desk is closed inside an announced break (DESIGN.md §2).

The rule, not the dates: a weekend day in one unbroken run of national non-working days that holds a public
holiday or an announced day off is a break day. Every break of 2024–2026 that starts or ends on a weekend
is a row below, with why.
"""

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.units.calendar.domain.national_days import break_days, national_days, unit_days
from portal.units.calendar.domain.working_time import WorkingCalendar
from procedures.domain.deadlines import Deadline, DeadlineUnit, due_at
from tests.calendar.calendars import ANNOUNCED, national, special_days_with, vn, with_saturday_morning

DAYS, HOURS = DeadlineUnit.WORKING_DAYS, DeadlineUnit.WORKING_HOURS
SATURDAY = with_saturday_morning()
NATIONAL = national()

BREAK_DAYS = {
    # 1–4/9/2023 (2/9 on Saturday, itself a holiday: Sunday 3/9 is the break day), and 1/1/2024 is a
    # Monday: the weekend before it starts the New Year break (a break across the year).
    2023: {date(2023, 9, 3), date(2023, 12, 30), date(2023, 12, 31)},
    # 27/4–1/5/2024 (Mon 29/4 swapped off) and 31/8–3/9/2024 (2/9 on Monday, 3/9 the adjacent day). Tết
    # 8–14/2/2024 runs Thursday to Wednesday: its weekend days are Tết days themselves, not break days.
    2024: {date(2024, 4, 27), date(2024, 4, 28), date(2024, 8, 31), date(2024, 9, 1)},
    # Tết 25/1–2/2/2025 (Sat 1/2 is itself a Tết day), Hùng Kings on Monday 7/4 (5–7/4), 30/4–4/5 (Fri 2/5
    # swapped off, made up on Sat 26/4, which stays worked), National Day on Mon–Tue 1–2/9 (30/8–2/9).
    2025: {
        *(date(2025, 1, 25), date(2025, 1, 26), date(2025, 2, 2)),
        *(date(2025, 4, 5), date(2025, 4, 6), date(2025, 5, 3), date(2025, 5, 4)),
        *(date(2025, 8, 30), date(2025, 8, 31)),
    },
    # 1–4/1/2026 (2/1 off, an announced exception, made up on Sat 10/1), Tết 14–22/2, Hùng Kings on Sunday
    # 26/4 observed Monday 27/4 (25–27/4), 30/4–3/5, and 29/8–2/9 (Mon 31/8 swapped off, made up on Sat 22/8).
    2026: {
        *(date(2026, 1, 3), date(2026, 1, 4)),
        *(date(2026, 2, 14), date(2026, 2, 15), date(2026, 2, 21), date(2026, 2, 22)),
        *(date(2026, 4, 25), date(2026, 5, 2), date(2026, 5, 3), date(2026, 8, 29), date(2026, 8, 30)),
    },
}


@pytest.mark.parametrize("year", sorted(BREAK_DAYS))
def test_break_days_of_each_year(year):
    assert national_days(year, ANNOUNCED).breaks == BREAK_DAYS[year]


SATURDAY_DESK_CASES = [
    # A ward open Mon–Fri 08:00–17:00 and Saturday 08:00–12:00; received_at, amount, unit, due (Vietnam time).
    # -- the example: 27/4–1/5/2024 is one break, so Saturday 27/4 is closed --
    (vn(2024, 4, 26, 9), 1, DAYS, vn(2024, 5, 2, 9)),  # not Sat 27/4 09:00
    (vn(2024, 8, 30, 9), 1, DAYS, vn(2024, 9, 4, 9)),  # 31/8–3/9/2024: Sat 31/8 closed
    (vn(2025, 1, 24, 9), 1, DAYS, vn(2025, 2, 3, 9)),  # Tết 25/1–2/2/2025: Sat 25/1 closed
    (vn(2025, 4, 4, 9), 1, DAYS, vn(2025, 4, 8, 9)),  # Hùng Kings Mon 7/4/2025: Sat 5/4 closed
    (vn(2025, 4, 29, 9), 1, DAYS, vn(2025, 5, 5, 9)),  # 30/4–4/5/2025: Sat 3/5 closed
    (vn(2025, 8, 29, 9), 1, DAYS, vn(2025, 9, 3, 9)),  # 30/8–2/9/2025: Sat 30/8 closed
    (vn(2025, 12, 31, 9), 1, DAYS, vn(2026, 1, 5, 9)),  # 1–4/1/2026: Sat 3/1 closed (2/1 off by announcement)
    (vn(2026, 2, 13, 9), 1, DAYS, vn(2026, 2, 23, 9)),  # Tết 14–22/2/2026: both Saturdays closed
    (vn(2026, 2, 13, 16), 2, HOURS, vn(2026, 2, 23, 9)),  # … working hours skip them too
    (vn(2026, 4, 24, 9), 1, DAYS, vn(2026, 4, 28, 9)),  # 25–27/4/2026: Sat 25/4 closed
    (vn(2026, 4, 29, 9), 1, DAYS, vn(2026, 5, 4, 9)),  # 30/4–3/5/2026: Sat 2/5 closed
    (vn(2026, 8, 28, 9), 1, DAYS, vn(2026, 9, 3, 9)),  # 29/8–2/9/2026: Sat 29/8 closed
    (vn(2023, 12, 29, 9), 1, DAYS, vn(2024, 1, 2, 9)),  # 30/12/2023–1/1/2024: a break across New Year
    # -- make-up Saturdays are full working days, afternoon included --
    (vn(2024, 5, 3, 14), 1, DAYS, vn(2024, 5, 4, 14)),  # Sat 4/5/2024 made up for Mon 29/4
    (vn(2025, 4, 25, 14), 1, DAYS, vn(2025, 4, 26, 14)),  # Sat 26/4/2025 made up for Fri 2/5
    (vn(2026, 1, 9, 14), 1, DAYS, vn(2026, 1, 10, 14)),  # Sat 10/1/2026 made up for Fri 2/1 (announced)
    (vn(2026, 8, 21, 14), 1, DAYS, vn(2026, 8, 22, 14)),  # Sat 22/8/2026 made up for Mon 31/8
    # -- a holiday that does not touch the weekend leaves the Saturday open --
    (vn(2024, 4, 19, 10), 1, DAYS, vn(2024, 4, 20, 10)),  # Hùng Kings Thu 18/4/2024; Friday is worked
    (vn(2026, 11, 20, 10), 1, DAYS, vn(2026, 11, 21, 10)),  # Culture Day Tue 24/11/2026
    (vn(2025, 6, 6, 14), 1, DAYS, vn(2025, 6, 7, 12)),  # an ordinary Saturday: open, closes at 12:00
]


@pytest.mark.parametrize(("received", "amount", "unit", "expected"), SATURDAY_DESK_CASES)
def test_saturday_desk_during_breaks(received, amount, unit, expected):
    assert due_at(SATURDAY, received, Deadline(amount, unit)) == expected


def test_a_weekday_only_unit_is_unchanged_by_the_rule():
    # Break days are weekend days: a Monday–Friday office loses nothing it had.
    assert due_at(NATIONAL, vn(2024, 4, 26, 9), Deadline(1, DAYS)) == vn(2024, 5, 2, 9)


UNIT_OVERRIDE_CASES = [
    # layers of the unit's exceptions (farthest ancestor first), received_at, due for 1 working day
    # The ward opens its desk on break day Sat 27/4/2024: worked as a full (make-up) day.
    ([({}, {date(2024, 4, 27): "Trực tiếp nhận"})], vn(2024, 4, 26, 9), vn(2024, 4, 27, 9)),
    # The ward closes an ordinary Saturday.
    ([({date(2025, 6, 7): "Nghỉ"}, {})], vn(2025, 6, 6, 10), vn(2025, 6, 9, 10)),
    # The district opens the break Saturday, the ward keeps it closed: the nearest (the ward's) row wins.
    (
        [({}, {date(2024, 4, 27): "Quận trực"}), ({date(2024, 4, 27): "Phường nghỉ"}, {})],
        vn(2024, 4, 26, 9),
        vn(2024, 5, 2, 9),
    ),
]


@pytest.mark.parametrize(("layers", "received", "expected"), UNIT_OVERRIDE_CASES)
def test_a_unit_overrides_one_day_either_way(layers, received, expected):
    assert due_at(with_saturday_morning(layers), received, Deadline(1, DAYS)) == expected


# -- properties --------------------------------------------------------------------------------------------

years = st.integers(2023, 2027)


def weekly_with_weekend(saturday, sunday):
    """Mon–Fri 08:00–12:00, 13:00–17:00 plus the given weekend sessions (pairs of whole hours)."""
    hours = {d: ((time(8), time(12)), (time(13), time(17))) for d in range(5)}
    hours[5] = tuple((time(a), time(b)) for a, b in saturday)
    if sunday:
        hours[6] = tuple((time(a), time(b)) for a, b in sunday)
    return hours


weekend_sessions = st.sampled_from([((8, 12),), ((8, 11),), ((8, 12), (13, 17)), ((13, 16),)])


@given(years, weekend_sessions, st.one_of(st.none(), weekend_sessions))
def test_weekend_sessions_never_apply_on_a_break_day(year, saturday, sunday):
    calendar = WorkingCalendar(weekly_with_weekend(saturday, sunday), special_days=special_days_with())
    for day in national_days(year, ANNOUNCED).breaks:
        assert calendar.sessions_on(day) == []


@given(years, st.one_of(st.none(), weekend_sessions))
def test_make_up_days_are_always_full_working_days(year, saturday):
    calendar = WorkingCalendar(weekly_with_weekend(saturday or (), None), special_days=special_days_with())
    for day in national_days(year, ANNOUNCED).on:
        assert calendar.is_working_day(day)
        worked = sum((e.hour * 60 + e.minute) - (s.hour * 60 + s.minute) for s, e in calendar.sessions_on(day))
        assert worked == calendar.full_day_minutes


@given(
    st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    st.booleans(),
    st.lists(st.booleans(), max_size=2),
)
def test_the_units_own_exception_wins(day, open_it, ancestors_open):
    # Ancestors say one thing or the other; the unit's own row (last layer) decides.
    def layer(is_open):
        return ({}, {day: "mở"}) if is_open else ({day: "nghỉ"}, {})

    calendar = with_saturday_morning([layer(a) for a in ancestors_open] + [layer(open_it)])
    assert calendar.is_working_day(day) == open_it


resting_days = st.sets(st.dates(date(2025, 1, 1), date(2025, 3, 31)), max_size=12)


@given(resting_days, resting_days)
def test_break_days_match_a_day_by_day_scan(off, on):
    """Against a plain scan: walk the quarter day by day, cut it into runs of non-working days, and keep
    the weekend days of the runs that hold a day off."""
    on = {d for d in on if d.weekday() >= 5} - off  # make-up days are weekend days that are not off
    start, end = date(2024, 12, 1), date(2025, 4, 30)
    runs, run = [], []
    day = start
    while day <= end:
        if day in off or (day.weekday() >= 5 and day not in on):
            run.append(day)
        elif run:
            runs.append(run)
            run = []
        day += timedelta(days=1)
    runs.append(run)
    expected = {d for r in runs if any(x in off for x in r) for d in r if d.weekday() >= 5 and d not in off}
    assert break_days(off, on) == expected


def test_unit_days_keep_a_holidays_name_and_leave_break_days_unnamed():
    national = national_days(2026, ANNOUNCED)
    off, _on = unit_days(national)
    assert off[date(2026, 2, 17)]  # Tết: named by the holidays package
    assert off[date(2026, 2, 14)] == ""  # a break day: the preview names it in the reader's language
