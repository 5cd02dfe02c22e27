"""GET/POST /api/dossiers/{code}/rating/: the applicant rates once; bad input 400, not open or twice 409,
others 403/404; every status in the OpenAPI schema."""

import pytest
from rest_framework.test import APIClient

from procedures.models import Rating

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def url(dossier) -> str:
    return f"/api/dossiers/{dossier.code}/rating/"


def test_the_applicant_rates_once_and_reads_it_back(world, returned):
    body = {"level": "satisfied", "reason": "", "criteria": {"total_time": 2, "contacts": 1}}
    created = api(world.citizen).post(url(returned), body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["criteria"] == {"total_time": 2, "contacts": 1}
    assert created.json()["channel"] == "online" and created.json()["level_label"] == "Satisfied"
    again = api(world.citizen).post(url(returned), {"level": "dissatisfied", "reason": "x"}, format="json")
    assert again.status_code == 409 and "already been rated" in again.json()["detail"]
    for reader in (world.citizen, world.desk, world.leader, world.district_leader):
        assert api(reader).get(url(returned)).json()["level"] == "satisfied"
    assert api(world.other_desk).get(url(returned)).status_code == 404
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": "dissatisfied"}, "reason"),
        ({"level": "dissatisfied", "reason": 5}, "reason"),
        ({"level": 3}, "level"),
        ({}, "level"),
        ({"level": "satisfied", "criteria": {"contacts": 7}}, "criteria"),
        ({"level": "satisfied", "criteria": {"nope": 1}}, "criteria"),
        ({"level": "satisfied", "criteria": "all good"}, "criteria"),
        (["satisfied"], "level"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, returned, body, field):
    response = api(world.citizen).post(url(returned), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"] and response.json()["detail"].startswith(f"{field}: ")
    assert not Rating.objects.exists()


def test_who_may_rate_through_the_api(world, returned):
    assert api().post(url(returned), {"level": "satisfied"}, format="json").status_code == 403
    assert api(world.other_citizen).post(url(returned), {"level": "satisfied"}, format="json").status_code == 404
    desk = api(world.desk).post(url(returned), {"level": "satisfied"}, format="json")
    assert desk.status_code == 403 and "the desk records paper ratings" in desk.json()["detail"]
    assert api(world.citizen).get(url(returned)).status_code == 404  # not rated yet
    assert not Rating.objects.exists()


def test_not_open_yet_is_a_409(world):
    received = world.to_status("received")
    response = api(world.citizen).post(url(received), {"level": "satisfied"}, format="json")
    assert response.status_code == 409 and "cannot be rated yet" in response.json()["detail"]


def test_the_schema_lists_every_status(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/dossiers/{code}/rating/"]
    assert set(operations["post"]["responses"]) == {"201", "400", "403", "404", "409"}
    assert set(operations["get"]["responses"]) == {"200", "403", "404"}
