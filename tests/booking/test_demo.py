"""The demo ward gets three counters and a booking for each demo citizen; a second run changes nothing."""

import pytest

from procedures.models import Booking, Counter
from procedures.services.demo import DEMO_WARD_CODE, seed_demo

pytestmark = pytest.mark.django_db


def test_demo_counters_and_bookings_are_idempotent():
    first = seed_demo()
    assert Counter.objects.filter(unit__code=DEMO_WARD_CODE).count() == 3
    assert first["bookings"] == Booking.objects.count() == 2
    assert seed_demo()["bookings"] == 0 and Booking.objects.count() == 2
