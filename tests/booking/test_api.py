"""The booking API: slots, book (201/400/409), list, detail, cancel, reschedule, someone else's → 404, display."""

import pytest
import time_machine
from rest_framework.test import APIClient

from .conftest import at

NOW = at("2026-03-09 07:00")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user=None):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def post_booking(client, desk, start, procedure=None):
    return client.post(
        "/api/bookings/",
        {"procedure": (procedure or desk.certify).code, "unit": desk.unit.code, "start": start},
        format="json",
    )


def test_slots_of_a_day(desk):
    response = client_for().get(f"/api/slots/?procedure={desk.civil.code}&date=2026-03-10&unit={desk.unit.code}")
    assert response.status_code == 200
    slots = response.json()
    assert len(slots) == 16
    assert slots[0] == {
        "start": "2026-03-10T08:00:00+07:00",
        "end": "2026-03-10T08:30:00+07:00",
        "capacity": 2,
        "available": 2,
    }


@pytest.mark.parametrize(
    "query",
    [
        "procedure=nope&date=2026-03-10",
        "date=2026-03-10",
        "procedure={code}&date=10/03/2026",
        "procedure={code}&date=2026-04-30",
    ],
)
def test_slots_bad_input_is_400(desk, query):
    response = client_for().get(f"/api/slots/?unit={desk.unit.code}&" + query.format(code=desk.civil.code))
    assert response.status_code == 400 and response.json()["detail"]


def test_book_list_get_cancel(desk):
    client = client_for(desk.citizen)
    response = post_booking(client, desk, "2026-03-10T08:00:00+07:00")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "confirmed" and body["start"] == "2026-03-10T08:00:00+07:00"
    assert "result will be ready during your visit" in body["note"]
    assert [b["code"] for b in client.get("/api/bookings/").json()] == [body["code"]]
    assert client.get(f"/api/bookings/{body['code']}/").status_code == 200
    assert client.delete(f"/api/bookings/{body['code']}/").json()["status"] == "cancelled"


def test_full_slot_is_409_with_nearest_free_starts(desk):
    assert post_booking(client_for(desk.citizen), desk, "2026-03-10T08:00:00+07:00").status_code == 201
    response = post_booking(client_for(desk.other_citizen), desk, "2026-03-10T08:00:00+07:00")
    assert response.status_code == 409
    assert "2026-03-10T08:30:00+07:00" in response.json()["alternatives"]


@pytest.mark.parametrize(
    "start,why",
    [
        ("2026-03-08T08:00:00+07:00", "past"),
        ("2026-03-14T08:00:00+07:00", "Saturday"),
        ("2026-03-10T12:00:00+07:00", "lunch break"),
        ("2026-03-10T05:00:00Z", "12:00 in Hanoi: lunch break, time zones understood"),
        ("not a time", "garbage"),
        ("9999-12-31T23:59:59-12:00", "far future"),
    ],
)
def test_bad_starts_are_400_with_a_message(desk, start, why):
    response = post_booking(client_for(desk.citizen), desk, start)
    assert response.status_code == 400, why
    assert response.json()["detail"]


def test_twice_is_400(desk):
    client = client_for(desk.citizen)
    post_booking(client, desk, "2026-03-10T08:00:00+07:00")
    response = post_booking(client, desk, "2026-03-10T09:00:00+07:00")
    assert response.status_code == 400 and "already have a booking" in response.json()["detail"]


def test_utc_start_is_the_same_slot(desk):
    response = post_booking(client_for(desk.citizen), desk, "2026-03-10T01:00:00Z")
    assert response.status_code == 201 and response.json()["start"] == "2026-03-10T08:00:00+07:00"


def test_someone_elses_booking_is_404_and_staff_may_not_book(desk):
    code = post_booking(client_for(desk.citizen), desk, "2026-03-10T08:00:00+07:00").json()["code"]
    other = client_for(desk.other_citizen)
    assert other.get(f"/api/bookings/{code}/").status_code == 404
    assert other.delete(f"/api/bookings/{code}/").status_code == 404
    assert other.post(f"/api/bookings/{code}/reschedule/", {"start": "2026-03-11T08:00:00+07:00"}).status_code == 404
    assert client_for(desk.desk).get(f"/api/bookings/{code}/").status_code == 200  # the unit's desk sees it
    assert client_for(desk.desk).delete(f"/api/bookings/{code}/").status_code == 403
    assert client_for(desk.other_desk).get(f"/api/bookings/{code}/").status_code == 404
    assert post_booking(client_for(desk.desk), desk, "2026-03-10T09:00:00+07:00").status_code == 403
    assert post_booking(client_for(), desk, "2026-03-10T09:00:00+07:00").status_code == 403


def test_reschedule(desk):
    client = client_for(desk.citizen)
    code = post_booking(client, desk, "2026-03-10T08:00:00+07:00").json()["code"]
    response = client.post(f"/api/bookings/{code}/reschedule/", {"start": "2026-03-11T14:00:00+07:00"}, format="json")
    assert response.status_code == 200 and response.json()["start"] == "2026-03-11T14:00:00+07:00"
    response = client.post(f"/api/bookings/{code}/reschedule/", {"start": "2026-03-11T12:00:00+07:00"}, format="json")
    assert response.status_code == 400 and response.json()["alternatives"]


def test_queue_display_is_public_and_has_no_personal_data(desk):
    response = client_for().get(f"/api/queue/{desk.unit.code}/")
    assert response.status_code == 200
    assert [c["number"] for c in response.json()["counters"]] == [1, 2]
    assert client_for().get("/api/queue/NOPE/").status_code == 404
