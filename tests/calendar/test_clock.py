"""The deadline clock under a supplement request: restart from the new receipt (the law) or pause."""

from datetime import timedelta

import pytest

from portal.units.calendar.domain.working_time import CalendarError
from procedures.domain.clock import ClockPolicy, DeadlineClock
from procedures.domain.deadlines import Deadline, DeadlineUnit
from tests.calendar.calendars import national, utc, vn

CAL = national()
FIVE_DAYS = Deadline(5, DeadlineUnit.WORKING_DAYS)

CASES = [
    # policy, received, stopped, resumed, due after the resume
    # Restart: the supplement is a new receipt; the full 5 days count again from it.
    (ClockPolicy.RESTART, vn(2025, 6, 2, 10), vn(2025, 6, 4, 10), vn(2025, 6, 11, 9), vn(2025, 6, 18, 9)),
    # Pause: 3 of 5 days were left at the stop; they run again from the supplement.
    (ClockPolicy.PAUSE, vn(2025, 6, 2, 10), vn(2025, 6, 4, 10), vn(2025, 6, 11, 9), vn(2025, 6, 16, 9)),
    # Pause with a supplement arriving out of hours: the rest counts from the next working moment.
    (ClockPolicy.PAUSE, vn(2025, 6, 2, 10), vn(2025, 6, 4, 10), vn(2025, 6, 7, 9), vn(2025, 6, 11, 17)),
    # Pause across Tết 2026: the break does not eat the remaining time.
    (ClockPolicy.PAUSE, vn(2026, 2, 9, 10), vn(2026, 2, 11, 10), vn(2026, 2, 23, 10), vn(2026, 2, 26, 10)),
    # Pause when stopped after the due time: nothing is left, the dossier stays late.
    (ClockPolicy.PAUSE, vn(2025, 6, 2, 10), vn(2025, 6, 10, 10), vn(2025, 6, 12, 10), vn(2025, 6, 9, 10)),
    # Restart when stopped after the due time: the new receipt still gets the full time (the law's rule).
    (ClockPolicy.RESTART, vn(2025, 6, 2, 10), vn(2025, 6, 10, 10), vn(2025, 6, 12, 10), vn(2025, 6, 19, 10)),
]


@pytest.mark.parametrize(("policy", "received", "stopped", "resumed", "expected"), CASES)
def test_stop_and_resume(policy, received, stopped, resumed, expected):
    clock = DeadlineClock.start(CAL, FIVE_DAYS, received, policy)
    stopped_clock = clock.stop(stopped)
    assert not stopped_clock.running
    resumed_clock = stopped_clock.resume(resumed)
    assert resumed_clock.running
    assert resumed_clock.due_at == expected
    # Under restart the supplement is the new receipt; under pause the first receipt stands.
    assert resumed_clock.received_at == (resumed if policy is ClockPolicy.RESTART else received)


def test_pause_keeps_the_working_time_left_and_can_stop_twice():
    clock = DeadlineClock.start(CAL, Deadline(16, DeadlineUnit.WORKING_HOURS), vn(2025, 6, 2, 8), "pause")
    clock = clock.stop(vn(2025, 6, 2, 12))  # 4 hours used
    assert clock.remaining == timedelta(hours=12)
    clock = clock.resume(vn(2025, 6, 5, 8)).stop(vn(2025, 6, 5, 17))  # 8 more used
    clock = clock.resume(vn(2025, 6, 9, 8))
    assert clock.due_at == vn(2025, 6, 9, 12)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.resume(vn(2025, 6, 3, 10)),  # not stopped
        lambda c: c.stop(vn(2025, 6, 3, 10)).stop(vn(2025, 6, 3, 11)),  # already stopped
        lambda c: c.stop(vn(2025, 6, 1, 10)),  # before receipt
        lambda c: c.stop(vn(2025, 6, 3, 10)).resume(vn(2025, 6, 3, 9)),  # resumes before it stopped
        lambda c: c.stop(vn(2025, 6, 3, 10).replace(tzinfo=None)),  # naive
    ],
)
def test_impossible_clock_events_are_refused(call):
    clock = DeadlineClock.start(CAL, FIVE_DAYS, vn(2025, 6, 2, 10))
    with pytest.raises(CalendarError):
        call(clock)


def test_clock_accepts_utc_instants_and_answers_in_vietnam_time():
    clock = DeadlineClock.start(CAL, FIVE_DAYS, utc(2025, 6, 2, 3))
    assert clock.policy is ClockPolicy.RESTART  # the law's rule is the default
    assert clock.due_at == vn(2025, 6, 9, 10)
