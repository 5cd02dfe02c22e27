"""Properties of the response deadline on the ward's calendar: whatever the receipt time, the due time is later,
falls inside office hours of a working day, and an answer at the due time is never late."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.units.calendar.domain.working_time import VIETNAM_TZ
from portal.units.calendar.selectors import unit_calendar
from procedures.domain.deadlines import Timeliness, timeliness
from procedures.services.feedback import feedback_due_at

pytestmark = pytest.mark.django_db
START = datetime(2026, 1, 1, tzinfo=UTC)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minutes=st.integers(min_value=0, max_value=365 * 24 * 60))
def test_the_due_time_is_a_working_moment_after_the_receipt(world, minutes):
    received = START + timedelta(minutes=minutes)
    due = feedback_due_at(unit=world.unit, received_at=received)
    calendar = unit_calendar(world.unit)
    assert due > received
    # 15 working days: more than 14 calendar days (make-up Saturdays can shorten the weeks, never below that).
    assert due - received > timedelta(days=14)
    local = due.astimezone(VIETNAM_TZ)
    assert calendar.is_working_day(local.date())
    assert 8 <= local.hour + local.minute / 60 <= 17
    assert timeliness(due, due) is not Timeliness.LATE
    assert timeliness(due + timedelta(seconds=1), due) is Timeliness.LATE
