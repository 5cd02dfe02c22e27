"""Slot generation from the unit's working calendar: table rows, each with why."""

from datetime import date, time

import pytest

from portal.units.calendar.selectors import unit_calendar
from portal.units.calendar.services import office_hours_replace
from procedures.domain.booking import day_slots
from tests.factories import UnitFactory

WEEKDAY_HOURS = {d: [(time(8), time(12)), (time(13), time(17))] for d in range(5)}
WITH_SATURDAY = {**WEEKDAY_HOURS, 5: [(time(8), time(12))]}

ROWS = [
    # (day, weekly hours, slot minutes, slots, first, last, why)
    (date(2026, 3, 9), WEEKDAY_HOURS, 30, 16, "08:00", "16:30", "ordinary Monday: 8 morning + 8 afternoon slots"),
    (date(2026, 3, 9), WEEKDAY_HOURS, 45, 10, "08:00", "16:00", "45 min: 11:45 would run into the lunch break"),
    (date(2026, 3, 7), WEEKDAY_HOURS, 30, 0, None, None, "Saturday at a unit without Saturday hours"),
    (date(2026, 3, 7), WITH_SATURDAY, 30, 8, "08:00", "11:30", "Saturday morning at a unit that receives then"),
    (date(2026, 4, 27), WEEKDAY_HOURS, 30, 0, None, None, "Hùng Kings' day observed on Monday: holiday"),
    (date(2026, 8, 22), WEEKDAY_HOURS, 30, 16, "08:00", "16:30", "make-up Saturday for 31 August: full day"),
    (date(2026, 8, 31), WEEKDAY_HOURS, 30, 0, None, None, "Monday swapped off (worked on 22 August)"),
    (date(2026, 9, 2), WEEKDAY_HOURS, 30, 0, None, None, "National Day"),
    (date(2026, 2, 14), WITH_SATURDAY, 30, 0, None, None, "Saturday inside the Tết break: closed even here"),
    (date(2026, 2, 23), WEEKDAY_HOURS, 30, 16, "08:00", "16:30", "first working day after Tết"),
]


@pytest.mark.parametrize("day,hours,minutes,count,first,last,why", ROWS, ids=[r[-1] for r in ROWS])
def test_day_slots(db, day, hours, minutes, count, first, last, why):
    unit = UnitFactory()
    office_hours_replace(unit=unit, weekly=hours)
    slots = day_slots(unit_calendar(unit), day, minutes)
    assert len(slots) == count, why
    if count:
        assert (f"{slots[0].start:%H:%M}", f"{slots[-1].start:%H:%M}") == (first, last), why
        assert all(s.start.utcoffset().total_seconds() == 7 * 3600 for s in slots)
        lunch = [s for s in slots if s.start.time() < time(13) and s.end.time() > time(12)]
        assert not lunch, "no slot overlaps the lunch break"
