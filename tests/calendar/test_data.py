"""The shipped calendar data: the `holidays` package plus the exceptions table give exactly the days the
government announced for the public sector in 2024–2026 (Monday–Friday offices)."""

from datetime import date, timedelta

import pytest

from portal.units.calendar.selectors import nationwide_calendar, nationwide_calendar_year
from portal.units.models import CalendarException

pytestmark = pytest.mark.django_db

# Weekdays off, as announced (holidays, the days adjacent to them, and swapped days).
ANNOUNCED_OFF = {
    2024: ["01-01", "02-08", "02-09", "02-12", "02-13", "02-14", "04-18", "04-29", "04-30", "05-01", "09-02", "09-03"],
    2025: ["01-01", "01-27", "01-28", "01-29", "01-30", "01-31", "04-07", "04-30", "05-01", "05-02", "09-01", "09-02"],
    2026: [
        "01-01",
        "01-02",
        "02-16",
        "02-17",
        "02-18",
        "02-19",
        "02-20",
        "04-27",
        "04-30",
        "05-01",
        "08-31",
        "09-01",
        "09-02",
        "11-24",
    ],
}
# Saturdays worked to make up for a swapped day.
ANNOUNCED_MAKEUP = {2024: ["05-04"], 2025: ["04-26"], 2026: ["01-10", "08-22"]}


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_day_of_the_year_matches_the_announcements(year):
    calendar = nationwide_calendar()  # the nationwide calendar: default office hours
    off = {date.fromisoformat(f"{year}-{d}") for d in ANNOUNCED_OFF[year]}
    makeup = {date.fromisoformat(f"{year}-{d}") for d in ANNOUNCED_MAKEUP[year]}
    day = date(year, 1, 1)
    wrong = []
    while day.year == year:
        expected = (day.weekday() < 5 and day not in off) or day in makeup
        if calendar.is_working_day(day) != expected:
            wrong.append(day)
        day += timedelta(days=1)
    assert wrong == []


def test_shipped_rows_are_the_2026_new_year_swap_with_reason_and_document():
    nationwide = CalendarException.objects.filter(unit=None).order_by("date")
    rows = list(nationwide.values_list("date", "kind", "legal_document"))
    assert [(d, k) for d, k, _doc in rows] == [(date(2026, 1, 2), "day_off"), (date(2026, 1, 10), "working_day")]
    assert all("12729/VPCP-KGVX" in doc for _d, _k, doc in rows)


def test_make_up_saturday_is_a_full_working_day_with_its_label():
    year = nationwide_calendar_year(2026)
    assert date(2026, 1, 10) in year.extra_working_days
    assert "10/01/2026" in year.days_off[date(2026, 1, 2)]  # the reason names the make-up day
    assert nationwide_calendar().sessions_on(date(2026, 1, 10))[-1][1].hour == 17


def test_the_migration_removes_only_the_hand_entered_tet_saturdays():
    from importlib import import_module

    from django.apps import apps

    from tests.factories import UnitFactory

    migration = import_module("portal.units.migrations.0004_remove_hand_entered_tet_saturdays")
    ward = UnitFactory(code="T1")
    old = {"unit": ward, "kind": "day_off", "reason": migration.OLD_REASON, "legal_document": "Kế hoạch trực Tết"}
    CalendarException.objects.create(date=date(2026, 2, 14), **old)
    CalendarException.objects.create(date=date(2026, 2, 21), **old)
    kept = CalendarException.objects.create(
        date=date(2026, 2, 28), unit=ward, kind="day_off", reason="Phường nghỉ", legal_document="TB 1"
    )
    migration.remove_rows(apps, None)
    assert list(CalendarException.objects.filter(unit=ward)) == [kept]
