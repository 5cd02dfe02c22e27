"""Writes on a unit's working calendar: office hours and exceptions (the admin site edits them too)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

from django.db import transaction

from portal.units.models import OfficeHours, Unit

from .cache import invalidate_calendars
from .domain.working_time import check_sessions

# The demo ward also receives on Saturday mornings, as some wards do (DESIGN.md §2).
DEMO_OFFICE_HOURS = {
    **{weekday: [(time(8), time(12)), (time(13), time(17))] for weekday in range(5)},
    5: [(time(8), time(12))],
}


@transaction.atomic
def office_hours_replace(*, unit: Unit, weekly: dict[int, Iterable[tuple[time, time]]]) -> list[OfficeHours]:
    """Replace a unit's weekly sessions; overlapping or inverted sessions raise CalendarError."""
    rows = []
    for weekday, sessions in sorted(weekly.items()):
        sessions = sorted(sessions)
        check_sessions(sessions)
        rows.extend(OfficeHours(unit=unit, weekday=weekday, start=start, end=end) for start, end in sessions)
    OfficeHours.objects.filter(unit=unit).delete()
    created = OfficeHours.objects.bulk_create(rows)
    invalidate_calendars()  # bulk_create sends no signals
    return created


def seed_demo_calendar(units: dict[str, Unit], ward_code: str) -> None:
    """Office hours with a Saturday morning for the demo ward; idempotent. Its Saturday desk closes during
    holiday breaks by the national rule (national_days), so no Saturday is entered by hand."""
    ward = units[ward_code]
    wanted = {(day, start, end) for day, sessions in DEMO_OFFICE_HOURS.items() for start, end in sessions}
    if set(OfficeHours.objects.filter(unit=ward).values_list("weekday", "start", "end")) != wanted:
        office_hours_replace(unit=ward, weekly=DEMO_OFFICE_HOURS)
