"""GET /api/units/ and /api/units/{code}/: shape, office hours (own or the national default), filters, errors."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.units.models import OfficeHours, Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

WEEKDAY_DEFAULT = [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]


@pytest.fixture
def tree(db):
    province = UnitFactory(code="H26", name="Thành phố Hà Nội", kind=Unit.Kind.PROVINCE)
    district = UnitFactory(code="H26.08", name="Quận Hoàng Mai", kind=Unit.Kind.DISTRICT, parent=province)
    wards = [
        UnitFactory(code=f"H26.08.{i:02d}", name=f"Phường {i}", kind=Unit.Kind.WARD, parent=district)
        for i in range(1, 25)
    ]
    saturday_ward = wards[3]
    for weekday in range(5):
        OfficeHours.objects.create(unit=saturday_ward, weekday=weekday, start=time(7, 30), end=time(11, 30))
    OfficeHours.objects.create(unit=saturday_ward, weekday=5, start=time(8), end=time(12))
    UnitFactory(code="H26.08.99", name="Phường đã sáp nhập", kind=Unit.Kind.WARD, parent=district, is_active=False)
    return {"province": province, "district": district, "wards": wards}


def test_a_unit_with_its_own_hours(client, tree):
    body = client.get("/api/units/H26.08.04/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["code"] == "H26.08.04"
    assert body["level"] == "ward" and body["level_name"] == "Ward"
    assert body["parent"] == "H26.08"
    hours = body["office_hours"]
    assert hours["source"] == "unit"
    assert [day["weekday"] for day in hours["days"]] == [0, 1, 2, 3, 4, 5]  # Saturday morning, no Sunday
    assert hours["days"][0] == {"weekday": 0, "name": "Monday", "sessions": [{"start": "07:30", "end": "11:30"}]}
    assert hours["days"][5]["sessions"] == [{"start": "08:00", "end": "12:00"}]


def test_a_unit_without_hours_shows_the_national_default(client, tree):
    body = client.get("/api/units/H26.08.01/").json()
    assert body["office_hours"]["source"] == "national_default"
    assert [day["weekday"] for day in body["office_hours"]["days"]] == [0, 1, 2, 3, 4]
    assert body["office_hours"]["days"][0]["name"] == "Thứ Hai"  # Vietnamese unless asked otherwise
    assert all(day["sessions"] == WEEKDAY_DEFAULT for day in body["office_hours"]["days"])
    province = client.get("/api/units/H26/").json()
    assert province["parent"] is None and province["level"] == "province"


def test_list_is_paginated_like_the_catalogue_and_skips_inactive_units(client, tree):
    body = client.get("/api/units/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 26 and len(body["results"]) == 20  # province + district + 24 wards
    assert body["next"].endswith("/api/units/?page=2")
    codes = [u["code"] for u in body["results"]] + [u["code"] for u in client.get(body["next"]).json()["results"]]
    assert codes == sorted(codes) and "H26.08.99" not in codes


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("kind=province", ["H26"]),
        ("kind=district", ["H26.08"]),
        ("parent=H26", ["H26.08"]),
        ("search=hoang+mai", ["H26.08"]),  # case-insensitive on the name
        ("search=H26.08.2", ["H26.08.20", "H26.08.21", "H26.08.22", "H26.08.23", "H26.08.24"]),
    ],
)
def test_filters(client, tree, query, codes):
    assert [u["code"] for u in client.get(f"/api/units/?{query}").json()["results"]] == codes


def test_the_parent_filter_lists_the_children(client, tree):
    assert client.get("/api/units/?parent=H26.08&kind=ward").json()["count"] == 24


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("kind=city", "kind", "Select a valid choice"),
        ("parent=X99", "parent", "No unit with code X99."),
        ("search=" + "a" * 101, "search", "at most 100 characters"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(client, tree, query, parameter, message):
    response = client.get(f"/api/units/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert message in body["detail"] and body["detail"].startswith(f"{parameter}: ")


def test_an_unknown_or_inactive_code_is_a_404_in_the_request_language(client, tree):
    english = client.get("/api/units/Z1/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404 and english.json() == {"detail": "No unit with code Z1."}
    vietnamese = client.get("/api/units/H26.08.99/", HTTP_ACCEPT_LANGUAGE="vi")
    assert vietnamese.status_code == 404 and vietnamese.json()["detail"] == "Không có đơn vị mã H26.08.99."


def test_query_count_does_not_grow_with_the_page(client, tree, django_assert_num_queries):
    # count, the page with parents, the page's office hours
    with django_assert_num_queries(3):
        assert len(client.get("/api/units/").json()["results"]) == 20
    with django_assert_num_queries(2):  # the unit with its parent, its office hours
        client.get("/api/units/H26.08.04/")


def test_query_count_is_the_same_for_a_short_page(client, tree):
    with CaptureQueriesContext(connection) as short:
        client.get("/api/units/?kind=province")
    with CaptureQueriesContext(connection) as full:
        client.get("/api/units/")
    assert len(short) == len(full)


def test_the_schema_documents_both_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/units/" in schema["paths"] and "/api/units/{code}/" in schema["paths"]
    listing = schema["paths"]["/api/units/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"search", "kind", "parent", "page"}
    assert "400" in listing["responses"]
    assert "404" in schema["paths"]["/api/units/{code}/"]["get"]["responses"]
