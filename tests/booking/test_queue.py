"""The desk queue: check-in, walk-ins sharing a sequence, call next, recall, no-show, transfer, times."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st

from procedures.domain.booking import Waiting, choose_next
from procedures.models import BookingSettings, BookingStatus, TicketStatus
from procedures.selectors.booking import display_data, queue_stats
from procedures.services.booking import booking_create
from procedures.services.booking_queue import (
    QueueError,
    ticket_call_next,
    ticket_check_in,
    ticket_finish,
    ticket_no_show,
    ticket_reactivate,
    ticket_recall,
    ticket_start,
    ticket_transfer,
    ticket_walk_in,
)

from .conftest import at

MORNING = at("2026-03-10 07:30")


@pytest.fixture
def booked(desk):
    with time_machine.travel(at("2026-03-09 10:00"), tick=False):
        return booking_create(citizen=desk.citizen, procedure=desk.civil, unit=desk.unit, start=at("2026-03-10 08:00"))


def test_check_in_and_walk_ins_share_one_sequence(desk, booked):
    with time_machine.travel(MORNING, tick=False):
        walk = ticket_walk_in(unit=desk.unit, procedure=desk.civil, actor=desk.desk)
        ticket = ticket_check_in(actor=desk.desk, code=booked.code.lower())
    assert (walk.number, ticket.number) == (1, 2)
    assert ticket.counter == desk.counter1 and ticket.label == "1-002"
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CHECKED_IN


@pytest.mark.parametrize(
    "when,message",
    [
        ("2026-03-09 10:30", "not today"),
        ("2026-03-11 08:00", "expired"),
    ],
)
def test_check_in_with_wrong_day_says_why(desk, booked, when, message):
    from django.utils import translation

    with time_machine.travel(at(when), tick=False), translation.override("en"):
        with pytest.raises(QueueError, match=message):
            ticket_check_in(actor=desk.desk, code=booked.code)


def test_check_in_wrong_code_or_other_unit(desk, booked):
    with time_machine.travel(MORNING, tick=False):
        with pytest.raises(QueueError):
            ticket_check_in(actor=desk.desk, code="NOPE1234")
        with pytest.raises(QueueError):  # another unit's desk does not know it
            ticket_check_in(actor=desk.other_desk, code=booked.code)
        with pytest.raises(PermissionDenied):
            ticket_check_in(actor=desk.citizen, code=booked.code)
        ticket_check_in(actor=desk.desk, code=booked.code)
        with pytest.raises(QueueError):
            ticket_check_in(actor=desk.desk, code=booked.code)  # twice


def test_call_recall_start_finish_and_times(desk):
    with time_machine.travel(MORNING, tick=False) as clock:
        ticket = ticket_walk_in(unit=desk.unit, procedure=desk.certify, actor=desk.desk)
        clock.shift(timedelta(minutes=10))
        called = ticket_call_next(actor=desk.desk, counter=desk.counter2)
        assert called.pk == ticket.pk and called.status == TicketStatus.CALLED
        with pytest.raises(QueueError):
            ticket_call_next(actor=desk.desk, counter=desk.counter2)  # the called one has not come yet
        clock.shift(timedelta(minutes=1))
        assert ticket_recall(actor=desk.desk, ticket_id=ticket.pk).recalls == 1
        clock.shift(timedelta(minutes=1))
        ticket_start(actor=desk.desk, ticket_id=ticket.pk)
        clock.shift(timedelta(minutes=5))
        done = ticket_finish(actor=desk.desk, ticket_id=ticket.pk)
        assert done.status == TicketStatus.DONE
        assert done.called_at - done.issued_at == timedelta(minutes=10)  # wait
        assert done.started_at - done.called_at == timedelta(minutes=2)  # walk to the counter
        assert done.finished_at - done.started_at == timedelta(minutes=5)  # service
        stats = queue_stats(desk.unit, MORNING.date(), MORNING.date())
        assert stats["counters"][0]["avg_wait"] == timedelta(minutes=10)
        assert stats["officers"][0]["avg_service"] == timedelta(minutes=5)
        assert ticket_call_next(actor=desk.desk, counter=desk.counter2) is None


def test_no_show_reactivate_and_transfer(desk):
    with time_machine.travel(MORNING, tick=False) as clock:
        first = ticket_walk_in(unit=desk.unit, procedure=desk.certify, actor=desk.desk)
        second = ticket_walk_in(unit=desk.unit, procedure=desk.certify, actor=desk.desk)
        ticket_call_next(actor=desk.desk, counter=desk.counter2)
        ticket_no_show(actor=desk.desk, ticket_id=first.pk)
        clock.shift(timedelta(minutes=1))
        ticket_reactivate(actor=desk.desk, ticket_id=first.pk)  # back in line, behind the second
        assert ticket_call_next(actor=desk.desk, counter=desk.counter2).pk == second.pk
        moved = ticket_transfer(actor=desk.desk, ticket_id=second.pk, to_counter=desk.counter1)
        assert (moved.counter, moved.status, moved.label) == (desk.counter1, TicketStatus.WAITING, "2-002")
        assert ticket_call_next(actor=desk.desk, counter=desk.counter1).pk == second.pk
        with pytest.raises(QueueError):
            ticket_transfer(actor=desk.desk, ticket_id=first.pk, to_counter=desk.counter2)


def test_display_shows_numbers_only(desk, booked):
    with time_machine.travel(MORNING, tick=False):
        ticket_check_in(actor=desk.desk, code=booked.code)
        ticket_call_next(actor=desk.desk, counter=desk.counter1)
        data = display_data(desk.unit)
    assert data["counters"][0]["serving"] == "1-001"
    assert data["recent"][0]["ticket"] == "1-001"
    assert desk.citizen.full_name not in str(data) and booked.code not in str(data)


def test_priority_run_is_a_unit_setting(desk):
    BookingSettings.objects.create(unit=desk.unit, priority_run=2)
    with time_machine.travel(MORNING, tick=False):
        normal = ticket_walk_in(unit=desk.unit, procedure=desk.certify, actor=desk.desk)
        walk = {"unit": desk.unit, "procedure": desk.certify, "actor": desk.desk}
        prio = [ticket_walk_in(**walk, priority=True) for _ in range(3)]
        order = []
        for _ in range(4):
            t = ticket_call_next(actor=desk.desk, counter=desk.counter2)
            ticket_start(actor=desk.desk, ticket_id=t.pk)
            order.append(t.pk)
    assert order == [prio[0].pk, prio[1].pk, normal.pk, prio[2].pk]


# --- fairness of the pure rule (hypothesis) -----------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    arrivals=st.lists(st.lists(st.booleans(), max_size=4), min_size=1, max_size=30),
    run=st.integers(min_value=1, max_value=5),
)
def test_every_ticket_is_called_and_priority_comes_first_within_a_bound(arrivals, run):
    """Tickets arrive in batches between calls; the queue then drains. Every ticket gets called; a waiting
    normal ticket never sees more than `run` priority calls in a row; a waiting priority ticket is called
    before any normal ticket unless `run` priority calls just happened."""
    waiting: list[Waiting] = []
    streak, next_id, called = 0, 0, []
    priority_in_a_row = 0
    steps = arrivals + [[]] * (sum(len(b) for b in arrivals) + 1)
    for batch in steps:
        for is_priority in batch:
            waiting.append(Waiting(next_id, is_priority))
            next_id += 1
        chosen = choose_next(waiting, streak, run)
        if chosen is None:
            continue
        ticket, new_streak = chosen
        normal_waiting = any(not t.priority for t in waiting)
        priority_waiting = any(t.priority for t in waiting)
        if ticket.priority:
            priority_in_a_row += 1
            if normal_waiting:
                assert priority_in_a_row <= run
        else:
            priority_in_a_row = 0
            assert not priority_waiting or streak >= run  # priority first unless the run is used up
        assert ticket == next(t for t in waiting if t.priority == ticket.priority)  # oldest of its kind
        streak = new_streak
        waiting.remove(ticket)
        called.append(ticket.id)
    assert sorted(called) == list(range(next_id))
