"""The calendar selector: data from the database, cached per unit and year, invalidated on change."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from portal.units.calendar import selectors as selector
from portal.units.calendar.preview import calendar_preview
from portal.units.calendar.selectors import (
    nationwide_calendar,
    nationwide_calendar_year,
    unit_calendar,
    unit_calendar_year,
)
from portal.units.calendar.services import office_hours_replace
from portal.units.models import CalendarException, OfficeHours
from procedures.models import Procedure
from procedures.selectors.deadlines import procedure_due_at
from procedures.services.demo import DEMO_WARD_CODE, seed_demo
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=HCM)


def procedure(**kwargs):
    values = {"code": "9.900001", "name": "Thủ tục thử", "deadline_amount": 1, "deadline_unit": "working_days"}
    return Procedure.objects.create(**(values | kwargs))


def day_off(day, unit=None, kind="day_off"):
    return CalendarException.objects.create(date=day, unit=unit, kind=kind, reason="Lý do", legal_document="TB 1")


def test_unit_without_office_hours_works_the_national_default(ward):
    calendar = unit_calendar(ward)
    assert calendar.sessions_on(date(2025, 6, 2)) == [(time(8), time(12)), (time(13), time(17))]
    assert calendar.sessions_on(date(2025, 6, 7)) == []


def test_exceptions_apply_to_the_unit_and_below_and_the_nearest_wins(db):
    district = UnitFactory(code="D1", kind="district")
    ward = UnitFactory(code="D1.1", parent=district)
    other = UnitFactory(code="D2.1")
    day_off(date(2025, 6, 3), unit=district)  # the district closes on Tuesday …
    day_off(date(2025, 6, 4), unit=district)
    day_off(date(2025, 6, 4), unit=ward, kind="working_day")  # … the ward stays open on Wednesday
    assert not unit_calendar(ward).is_working_day(date(2025, 6, 3))
    assert unit_calendar(ward).is_working_day(date(2025, 6, 4))
    assert not unit_calendar(district).is_working_day(date(2025, 6, 4))
    assert unit_calendar(other).is_working_day(date(2025, 6, 3))
    assert unit_calendar_year(ward, 2025).extra_working_days[date(2025, 6, 4)] == "Lý do"


def test_a_unit_can_override_a_nationwide_day(ward):
    # The shipped nationwide day off on 2 January 2026; this ward opens anyway.
    day_off(date(2026, 1, 2), unit=ward, kind="working_day")
    assert unit_calendar(ward).is_working_day(date(2026, 1, 2))
    assert not nationwide_calendar().is_working_day(date(2026, 1, 2))


def test_no_query_per_computation_once_cached(ward, django_assert_num_queries):
    p = procedure(deadline_amount=3)
    procedure_due_at(p, received_at=vn(2025, 6, 2, 10), unit=ward)  # warms hours and 2025
    with django_assert_num_queries(0):
        for hour in range(8, 17):
            procedure_due_at(p, received_at=vn(2025, 6, 2, hour), unit=ward)
    selector._memo.clear()  # another process: it reads Redis, not the database
    with django_assert_num_queries(0):
        assert procedure_due_at(p, received_at=vn(2025, 6, 2, 10), unit=ward) == vn(2025, 6, 5, 10)


def test_a_cold_calendar_costs_three_queries_whatever_the_depth_of_the_tree(db, django_assert_num_queries):
    province = UnitFactory(code="P9", kind="province")
    district = UnitFactory(code="P9.1", kind="district", parent=province)
    ward = UnitFactory(code="P9.1.1", parent=district)
    day_off(date(2025, 6, 3), unit=province)  # inherited from two levels up
    with django_assert_num_queries(3):  # office hours, the ancestors, that year's exceptions
        assert not unit_calendar(ward).is_working_day(date(2025, 6, 3))


@pytest.mark.parametrize(
    "change",
    [
        lambda unit: day_off(date(2025, 6, 3), unit=unit),  # a unit exception is added
        lambda unit: day_off(date(2025, 6, 3)),  # a nationwide one: every unit's calendar changes
        lambda unit: office_hours_replace(unit=unit, weekly={0: [(time(8), time(12))], 1: [(time(8), time(9))]}),
        lambda unit: OfficeHours.objects.create(unit=unit, weekday=2, start=time(8), end=time(9)),  # one row
    ],
)
def test_changes_invalidate_the_cached_calendars(ward, change):
    p = procedure(deadline_amount=1)
    before = procedure_due_at(p, received_at=vn(2025, 6, 2, 10), unit=ward)
    assert before == vn(2025, 6, 3, 10)
    change(ward)
    assert procedure_due_at(p, received_at=vn(2025, 6, 2, 10), unit=ward) != before


def test_deleting_an_exception_invalidates_too(ward):
    row = day_off(date(2025, 6, 3), unit=ward)
    assert not unit_calendar(ward).is_working_day(date(2025, 6, 3))
    row.delete()
    assert unit_calendar(ward).is_working_day(date(2025, 6, 3))


def test_demo_ward_closes_its_saturday_desk_during_breaks_by_the_rule():
    seed_demo()
    seed_demo()  # idempotent
    from portal.units.models import Unit

    ward = Unit.objects.get(code=DEMO_WARD_CODE)
    assert OfficeHours.objects.filter(unit=ward).count() == 11
    assert not CalendarException.objects.filter(unit=ward).exists()  # no Saturday entered by hand
    calendar = unit_calendar(ward)
    assert calendar.is_working_day(date(2026, 2, 7))  # an ordinary Saturday
    assert not calendar.is_working_day(date(2026, 2, 14))  # Saturdays inside the Tết break
    assert not calendar.is_working_day(date(2026, 2, 21))
    # The example: received Friday 26/4/2024 09:00 with one working day, due Thursday 2/5 09:00.
    p = procedure(deadline_amount=1)
    assert procedure_due_at(p, received_at=vn(2024, 4, 26, 9), unit=ward) == vn(2024, 5, 2, 9)


def test_an_announced_day_off_makes_a_break_and_the_unit_may_still_open(db):
    saturday_ward = UnitFactory(code="S1")
    office_hours_replace(
        unit=saturday_ward,
        weekly={**{d: [(time(8), time(12)), (time(13), time(17))] for d in range(5)}, 5: [(time(8), time(12))]},
    )
    p = procedure(deadline_amount=1)
    assert procedure_due_at(p, received_at=vn(2026, 9, 3, 9), unit=saturday_ward) == vn(2026, 9, 4, 9)
    # Friday 4/9/2026 announced off nationwide (a made-up row): Saturday 5/9 is now in a break, closed.
    day_off(date(2026, 9, 4))
    assert procedure_due_at(p, received_at=vn(2026, 9, 3, 9), unit=saturday_ward) == vn(2026, 9, 7, 9)
    assert date(2026, 9, 5) in nationwide_calendar_year(2026).break_days
    # The ward opens its desk that Saturday anyway: its own exception wins (a full working day).
    day_off(date(2026, 9, 5), unit=saturday_ward, kind="working_day")
    assert procedure_due_at(p, received_at=vn(2026, 9, 3, 9), unit=saturday_ward) == vn(2026, 9, 5, 9)


def test_breaks_around_new_year(db):
    saturday_ward = UnitFactory(code="S2")
    office_hours_replace(unit=saturday_ward, weekly={d: [(time(8), time(12))] for d in range(6)})
    calendar = unit_calendar(saturday_ward)
    assert not calendar.is_working_day(date(2023, 12, 30))  # 1/1/2024 is a Monday: the break starts in 2023
    assert not calendar.is_working_day(date(2026, 1, 3))  # 1–4/1/2026, with the shipped 2/1 day off
    assert calendar.is_working_day(date(2025, 12, 27))
    day_off(date(2025, 12, 29))  # a made-up announcement: Monday 29/12/2025 off
    assert not unit_calendar(saturday_ward).is_working_day(date(2025, 12, 27))  # Saturday 27/12 now in a break


def test_preview_shows_60_days_in_month_grids(ward):
    day_off(date(2026, 1, 20), unit=ward)
    months = calendar_preview(ward, date(2025, 12, 20), days=60)
    cells = {cell.day: cell for month in months for week in month["weeks"] for cell in week if cell.kind != "outside"}
    assert min(cells) == date(2025, 12, 20) and max(cells) == date(2026, 2, 17) and len(cells) == 60
    assert all(len(week) == 7 for month in months for week in month["weeks"])
    assert cells[date(2026, 1, 1)].kind == "holiday" and cells[date(2026, 1, 1)].label == "Tết Dương lịch"
    assert cells[date(2026, 1, 2)].kind == "holiday"  # the shipped swap
    assert cells[date(2026, 1, 10)].kind == "makeup"
    assert cells[date(2026, 1, 20)].kind == "holiday" and cells[date(2026, 1, 20)].label == "Lý do"
    assert cells[date(2026, 1, 5)].hours == "08:00–12:00, 13:00–17:00"
    assert cells[date(2026, 1, 4)].kind == "holiday"  # Sunday 4/1: a break day, named in the reader's language
    assert cells[date(2026, 1, 4)].label == "Kỳ nghỉ lễ: không tiếp nhận ngày cuối tuần"
    with translation.override("en"):
        english = calendar_preview(ward, date(2026, 1, 1), days=7)
    sunday = next(c for m in english for w in m["weeks"] for c in w if c.day == date(2026, 1, 4))
    assert sunday.label == "Holiday break: the weekend desk is closed"
    assert cells[date(2026, 1, 11)].kind == "closed"  # an ordinary Sunday
