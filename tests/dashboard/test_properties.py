"""Properties over generated dossiers and generated query strings."""

from datetime import date, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from portal.accounts.models import Role
from procedures.domain.periods import Period
from procedures.models import Dossier
from procedures.selectors.dashboard import SCORE_POINTS, ward_figures
from tests.dashboard.conftest import local, make_dossier
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PERIOD = Period(date(2026, 2, 1), date(2026, 2, 28))

# (received day offset from 20 January, days to the due time, days to the finish or None, online?)
dossier_specs = st.lists(
    st.tuples(st.integers(0, 50), st.integers(0, 10), st.none() | st.integers(0, 20), st.booleans()),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=dossier_specs)
def test_the_parts_add_up(ward_a, procedure, applicant, specs):
    Dossier.objects.all().delete()
    base = local(2026, 1, 20, 9)
    for received, due, finished, online in specs:
        received_at = base + timedelta(days=received, hours=received % 7)
        make_dossier(
            unit=ward_a, procedure=procedure, applicant=applicant, channel="online" if online else "desk",
            received_at=received_at, due_at=received_at + timedelta(days=due, hours=1),
            finished_at=None if finished is None else received_at + timedelta(days=finished, minutes=30),
        )  # fmt: skip
    f = ward_figures(unit=ward_a, period=PERIOD, now=local(2026, 3, 20, 9))
    assert f.early + f.on_time + f.late == f.resolved
    if f.resolved:
        assert f.early_share + f.on_time_share + f.late_share == pytest.approx(1)
    assert 0 <= f.in_progress_overdue <= f.in_progress
    assert f.received == sum(1 for r, *_ in specs if 12 <= r <= 39)  # 1–28 February
    for name, weight in SCORE_POINTS.items():
        assert f.scores[name] is None or 0 <= f.scores[name] <= weight
    assert f.scores["total"] == pytest.approx(sum(v or 0 for k, v in f.scores.items() if k != "total"), abs=0.011)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["unit", "from", "to", "preset"]),
        st.sampled_from(["", "D1.01", "D1", "2026-03-01", "2026-02-30", "2099-01-01", "month", "x\x00", "9" * 40])
        | st.text(max_size=12),
    )
)
def test_any_query_string_gets_an_answer_never_an_error(district, ward_a, params):
    leader = UserFactory(role=Role.LEADER, unit=district, phone="")
    client = APIClient()
    client.force_authenticate(leader)
    with time_machine.travel(local(2026, 3, 18, 10), tick=False):
        for url in ("/api/dashboard/", "/api/dashboard/ranking/"):
            response = client.get(url, params)
            assert response.status_code in (200, 400, 404), (url, params, response.content)
            if response.status_code != 200:
                assert response.json()["detail"]
