"""E-mails: the confirmation after commit (once), the reminder the working day before (once), the lapse sweep."""

import pytest
import time_machine
from django.core import mail

from portal.celery import app
from procedures.models import Booking, BookingStatus
from procedures.services.booking import booking_create
from procedures.services.booking_mail import booking_send_confirmation
from procedures.tasks import lapse_bookings, send_booking_reminders

from .conftest import at


@pytest.fixture
def eager():
    """Tasks run in the test's process (the e-mail lands in mail.outbox)."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_confirmation_is_sent_after_commit_once_in_vietnam_time(desk, eager, django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-03-09 07:00"), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            booking = booking_create(
                citizen=desk.citizen, procedure=desk.certify, unit=desk.unit, start=at("2026-03-10T08:00")
            )
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["dan@example.vn"] and booking.code in message.subject
        assert "08:00 10/03/2026" in message.body  # 01:00 UTC, written as the citizen will live it
        assert "15" in message.body  # the no-wait promise
        assert booking_send_confirmation(booking_id=booking.pk) is False  # never twice
        assert len(mail.outbox) == 1


def test_reminder_the_working_day_before_sent_once(desk):
    with time_machine.travel(at("2026-03-12 07:00"), tick=False):  # Thursday
        friday = booking_create(
            citizen=desk.citizen, procedure=desk.civil, unit=desk.unit, start=at("2026-03-13 08:00")
        )
        monday = booking_create(
            citizen=desk.other_citizen, procedure=desk.civil, unit=desk.unit, start=at("2026-03-16 08:00")
        )
    with time_machine.travel(at("2026-03-12 10:00"), tick=False):
        assert send_booking_reminders() == 1
        assert send_booking_reminders() == 0  # idempotent
    with time_machine.travel(at("2026-03-13 10:00"), tick=False):  # Friday: Monday is the next working day
        assert send_booking_reminders() == 1
    assert [m.to for m in mail.outbox] == [["dan@example.vn"], ["khac@example.vn"]]
    assert all(Booking.objects.filter(pk__in=[friday.pk, monday.pk]).values_list("reminder_sent_at", flat=True))


def test_lapse_task(desk):
    with time_machine.travel(at("2026-03-09 07:00"), tick=False):
        booking_create(citizen=desk.citizen, procedure=desk.civil, unit=desk.unit, start=at("2026-03-09 08:00"))
    with time_machine.travel(at("2026-03-10 00:05"), tick=False):
        assert lapse_bookings() == 1
    assert Booking.objects.get().status == BookingStatus.LAPSED


def test_beat_schedule_has_the_booking_entries():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"procedures.tasks.send_booking_reminders", "procedures.tasks.lapse_bookings"} <= tasks


def test_reminders_are_selected_per_unit_calendar_in_queries_not_per_booking(desk):
    """Thursday: the ward's next working day is Friday; the other ward is closed on Friday, so its bookings
    of Monday are due. The selection costs the same queries for 1 or 4 bookings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.units.calendar.models import CalendarException
    from procedures.models import Counter
    from procedures.services.booking_mail import bookings_due_for_reminder
    from tests.factories import UserFactory

    Counter.objects.create(unit=desk.other_unit, number=1, slot_capacity=2)
    CalendarException.objects.create(
        date=at("2026-03-13 00:00").date(),
        kind=CalendarException.Kind.DAY_OFF,
        unit=desk.other_unit,
        reason="Ngày hội phường",
        legal_document="Thông báo 1/TB-UBND",
    )
    thursday = at("2026-03-12 10:00")

    def book(unit, start, citizen=None):
        citizen = citizen or UserFactory()
        with time_machine.travel(at("2026-03-12 07:00"), tick=False):
            return booking_create(citizen=citizen, procedure=desk.civil, unit=unit, start=at(start))

    friday = book(desk.unit, "2026-03-13 08:00")
    book(desk.unit, "2026-03-16 08:00")  # Monday: not yet for the ward
    other_monday = book(desk.other_unit, "2026-03-16 08:00")
    bookings_due_for_reminder(now=thursday)  # the calendars are loaded once
    with CaptureQueriesContext(connection) as few:
        assert set(bookings_due_for_reminder(now=thursday)) == {friday.pk, other_monday.pk}
    more = [book(desk.unit, f"2026-03-13 {hour}") for hour in ("08:30", "09:00", "09:30")]
    with CaptureQueriesContext(connection) as many:
        due = bookings_due_for_reminder(now=thursday)
    assert set(due) == {friday.pk, other_monday.pk, *(b.pk for b in more)}
    assert len(many) == len(few) == 2, [q["sql"] for q in many.captured_queries]


def test_the_confirmation_is_in_the_citizens_language(desk):
    desk.citizen.language = "en"
    desk.citizen.save()
    with time_machine.travel(at("2026-03-09 07:00"), tick=False):
        english = booking_create(
            citizen=desk.citizen, procedure=desk.civil, unit=desk.unit, start=at("2026-03-10T08:00")
        )
        vietnamese = booking_create(
            citizen=desk.other_citizen, procedure=desk.civil, unit=desk.unit, start=at("2026-03-10T09:00")
        )
        mail.outbox.clear()
        booking_send_confirmation(booking_id=english.pk)
        booking_send_confirmation(booking_id=vietnamese.pk)
    assert mail.outbox[0].subject == f"Your booking {english.code} is confirmed"
    assert mail.outbox[1].subject != f"Your booking {vietnamese.code} is confirmed"
    assert vietnamese.code in mail.outbox[1].subject
