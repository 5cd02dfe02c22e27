"""Ranking: equal scores share a place (standard competition ranking: 1, 2, 2, 4)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.units.models import Unit
from procedures.domain.periods import Period
from procedures.selectors.dashboard import rank, ward_ranking
from tests.dashboard.conftest import local, make_dossier
from tests.factories import ProcedureFactory, UnitFactory


def _units(n):
    return [Unit(pk=i + 1, code=f"X{i}", name=f"Ward {i:02d}") for i in range(n)]


def test_ties_share_a_place_and_the_next_skips():
    a, b, c, d = _units(4)
    entries = rank([(a, 70.0), (b, 55.5), (c, 55.5), (d, 40.0)])
    assert [(e.name, e.place) for e in entries] == [("Ward 00", 1), ("Ward 01", 2), ("Ward 02", 2), ("Ward 03", 4)]
    assert rank([(a, 0.0), (b, 0.0)])[1].place == 1


@given(st.lists(st.sampled_from([0.0, 10.5, 20.0, 33.08, 82.0]), min_size=1, max_size=14))
def test_place_is_one_plus_the_number_of_better_wards(scores):
    entries = rank(list(zip(_units(len(scores)), scores, strict=True)))
    for entry in entries:
        assert entry.place == 1 + sum(1 for s in scores if s > entry.score)
    assert [e.score for e in entries] == sorted(scores, reverse=True)


@pytest.mark.django_db
def test_ward_ranking_ranks_the_children_by_total_score(district, ward_a, ward_b, applicant):
    ward_c = UnitFactory(kind="ward", code="D1.03", name="Ward C", parent=district)
    p = ProcedureFactory(online_level="full")
    # A: one online dossier on time → progress 20, online 22; B and C: one desk dossier on time → progress 20.
    for unit, channel in ((ward_a, "online"), (ward_b, "desk"), (ward_c, "desk")):
        make_dossier(
            unit=unit, procedure=p, applicant=applicant, channel=channel,
            received_at=local(2026, 2, 2, 9), due_at=local(2026, 2, 5, 9), finished_at=local(2026, 2, 5, 9),
        )  # fmt: skip
    ranking = ward_ranking(parent=district, period=Period(date(2026, 2, 1), date(2026, 2, 28)), now=local(2026, 3, 2))
    assert [(e.unit.code, e.score, e.place) for e in ranking] == [
        ("D1.01", 42.0, 1),
        ("D1.02", 20.0, 2),
        ("D1.03", 20.0, 2),
    ]
    assert ranking[0].as_dict() == {"unit": "D1.01", "name": "Ward A", "score": 42.0, "place": 1}
