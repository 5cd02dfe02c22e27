"""No over-booking against real PostgreSQL: threads with their own connections race for the last places."""

import threading

import pytest
import time_machine
from django.db import connections

from procedures.models import Booking, BookingStatus
from procedures.services.booking import SlotFull, booking_create
from procedures.services.booking_queue import ticket_walk_in
from tests.factories import UserFactory

from .conftest import at

pytestmark = pytest.mark.django_db(transaction=True)
NOW = at("2026-03-09 07:00")


def run_together(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            with time_machine.travel(NOW, tick=False):
                barrier.wait()
                results[index] = call()
        except Exception as exc:  # noqa: BLE001 — the test inspects what each thread got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_sixty_citizens_race_for_the_last_places(desk, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    start = at("2026-03-10 08:00")
    with time_machine.travel(NOW, tick=False):
        booking_create(citizen=desk.citizen, procedure=desk.civil, unit=desk.unit, start=start)  # 1 of 2 taken
    citizens = [UserFactory() for _ in range(60)]
    results = run_together(
        [lambda c=c: booking_create(citizen=c, procedure=desk.civil, unit=desk.unit, start=start) for c in citizens]
    )
    won = [r for r in results if isinstance(r, Booking)]
    full = [r for r in results if isinstance(r, SlotFull)]
    assert (len(won), len(full)) == (1, 59), [r for r in results if not isinstance(r, Booking | SlotFull)][:3]
    assert all(at("2026-03-10 08:30") in f.alternatives for f in full)
    assert Booking.objects.filter(start=start, status=BookingStatus.CONFIRMED).count() == 2


def test_walk_in_numbers_are_unique_under_load(desk):
    results = run_together(
        [lambda: ticket_walk_in(unit=desk.unit, procedure=desk.certify, actor=desk.desk) for _ in range(20)]
    )
    numbers = sorted(r.number for r in results)
    assert numbers == list(range(1, 21)), results[:3]
