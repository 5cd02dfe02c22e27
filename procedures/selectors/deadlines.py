"""A procedure's deadlines on a unit's working calendar (portal.units.calendar), for pages and the API."""

from __future__ import annotations

from datetime import datetime

from portal.units.calendar.domain.working_time import WorkingCalendar
from portal.units.calendar.selectors import default_unit_calendar, unit_calendar
from portal.units.models import Unit
from procedures.domain import deadlines
from procedures.domain.deadlines import Deadline, DeadlineUnit


def procedure_deadline(procedure) -> Deadline:
    """The procedure's statutory deadline as the domain's value object."""
    unit = DeadlineUnit(procedure.deadline_unit)
    cutoff = procedure.deadline_cutoff if unit is DeadlineUnit.SAME_DAY_CUTOFF else None
    return Deadline(procedure.deadline_amount, unit, cutoff)


def _calendar_of(unit: Unit | None) -> WorkingCalendar:
    # A dossier is always received by a unit: when the caller names none, it is the default unit's desk.
    return unit_calendar(unit) if unit is not None else default_unit_calendar()


def procedure_due_at(procedure, *, received_at: datetime, unit: Unit | None = None) -> datetime:
    """When a dossier of `procedure` received at `received_at` by `unit` is due; `unit` omitted means the
    portal's default unit (default_unit_calendar), never the nationwide calendar. Raises CalendarError (a
    ValueError) on bad input."""
    return deadlines.due_at(_calendar_of(unit), received_at, procedure_deadline(procedure))


def no_wait_due_at(procedure, *, received_at: datetime, unit: Unit | None = None) -> datetime | None:
    """The no-wait target (working minutes from receipt), or None for a procedure that is not no-wait."""
    if not procedure.no_wait or not procedure.no_wait_minutes:
        return None
    return deadlines.no_wait_due_at(_calendar_of(unit), received_at, procedure.no_wait_minutes)


def procedure_deadline_minutes(procedure, *, unit: Unit | None = None) -> int:
    """The statutory deadline in working minutes on the unit's calendar: its working days count as that
    calendar's full day (deadlines.deadline_working_minutes), e.g. 7½ hours for a unit open 07:30–11:30 and
    13:30–17:00. Step allotments that fit the nationwide catalogue may not fit such a unit."""
    return deadlines.deadline_working_minutes(
        procedure.deadline_amount, procedure.deadline_unit, _calendar_of(unit).full_day_minutes
    )
