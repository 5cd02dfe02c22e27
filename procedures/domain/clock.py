"""A dossier's deadline clock, which a supplement request stops and the supplement restarts.

Two policies (DESIGN.md §2, "Clock stops"):
- RESTART, the law's rule and the default: the supplement is a new receipt, and the full deadline counts
  again from the moment it arrives;
- PAUSE: the working time left at the stop is kept and runs again from the moment the supplement arrives.
A clock stopped after its due time has no time left: under PAUSE it keeps its (past) due time.

The policy is a unit's setting (portal.units.calendar.domain.clock_policy). Each event returns a new
clock, so a dossier can store received_at / due_at / stopped_at / remaining.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from portal.units.calendar.domain.clock_policy import ClockPolicy
from portal.units.calendar.domain.working_time import CalendarError, WorkingCalendar, _

from .deadlines import Deadline, due_at

__all__ = ["ClockPolicy", "DeadlineClock"]


@dataclass(frozen=True)
class DeadlineClock:
    calendar: WorkingCalendar
    deadline: Deadline
    policy: ClockPolicy
    received_at: datetime  # the receipt the due time counts from (the new one, after a restart)
    due_at: datetime  # the due time last issued (while stopped: the one in force at the stop)
    stopped_at: datetime | None = None
    remaining: timedelta | None = None  # working time left at the stop (PAUSE)

    @classmethod
    def start(
        cls,
        calendar: WorkingCalendar,
        deadline: Deadline,
        received_at: datetime,
        policy: ClockPolicy | str = ClockPolicy.RESTART,
    ) -> DeadlineClock:
        received = calendar.local(received_at)
        return cls(calendar, deadline, ClockPolicy(policy), received, due_at(calendar, received, deadline))

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    def stop(self, at: datetime) -> DeadlineClock:
        """A supplement request at `at`: the clock stops."""
        at = self.calendar.local(at, "stopped_at")
        if not self.running:
            raise CalendarError(_("The clock is already stopped."))
        if at < self.received_at:
            raise CalendarError(_("The clock cannot stop before the dossier was received."))
        remaining = timedelta(0)
        if at < self.due_at:
            remaining = self.calendar.elapsed_working(at, self.due_at)
        return replace(self, stopped_at=at, remaining=remaining)

    def resume(self, at: datetime) -> DeadlineClock:
        """The supplement arrives at `at`: a new due time, per the policy."""
        at = self.calendar.local(at, "resumed_at")
        if self.running:
            raise CalendarError(_("The clock is not stopped."))
        if at < self.stopped_at:
            raise CalendarError(_("The clock cannot resume before it stopped."))
        if self.policy is ClockPolicy.RESTART:
            due = due_at(self.calendar, at, self.deadline)
            return replace(self, received_at=at, due_at=due, stopped_at=None, remaining=None)
        # Stopped at or after the due time, nothing is left to run: the old due time stands.
        due = self.calendar.add_working_time(at, self.remaining) if self.remaining else self.due_at
        return replace(self, due_at=due, stopped_at=None, remaining=None)
