"""Booking slots and the desk queue's fairness rule (pure Python, no ORM).

- Slots: a working day's sessions (the unit's working calendar: no holidays, no breaks, make-up Saturdays
  worked) cut into slots of a fixed length; a slot that would run past the close of its session is not
  offered, so no booking ever starts in a lunch break or ends after closing.
- Queue: officers call "next", they never pick. Priority tickets (elderly, disabled, pregnant, small
  children) go first, but after `priority_run` priority calls in a row a waiting normal ticket is served,
  so priority cannot starve normal tickets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def day_slots(calendar, day: date, minutes: int) -> list[Slot]:
    """The slots of `day` (aware, in the calendar's time zone); none on a day off."""
    if minutes <= 0:
        raise ValueError("slot length must be positive")
    tz = calendar.tz
    length = timedelta(minutes=minutes)
    slots = []
    for opening, closing in calendar.sessions_on(day):
        start = datetime.combine(day, opening, tzinfo=tz)
        close = datetime.combine(day, closing, tzinfo=tz)
        while start + length <= close:
            slots.append(Slot(start, start + length))
            start += length
    return slots


@dataclass(frozen=True)
class Waiting:
    """A waiting ticket as the rule sees it: its id and whether it is a priority ticket, oldest first."""

    id: int
    priority: bool


def choose_next(waiting: Sequence[Waiting], priority_streak: int, priority_run: int) -> tuple[Waiting, int] | None:
    """The ticket to call from `waiting` (oldest first) and the new count of priority calls in a row.

    A priority ticket is called while fewer than `priority_run` priority calls happened in a row; then the
    oldest normal ticket, if any waits (which resets the run). No waiting ticket → None.
    """
    if not waiting:
        return None
    first_priority = next((t for t in waiting if t.priority), None)
    first_normal = next((t for t in waiting if not t.priority), None)
    if first_priority is not None and (first_normal is None or priority_streak < max(priority_run, 1)):
        return first_priority, priority_streak + 1
    return first_normal, 0
