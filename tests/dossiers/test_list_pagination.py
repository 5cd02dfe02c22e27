"""The staff list's pagination: pages read only their own rows, in order, with the same number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from portal.units.models import Unit
from procedures.api.pagination import KeyWindowPaginator
from tests.factories import UnitFactory


@pytest.fixture
def units(db):
    return [UnitFactory(code=f"T{i:02d}", name=f"Đơn vị {i}") for i in range(14)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(per_page=st.integers(1, 6), orphans=st.integers(0, 2), keep=st.sets(st.integers(0, 13)))
def test_pages_cover_the_ordered_rows_exactly_once(units, per_page, orphans, keep):
    rows = Unit.objects.filter(code__in=[f"T{i:02d}" for i in keep]).order_by("-code")
    expected = list(rows.values_list("code", flat=True))
    paginator = KeyWindowPaginator(rows, per_page, orphans=orphans)
    got = [u.code for n in paginator.page_range for u in paginator.page(n).object_list]
    assert got == expected


def test_desk_pages_through_the_units_dossiers_newest_first_in_constant_queries(world):
    made = [world.submit() for _ in range(23)]
    world.submit(citizen=world.other_citizen)  # same unit: listed too
    client = APIClient()
    client.force_authenticate(world.desk)
    counts, codes = [], []
    for page in (1, 2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/dossiers/", {"page": page})
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        codes += [row["code"] for row in response.json()["results"]]
    assert response.json()["count"] == 24
    assert counts[0] == counts[1]
    assert len(codes) == 24 and len(set(codes)) == 24
    assert set(codes) >= {d.code for d in made}
    submitted = [d.submitted_at for d in world.unit.dossiers.order_by("-submitted_at", "-pk")]
    assert [world.unit.dossiers.get(code=c).submitted_at for c in codes] == submitted
    assert client.get("/api/dossiers/", {"page": 3}).status_code == 404
