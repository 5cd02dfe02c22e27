"""Properties of the deadline maths that must hold for every receipt time, amount and calendar."""

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.units.calendar.domain.working_time import VIETNAM_TZ
from procedures.domain.deadlines import Deadline, DeadlineUnit, due_at, no_wait_due_at
from tests.calendar.calendars import national, with_saturday_morning

CALENDARS = [national(), with_saturday_morning()]
UNIFORM = CALENDARS[0]  # every working day is 8 hours long

# Instants around three years of holidays and swaps, sent in Vietnam time or in UTC, down to the second.
instants = st.builds(
    lambda dt, tz: dt.replace(tzinfo=UTC).astimezone(tz),
    st.datetimes(min_value=datetime(2023, 12, 20), max_value=datetime(2026, 12, 20)),  # noqa: DTZ001 (bounds)
    st.sampled_from([VIETNAM_TZ, UTC]),
)
calendars = st.sampled_from(CALENDARS)
cutoffs = st.sampled_from([time(15), time(11), time(16, 30)])


@st.composite
def deadlines(draw, max_amount=40):
    unit = draw(st.sampled_from(list(DeadlineUnit)))
    amount = draw(st.integers(1, max_amount))
    return Deadline(amount, unit, draw(cutoffs) if unit is DeadlineUnit.SAME_DAY_CUTOFF else None)


def in_office_hours(calendar, moment):
    """Inside a session of that day, its close included (a due time may be exactly at closing)."""
    local = moment.astimezone(calendar.tz)
    return any(start < local.time() <= end for start, end in calendar.sessions_on(local.date()))


@given(calendars, instants, deadlines())
def test_due_at_is_never_before_receipt_and_falls_in_office_hours(calendar, received, deadline):
    due = due_at(calendar, received, deadline)
    assert due >= received
    assert in_office_hours(calendar, due)
    assert due.utcoffset() == timedelta(hours=7)


@given(calendars, instants, st.integers(0, 3 * 24 * 3600), deadlines())
def test_due_at_is_monotonic_in_received_at(calendar, received, later_by, deadline):
    later = received + timedelta(seconds=later_by)
    assert due_at(calendar, received, deadline) <= due_at(calendar, later, deadline)


@given(calendars, instants, st.sampled_from(list(DeadlineUnit)), st.integers(1, 60), st.integers(0, 60), cutoffs)
def test_due_at_is_monotonic_in_the_amount(calendar, received, unit, amount, more, cutoff):
    cut = cutoff if unit is DeadlineUnit.SAME_DAY_CUTOFF else None
    assert due_at(calendar, received, Deadline(amount, unit, cut)) <= due_at(
        calendar, received, Deadline(amount + more, unit, cut)
    )


@given(calendars, instants, st.integers(1, 200), st.integers(1, 200))
def test_adding_a_then_b_working_hours_equals_adding_a_plus_b(calendar, received, a, b):
    hours = DeadlineUnit.WORKING_HOURS
    step = due_at(calendar, due_at(calendar, received, Deadline(a, hours)), Deadline(b, hours))
    assert step == due_at(calendar, received, Deadline(a + b, hours))


@given(calendars, instants, st.integers(1, 500))
def test_elapsed_working_time_from_receipt_to_due_equals_the_amount(calendar, received, amount):
    hours = due_at(calendar, received, Deadline(amount, DeadlineUnit.WORKING_HOURS))
    assert calendar.elapsed_working(received, hours) == timedelta(hours=amount)
    minutes = no_wait_due_at(calendar, received, amount)
    assert calendar.elapsed_working(received, minutes) == timedelta(minutes=amount)


@given(instants, st.integers(1, 120))
def test_n_working_days_are_n_full_days_of_working_time_on_a_uniform_calendar(received, days):
    due = due_at(UNIFORM, received, Deadline(days, DeadlineUnit.WORKING_DAYS))
    assert UNIFORM.elapsed_working(received, due) == timedelta(hours=8 * days)


@given(calendars, instants, instants, instants)
def test_elapsed_working_adds_up(calendar, a, b, c):
    a, b, c = sorted([a, b, c])
    assert calendar.elapsed_working(a, b) + calendar.elapsed_working(b, c) == calendar.elapsed_working(a, c)
    assert calendar.elapsed_working(a, c) <= c - a


@given(calendars, instants)
@settings(max_examples=200)
def test_next_working_moment_is_the_first_instant_that_counts(calendar, moment):
    nxt = calendar.next_working_moment(moment)
    local = nxt.astimezone(calendar.tz)
    assert nxt >= moment
    assert any(start <= local.time() < end for start, end in calendar.sessions_on(local.date()))
    assert calendar.elapsed_working(moment, nxt) == timedelta(0)  # nothing counted in between
    assert calendar.elapsed_working(nxt, nxt + timedelta(minutes=1)) > timedelta(0)  # and it counts from here
