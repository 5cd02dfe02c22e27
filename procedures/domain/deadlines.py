"""Statutory deadlines on a working calendar: units, due times, timeliness (pure: no ORM, no I/O).

The working time itself (office hours, days off, positions) is portal.units.calendar.domain.working_time;
this module turns a procedure's deadline into calls on it (DESIGN.md §2):
- N working days end at the same position within the day N working days later;
- N working hours (and a no-wait target in minutes) are working time added from the receipt;
- same day with a cut-off: received by the cut-off → the close of that working day; after it (or after
  closing) → the close of the next working day.

`DeadlineUnit` is defined here once, as Django `TextChoices` so the catalogue's model field, forms and this
module share one set of values and labels; Django's enum and lazy-translation helpers need no settings and
no database, so the module stays pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from enum import StrEnum

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy

from portal.units.calendar.domain.working_time import VIETNAM_TZ, CalendarError, WorkingCalendar, _


class DeadlineUnit(TextChoices):
    """Units of a statutory deadline (the catalogue's `deadline_unit`)."""

    WORKING_DAYS = "working_days", gettext_lazy("working days")
    WORKING_HOURS = "working_hours", gettext_lazy("working hours")
    SAME_DAY_CUTOFF = "same_day_cutoff", gettext_lazy("same day (next working day after the cut-off)")


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


# Anything above these is a data-entry mistake, not a statutory deadline (the longest ones are ~60 days).
MAX_AMOUNT = {
    DeadlineUnit.WORKING_DAYS: 365,
    DeadlineUnit.WORKING_HOURS: 365 * 8,
    DeadlineUnit.SAME_DAY_CUTOFF: 365,
}
# A no-wait target is minutes at the desk; more than a few working days is a typo.
MAX_NO_WAIT_MINUTES = 10_000


@dataclass(frozen=True, slots=True)
class Deadline:
    """A statutory time allowance. For SAME_DAY_CUTOFF, `amount` counts working days including the first
    (1 = "within the day"), and `cutoff` is the local time after which receipt counts from the next day."""

    amount: int
    unit: DeadlineUnit
    cutoff: time | None = None

    def __post_init__(self):
        try:
            unit = DeadlineUnit(self.unit)
        except ValueError:
            raise CalendarError(_("Unknown deadline unit: %(unit)s."), unit=self.unit) from None
        object.__setattr__(self, "unit", unit)
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise CalendarError(_("A deadline amount must be a whole number, not %(amount)r."), amount=self.amount)
        if not 0 < self.amount <= MAX_AMOUNT[unit]:
            raise CalendarError(
                _("A deadline of %(amount)s %(unit)s is out of range (1 to %(max)s)."),
                amount=self.amount,
                unit=unit.value,
                max=MAX_AMOUNT[unit],
            )
        if unit is DeadlineUnit.SAME_DAY_CUTOFF:
            if not isinstance(self.cutoff, time) or self.cutoff.tzinfo is not None:
                raise CalendarError(_("A same-day deadline needs a cut-off time of day, e.g. 15:00."))
        elif self.cutoff is not None:
            raise CalendarError(_("Only a same-day deadline has a cut-off time."))


def due_at(calendar: WorkingCalendar, received_at: datetime, deadline: Deadline) -> datetime:
    """When a dossier received at `received_at` is due under `deadline` on `calendar`."""
    unit = deadline.unit
    if unit is DeadlineUnit.WORKING_DAYS:
        return calendar.add_working_days(received_at, deadline.amount)
    if unit is DeadlineUnit.WORKING_HOURS:
        return calendar.add_working_time(received_at, timedelta(hours=deadline.amount))
    return calendar.close_of_day_for(received_at, deadline.cutoff, deadline.amount)


def no_wait_due_at(calendar: WorkingCalendar, received_at: datetime, minutes: int) -> datetime:
    """The no-wait target: `minutes` of working time from the receipt (about 15, lunch and nights excluded)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_NO_WAIT_MINUTES:
        raise CalendarError(
            _("A no-wait target must be 1 to %(max)s minutes, not %(minutes)r."),
            minutes=minutes,
            max=MAX_NO_WAIT_MINUTES,
        )
    return calendar.add_working_time(received_at, timedelta(minutes=minutes))


def deadline_working_minutes(amount: int, unit: DeadlineUnit | str, full_day_minutes: int) -> int:
    """A deadline as working minutes, to compare step allotments or a no-wait target with.

    A working day counts as the calendar's *full* day (`WorkingCalendar.full_day_minutes`: 480 on the
    national hours), never as a fixed 480 and never as a short day: a Saturday morning is one working day of
    a deadline but holds only 4 hours, so minutes planned per day are full-day minutes. Hours are 60 minutes
    each; a same-day deadline counts as one working day (as the database's allotment trigger does).
    """
    unit = DeadlineUnit(unit)
    if unit is DeadlineUnit.WORKING_HOURS:
        return amount * 60
    if unit is DeadlineUnit.SAME_DAY_CUTOFF:
        return full_day_minutes
    return amount * full_day_minutes


def timeliness(finished_at: datetime, due_at: datetime, *, tz: tzinfo = VIETNAM_TZ) -> Timeliness:
    """Early: finished before the local calendar day of the due time; on time: that day, not after the due
    time; late: after the due time (DESIGN.md §2, "Timeliness")."""
    for name, value in (("finished_at", finished_at), ("due_at", due_at)):
        if not isinstance(value, datetime) or value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise CalendarError(_("%(name)s must include a time zone, e.g. 2026-01-05T10:00:00+07:00."), name=name)
    if finished_at > due_at:
        return Timeliness.LATE
    if finished_at.astimezone(tz).date() < due_at.astimezone(tz).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME
