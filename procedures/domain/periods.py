"""Reporting periods of the dashboards: inclusive local dates (Asia/Ho_Chi_Minh), pure (no ORM).

A period is whole local days: `Period(start, end)` covers 00:00 on `start` to 24:00 on `end`, Vietnam time.
A dossier received at 23:59 on the last day is in it; one received at 00:00 the next day is not (DESIGN.md §2:
every figure counts by the local calendar day, like the timeliness rule).

The dashboards ask for "this month / quarter / year" (to today) or a custom range; `parse_period` turns the
query string into a Period or a PeriodError whose message is translated and safe to show.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.units.calendar.domain.working_time import VIETNAM_TZ

__all__ = ["MAX_PERIOD_DAYS", "PRESETS", "Period", "PeriodError", "month_period", "parse_period"]

# A span longer than this is refused: five years (+2 leap days) is more than any report a ward sends upward.
MAX_PERIOD_DAYS = 5 * 366
PRESETS = ("month", "quarter", "year")
# Only YYYY-MM-DD: Python's fromisoformat also takes 20260101 and week dates, which nobody means here.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class PeriodError(ValueError):
    """A period that cannot be reported on; `message` is translated, `parameter` names the faulty input."""

    def __init__(self, message: str, parameter: str = "period"):
        super().__init__(message)
        self.message = message
        self.parameter = parameter


@dataclass(frozen=True)
class Period:
    """Inclusive local dates: `start` to `end`, both days counted."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """(aware start, aware exclusive end): local midnight of `start`, local midnight after `end`."""
        return (
            datetime.combine(self.start, time.min, tzinfo=VIETNAM_TZ),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=VIETNAM_TZ),
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_month(self) -> bool:
        """A whole calendar month (what a monthly snapshot freezes)."""
        return self == month_period(self.start.year, self.start.month)

    @property
    def label(self) -> str:
        """ "11/2026" for a whole month, "01/10/2026 – 15/11/2026" otherwise (the active language's formats)."""
        if self.is_month:
            return f"{self.start.month:02d}/{self.start.year}"
        return f"{date_format(self.start, 'SHORT_DATE_FORMAT')} – {date_format(self.end, 'SHORT_DATE_FORMAT')}"

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def month_period(year: int, month: int) -> Period:
    last = _calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last))


def previous_month(today: date) -> Period:
    first = today.replace(day=1) - timedelta(days=1)
    return month_period(first.year, first.month)


def _preset(preset: str, today: date) -> Period:
    if preset == "month":
        return Period(today.replace(day=1), today)
    if preset == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        return Period(date(today.year, first_month, 1), today)
    if preset == "year":
        return Period(date(today.year, 1, 1), today)
    raise PeriodError(
        _("Unknown period “%(value)s”: choose month, quarter or year, or give from and to dates.")
        % {"value": str(preset)[:20]},
        "preset",
    )


def _date(value: str | date | None, parameter: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31.") % {"value": str(value)[:20]},
            parameter,
        ) from None


def parse_period(*, preset: str | None, start: str | date | None, end: str | date | None, today: date) -> Period:
    """The period a dashboard asks for: a preset (the current month, quarter or year, up to `today`), or a
    custom range (`end` defaults to `today`); nothing at all is this month so far.

    Refused with a PeriodError: a bad date, a preset combined with dates, a missing start, an end before the
    start, a start or end after `today`, a span over MAX_PERIOD_DAYS."""
    first = _date(start, "from")
    last = _date(end, "to")
    preset = (preset or "").strip()
    if preset and preset != "custom":
        if first is not None or last is not None:
            raise PeriodError(_("Choose either a preset period or from/to dates, not both."), "preset")
        return _preset(preset, today)
    if first is None and last is None:
        return _preset("month", today)
    if first is None:
        raise PeriodError(_("Give the first day of the period (from) as well as the last."), "from")
    last = last if last is not None else today
    if first > today:
        raise PeriodError(_("The period starts in the future: there are no figures yet."), "from")
    if last < first:
        raise PeriodError(_("The period ends before it starts: the “to” date must not be before “from”."), "to")
    if last > today:
        raise PeriodError(_("The period ends in the future: choose today or an earlier day as “to”."), "to")
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise PeriodError(_("The period is too long: at most five years."), "from")
    return Period(first, last)
