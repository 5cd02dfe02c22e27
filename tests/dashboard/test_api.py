"""GET /api/dashboard/ and /api/dashboard/ranking/: who sees what, the body, bad periods."""

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.accounts.models import Role
from tests.dashboard.conftest import local, make_dossier
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
DASHBOARD, RANKING = "/api/dashboard/", "/api/dashboard/ranking/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(local(2026, 3, 18, 10), tick=False):
        yield


@pytest.fixture
def people(district, ward_a, ward_b):
    staff = lambda role, unit: UserFactory(role=role, unit=unit, phone="")  # noqa: E731
    return {
        "anonymous": None,
        "citizen": UserFactory(role=Role.CITIZEN),
        "desk": staff(Role.DESK_OFFICER, ward_a),
        "specialist": staff(Role.SPECIALIST, ward_a),
        "leader": staff(Role.LEADER, ward_a),
        "district_leader": staff(Role.LEADER, district),
        "admin_this": staff(Role.UNIT_ADMIN, ward_a),
        "editor": staff(Role.CATALOGUE_EDITOR, UnitFactory(kind="province", code="P1")),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True, phone=""),
    }


@pytest.fixture
def dossiers(ward_a, ward_b, procedure, applicant, people):
    make_dossier(unit=ward_a, procedure=procedure, applicant=applicant, received_at=local(2026, 3, 2, 9),
                 assigned_to=people["specialist"])  # fmt: skip
    make_dossier(unit=ward_a, procedure=procedure, applicant=applicant, received_at=local(2026, 3, 3, 9))
    make_dossier(unit=ward_b, procedure=procedure, applicant=applicant, received_at=local(2026, 3, 3, 9))


def _get(user, url, **params):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client.get(url, params)


# role → (own ward A, other ward B, district) for the figures; the ranking of the district.
MATRIX = {
    "anonymous": (403, 403, 403, 403),
    "citizen": (403, 403, 403, 403),
    "desk": (200, 404, 404, 403),
    "specialist": (200, 404, 404, 403),
    "leader": (200, 404, 404, 404),
    "district_leader": (200, 200, 200, 200),
    "admin_this": (200, 404, 404, 404),
    "editor": (403, 403, 403, 403),
    "superuser": (200, 200, 200, 200),
}


@pytest.mark.parametrize("role", MATRIX)
def test_who_sees_which_unit(role, people, dossiers, ward_a, ward_b, district):
    user = people[role]
    got = tuple(_get(user, DASHBOARD, unit=u.code).status_code for u in (ward_a, ward_b, district))
    got += (_get(user, RANKING, unit=district.code).status_code,)
    assert got == MATRIX[role]


def test_leaders_get_the_whole_unit_and_desk_staff_their_own_numbers(people, dossiers, ward_a):
    whole = _get(people["leader"], DASHBOARD, unit=ward_a.code).json()
    assert whole["received"] == 2
    assert whole["period"] == {"from": "2026-03-01", "to": "2026-03-18"}  # default: this month so far
    assert set(whole["satisfaction"]) == {"very_satisfied", "satisfied", "dissatisfied"}
    assert set(whole["scores"]) == {"progress", "satisfaction", "online", "digitisation", "total"}
    assert _get(people["specialist"], DASHBOARD).json()["received"] == 1  # default unit: theirs; their dossier
    assert _get(people["desk"], DASHBOARD, unit=ward_a.code).json()["received"] == 0


def test_presets_and_custom_periods(people, dossiers, ward_a):
    leader = people["leader"]
    assert _get(leader, DASHBOARD, preset="year").json()["period"] == {"from": "2026-01-01", "to": "2026-03-18"}
    assert _get(leader, DASHBOARD, preset="quarter").json()["period"]["from"] == "2026-01-01"
    body = _get(leader, DASHBOARD, **{"from": "2026-03-03", "to": "2026-03-03"}).json()
    assert body["received"] == 1


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"from": "2026-03-10", "to": "2026-03-01"}, "to"),
        ({"from": "2026-04-01"}, "from"),
        ({"from": "2026-03-01", "to": "2026-03-19"}, "to"),
        ({"from": "1.3.2026"}, "from"),
        ({"preset": "decade"}, "preset"),
        ({"from": "2026-03-01\x00"}, "from"),
    ],
)
def test_bad_periods_are_a_400_with_a_clear_message(people, dossiers, params, parameter):
    response = _get(people["leader"], DASHBOARD, **params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["detail"]
    assert _get(people["district_leader"], RANKING, **params).status_code == 400


def test_bad_period_message_in_vietnamese(people, dossiers):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_authenticate(people["leader"])
    detail = client.get(DASHBOARD, {"from": "2026-03-10", "to": "2026-03-01"}).json()["detail"]
    assert "kết thúc" in detail


def test_ranking_body_and_token_auth(people, dossiers, district, ward_a, ward_b):
    token = Token.objects.create(user=people["district_leader"])
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = client.get(RANKING, {"preset": "month"}).json()  # default unit: the leader's district
    assert [row["unit"] for row in body] == [ward_a.code, ward_b.code]
    assert {tuple(row) for row in body} == {("unit", "name", "score", "place")}
    assert [row["place"] for row in body] == [1, 1]  # nothing resolved, no ratings: equal scores share a place


def test_unknown_unit_is_a_404(people):
    assert _get(people["superuser"], DASHBOARD, unit="NOPE").status_code == 404
    assert _get(people["superuser"], DASHBOARD).status_code == 400  # a superuser without a unit must name one
