"""Writes on a unit's working calendar: office hours and exceptions (the admin site edits them too)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.units.models import CalendarException, OfficeHours, Unit
from portal.units.permissions import can_manage_unit_calendar

from .cache import invalidate_calendars
from .domain.working_time import check_sessions

# The demo ward also receives on Saturday mornings, as some wards do (DESIGN.md §2).
DEMO_OFFICE_HOURS = {
    **{weekday: [(time(8), time(12)), (time(13), time(17))] for weekday in range(5)},
    5: [(time(8), time(12))],
}


def _check_calendar_keeper(user, unit: Unit | None) -> None:
    """A unit admin keeps their subtree's calendar; nationwide rows are the superuser's (None: shell, demo)."""
    if user is not None and not can_manage_unit_calendar(user, unit):
        raise PermissionDenied(_("You may change only the working calendar of the units you manage."))


@transaction.atomic
def office_hours_replace(*, unit: Unit, weekly: dict[int, Iterable[tuple[time, time]]], user=None) -> list[OfficeHours]:
    """Replace a unit's weekly sessions; overlapping or inverted sessions raise CalendarError."""
    _check_calendar_keeper(user, unit)
    rows = []
    for weekday, sessions in sorted(weekly.items()):
        sessions = sorted(sessions)
        check_sessions(sessions)
        rows.extend(OfficeHours(unit=unit, weekday=weekday, start=start, end=end) for start, end in sessions)
    OfficeHours.objects.filter(unit=unit).delete()
    created = OfficeHours.objects.bulk_create(rows)
    invalidate_calendars()  # bulk_create sends no signals
    return created


@transaction.atomic
def calendar_exception_save(*, exception: CalendarException, user=None) -> CalendarException:
    """Validate (fields, one row per day and scope, the 2000–2100 range) and save one exception."""
    _check_calendar_keeper(user, exception.unit)
    if exception.pk is not None and user is not None:
        # Moving a row out of (or into) the nationwide scope needs the right on both ends.
        before = CalendarException.objects.select_related("unit").get(pk=exception.pk)
        _check_calendar_keeper(user, before.unit)
    exception.full_clean()
    exception.save()
    return exception


@transaction.atomic
def calendar_exception_delete(*, exception: CalendarException, user=None) -> None:
    _check_calendar_keeper(user, exception.unit)
    exception.delete()


@transaction.atomic
def unit_calendar_save(
    *,
    unit: Unit,
    office_hours: dict[int, list[tuple[time, time]]] | None = None,
    exceptions_saved: Iterable[CalendarException] = (),
    exceptions_deleted: Iterable[CalendarException] = (),
    user=None,
) -> None:
    """A unit's calendar edited in one submit (the units admin's inlines), through the checks above."""
    _check_calendar_keeper(user, unit)
    if office_hours is not None:
        office_hours_replace(unit=unit, weekly=office_hours, user=user)
    for exception in exceptions_deleted:
        calendar_exception_delete(exception=exception, user=user)
    for exception in exceptions_saved:
        if exception.unit_id != unit.pk:
            raise ValidationError(_("An exception edited with a unit belongs to that unit."))
        calendar_exception_save(exception=exception, user=user)


def seed_demo_calendar(units: dict[str, Unit], ward_code: str) -> None:
    """Office hours with a Saturday morning for the demo ward; idempotent. Its Saturday desk closes during
    holiday breaks by the national rule (national_days), so no Saturday is entered by hand."""
    ward = units[ward_code]
    wanted = {(day, start, end) for day, sessions in DEMO_OFFICE_HOURS.items() for start, end in sessions}
    if set(OfficeHours.objects.filter(unit=ward).values_list("weekday", "start", "end")) != wanted:
        office_hours_replace(unit=ward, weekly=DEMO_OFFICE_HOURS)
