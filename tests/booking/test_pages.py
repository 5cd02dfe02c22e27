"""Booking pages: the citizen's flow (day → slot → hold → confirm → code and QR → reschedule, cancel),
the desk (check-in, walk-in, call next, no picking), the kiosk, the display screen and statistics."""

import pytest
import time_machine
from django.test import Client

from procedures.models import Booking, BookingStatus, Ticket, TicketStatus
from procedures.selectors.booking import free_slots

from .conftest import at

NOW = at("2026-03-09 07:00")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def default_ward(desk, settings):
    settings.DEFAULT_UNIT_CODE = desk.unit.code
    return desk


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def test_citizen_books_confirms_and_sees_code_and_qr(default_ward):
    d = default_ward
    client = signed_in(d.citizen)
    page = client.get(f"/thu-tuc/{d.certify.code}/dat-lich/?ngay=2026-03-10")
    assert page.status_code == 200
    assert "2026-03-10T08:00:00+07:00" in page.content.decode()
    assert "15" in page.context["no_wait_note"]
    response = client.post(
        f"/thu-tuc/{d.certify.code}/dat-lich/?ngay=2026-03-10",
        {"day": "2026-03-10", "start": "2026-03-10T08:00:00+07:00"},
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/lich-hen/{booking.code}/xac-nhan/"
    assert booking.status == BookingStatus.HELD
    response = client.post(f"/lich-hen/{booking.code}/xac-nhan/")
    assert response["Location"] == f"/lich-hen/{booking.code}/"
    detail = client.get(f"/lich-hen/{booking.code}/").content.decode()
    assert booking.code in detail and "<svg" in detail and "08:00" in detail
    assert booking.code in client.get("/lich-hen/").content.decode()


def test_a_taken_or_forged_time_is_a_form_error(default_ward):
    d = default_ward
    client = signed_in(d.citizen)
    response = client.post(
        f"/thu-tuc/{d.civil.code}/dat-lich/", {"day": "2026-03-10", "start": "2026-03-10T12:00:00+07:00"}
    )
    assert response.status_code == 400 and not Booking.objects.exists()


def test_reschedule_and_cancel_pages(default_ward):
    d = default_ward
    client = signed_in(d.citizen)
    client.post(f"/thu-tuc/{d.civil.code}/dat-lich/", {"day": "2026-03-10", "start": "2026-03-10T08:00:00+07:00"})
    code = Booking.objects.get().code
    client.post(f"/lich-hen/{code}/xac-nhan/")
    response = client.post(f"/lich-hen/{code}/doi-lich/", {"day": "2026-03-11", "start": "2026-03-11T09:00:00+07:00"})
    assert response.status_code == 302
    assert Booking.objects.get().start == at("2026-03-11 09:00")
    client.post(f"/lich-hen/{code}/huy/")
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert signed_in(d.other_citizen).get(f"/lich-hen/{code}/").status_code == 404


def test_desk_check_in_call_and_display(default_ward):
    d = default_ward
    citizen = signed_in(d.citizen)
    citizen.post(f"/thu-tuc/{d.civil.code}/dat-lich/", {"day": "2026-03-09", "start": "2026-03-09T08:00:00+07:00"})
    code = Booking.objects.get().code
    citizen.post(f"/lich-hen/{code}/xac-nhan/")
    desk = signed_in(d.desk)
    page = desk.get("/quay/").content.decode()
    assert code in page
    desk.post("/quay/check-in/", {"code": "WRONG123"})
    assert "WRONG123" in desk.get("/quay/").content.decode()  # the message says which code was wrong
    desk.post("/quay/check-in/", {"code": code})
    ticket = Ticket.objects.get()
    desk.post(f"/quay/{d.counter1.pk}/goi-tiep/")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED
    screen = Client().get(f"/man-hinh/{d.unit.code}/").content.decode()
    assert "1-001" in screen and d.citizen.full_name not in screen and code not in screen
    desk.post(f"/quay/ve/{ticket.pk}/start/")
    desk.post(f"/quay/ve/{ticket.pk}/finish/")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert signed_in(d.leader).get("/quay/thong-ke/").status_code == 200


def test_kiosk_issues_a_number(default_ward):
    d = default_ward
    response = signed_in(d.desk).post("/quay/kiosk/", {"procedure": d.certify.pk, "priority": "on"})
    assert response.status_code == 200 and "2-001" in response.content.decode()
    assert Ticket.objects.get().priority


def test_roles(default_ward):
    d = default_ward
    assert signed_in(d.desk).get(f"/thu-tuc/{d.civil.code}/dat-lich/").status_code == 403
    assert signed_in(d.citizen).get("/quay/").status_code == 403
    assert signed_in(d.other_desk).post(f"/quay/{d.counter1.pk}/goi-tiep/").status_code == 404  # not theirs
    assert Client().get("/quay/").status_code == 302


def test_unit_admin_adds_a_counter_and_closes_a_morning(default_ward):
    d = default_ward
    admin = signed_in(d.unit_admin)
    assert admin.get("/quay/cau-hinh/").status_code == 200
    response = admin.post(
        "/quay/cau-hinh/",
        {"counter-number": 3, "counter-name": "Tổng hợp", "counter-slot_capacity": 4, "counter-is_active": "on"},
    )
    assert response.status_code == 302
    assert d.unit.counters.get(number=3).slot_capacity == 4
    assert admin.post("/quay/cau-hinh/", {"counter-number": 3, "counter-slot_capacity": 1}).status_code == 400  # taken
    response = admin.post(
        "/quay/cau-hinh/",
        {
            "capacity-counter": d.counter2.pk,
            "capacity-day": "2026-03-10",
            "capacity-first": "08:00",
            "capacity-last": "11:30",
            "capacity-capacity": 0,
        },
    )
    assert response.status_code == 302
    morning = free_slots(d.unit, d.certify, at("2026-03-10 08:00").date())
    # counter 2 closed in the morning; counter 3 (every field, 4 places) still takes bookings
    assert [s.available for s in morning[:8]] == [4] * 8 and morning[8].available == 5
    response = admin.post(
        "/quay/cau-hinh/",
        {"capacity-counter": d.counter2.pk, "capacity-day": "2026-03-14", "capacity-capacity": 3},
    )
    assert response.status_code == 400  # a Saturday: no slot to change
    assert signed_in(d.desk).get("/quay/cau-hinh/").status_code == 403
