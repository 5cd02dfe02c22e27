"""Booking services: hold, confirm, limits, bad input with alternatives, reschedule, cancel, lapse, capacity."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from procedures.models import Booking, BookingSettings, BookingStatus, UnitProcedure
from procedures.selectors.booking import free_slots
from procedures.services.booking import (
    BookingError,
    SlotFull,
    booking_cancel,
    booking_confirm,
    booking_create,
    booking_hold,
    booking_no_wait_note,
    booking_reschedule,
    bookings_lapse,
    slot_capacity_set,
)

from .conftest import at

NOW = at("2026-03-09 07:00")  # Monday morning, before opening


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def book(d, start, citizen=None, procedure=None):
    return booking_create(citizen=citizen or d.citizen, procedure=procedure or d.civil, unit=d.unit, start=at(start))


def test_booking_takes_a_place_and_gets_a_code(desk):
    booking = book(desk, "2026-03-10 08:30")
    assert booking.status == BookingStatus.CONFIRMED
    assert len(booking.code) == 8 and booking.counter == desk.counter1
    slot = next(s for s in free_slots(desk.unit, desk.civil, booking.day) if s.start == at("2026-03-10 08:30"))
    assert (slot.capacity, slot.available) == (2, 1)


def test_hold_is_released_after_its_minutes(desk):
    held = booking_hold(citizen=desk.citizen, procedure=desk.certify, unit=desk.unit, start=at("2026-03-10 09:00"))
    assert held.status == BookingStatus.HELD
    slot = [s for s in free_slots(desk.unit, desk.certify, held.day) if s.start == held.start][0]
    assert slot.available == 0  # counter 2 has one place and the hold takes it
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        slot = [s for s in free_slots(desk.unit, desk.certify, held.day) if s.start == held.start][0]
        assert slot.available == 1
        other = booking_create(
            citizen=desk.other_citizen, procedure=desk.certify, unit=desk.unit, start=at("2026-03-10 09:00")
        )
        assert other.status == BookingStatus.CONFIRMED
        with pytest.raises(SlotFull):
            booking_confirm(citizen=desk.citizen, code=held.code)


def test_confirm_within_the_hold(desk):
    held = booking_hold(citizen=desk.citizen, procedure=desk.civil, unit=desk.unit, start=at("2026-03-10 09:00"))
    with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
        assert booking_confirm(citizen=desk.citizen, code=held.code).status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    "start,message",
    [
        ("2026-03-09 06:30", "already passed"),
        ("2026-03-16 08:00", "6 days ahead"),  # today + 7
        ("2026-03-14 08:00", "not a working day"),  # Saturday
        ("2026-03-10 12:00", "not the start of a bookable slot"),  # lunch break
        ("2026-03-10 17:00", "not the start of a bookable slot"),  # after closing
        ("2026-03-10 08:10", "not the start of a bookable slot"),  # between slot starts
    ],
)
def test_bad_times_say_why_and_offer_alternatives(desk, start, message):
    with pytest.raises(BookingError) as caught:
        with time_machine.travel(NOW, tick=False):
            from django.utils import translation

            with translation.override("en"):
                book(desk, start)
    assert message in caught.value.messages[0]
    assert caught.value.alternatives and all(a > NOW for a in caught.value.alternatives)


def test_holiday_is_refused(desk):
    with time_machine.travel(at("2026-04-24 09:00"), tick=False):
        with pytest.raises(BookingError) as caught:
            book(desk, "2026-04-27 08:00")
    assert caught.value.alternatives[0].date().isoformat() >= "2026-04-28"


def test_not_offered_and_no_counter(desk):
    UnitProcedure.objects.create(unit=desk.unit, procedure=desk.civil2, offered=False)
    with pytest.raises(BookingError):
        book(desk, "2026-03-10 08:00", procedure=desk.civil2)
    with pytest.raises(BookingError):
        booking_create(citizen=desk.citizen, procedure=desk.civil, unit=desk.other_unit, start=at("2026-03-10 08:00"))


def test_twice_per_field_and_per_day_limits(desk):
    book(desk, "2026-03-10 08:00")
    with pytest.raises(BookingError, match="thủ tục này|this procedure"):
        book(desk, "2026-03-10 09:00")  # same procedure, same day
    with pytest.raises(BookingError):
        book(desk, "2026-03-10 09:00", procedure=desk.civil2)  # 1 per field
    book(desk, "2026-03-10 09:00", procedure=desk.certify)
    BookingSettings.objects.create(unit=desk.unit, per_day_limit=2, per_field_limit=5)
    with pytest.raises(BookingError):
        book(desk, "2026-03-10 10:00", procedure=desk.civil2)  # a third on the day
    book(desk, "2026-03-11 10:00", procedure=desk.civil2)  # another day is fine


def test_only_citizens_book(desk):
    with pytest.raises(PermissionDenied):
        booking_create(citizen=desk.desk, procedure=desk.civil, unit=desk.unit, start=at("2026-03-10 08:00"))


def test_full_slot_offers_nearest_free_starts(desk):
    book(desk, "2026-03-10 08:00", procedure=desk.certify)
    with pytest.raises(SlotFull) as caught:
        book(desk, "2026-03-10 08:00", citizen=desk.other_citizen, procedure=desk.certify)
    assert at("2026-03-10 08:30") in caught.value.alternatives


def test_reschedule_keeps_the_code_and_frees_the_old_place(desk):
    booking = book(desk, "2026-03-10 08:00", procedure=desk.certify)
    moved = booking_reschedule(citizen=desk.citizen, code=booking.code, start=at("2026-03-11 14:00"))
    assert moved.code == booking.code and moved.start == at("2026-03-11 14:00")
    book(desk, "2026-03-10 08:00", citizen=desk.other_citizen, procedure=desk.certify)  # place is free again


def test_cancel_and_cut_off(desk):
    booking = book(desk, "2026-03-09 08:30")
    with pytest.raises(BookingError):  # 90 minutes before, cut-off 60: fine … until 07:31
        with time_machine.travel(at("2026-03-09 07:45"), tick=False):
            booking_cancel(citizen=desk.citizen, code=booking.code)
    cancelled = booking_cancel(citizen=desk.citizen, code=booking.code)
    assert cancelled.status == BookingStatus.CANCELLED


def test_someone_elses_booking_is_not_found(desk):
    booking = book(desk, "2026-03-10 08:00")
    with pytest.raises(Booking.DoesNotExist):
        booking_cancel(citizen=desk.other_citizen, code=booking.code)


def test_lapse_at_end_of_day_counts_as_no_show_and_repeated_no_shows_block(desk):
    BookingSettings.objects.create(unit=desk.unit, no_show_limit=2)
    first = book(desk, "2026-03-09 08:00")
    second = book(desk, "2026-03-10 08:00")
    with time_machine.travel(at("2026-03-11 00:05"), tick=False):
        assert bookings_lapse() == 2
        assert bookings_lapse() == 0  # safe to run twice
        assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.LAPSED}
        with pytest.raises(BookingError, match="2"):
            book(desk, "2026-03-12 08:00")
    assert first.pk != second.pk


def test_unit_admin_closes_and_extends_slots(desk):
    start = at("2026-03-10 08:00")
    slot_capacity_set(actor=desk.unit_admin, counter=desk.counter2, start=start, capacity=0)
    with pytest.raises(SlotFull):
        book(desk, "2026-03-10 08:00", procedure=desk.certify)
    slot_capacity_set(actor=desk.unit_admin, counter=desk.counter2, start=start, capacity=3)
    book(desk, "2026-03-10 08:00", procedure=desk.certify)
    with pytest.raises(ValidationError):
        slot_capacity_set(actor=desk.unit_admin, counter=desk.counter2, start=start, capacity=0)
    with pytest.raises(PermissionDenied):
        slot_capacity_set(actor=desk.desk, counter=desk.counter2, start=start, capacity=5)


def test_no_wait_procedure_promises_the_result_during_the_visit(desk):
    assert "15" in booking_no_wait_note(desk.certify)
    assert booking_no_wait_note(desk.civil) == ""
