"""The number of queries does not grow with the data: one dossier or many, two wards or many."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures.domain.periods import Period
from procedures.selectors.dashboard import district_figures, figures_by_procedure, ward_figures, ward_ranking
from tests.dashboard.conftest import local, make_dossier, make_feedback, make_rating
from tests.factories import ProcedureFactory, UnitFactory

pytestmark = pytest.mark.django_db
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
NOW = local(2026, 12, 31, 12)


def _fill(unit, applicant, n):
    procedures = [ProcedureFactory(online_level="full"), ProcedureFactory(quick=True)]
    for i in range(n):
        d = make_dossier(
            unit=unit, procedure=procedures[i % 2], applicant=applicant, channel=("online", "desk")[i % 2],
            received_at=local(2026, 1 + i % 12, 3, 9), due_at=local(2026, 1 + i % 12, 6, 9),
            finished_at=local(2026, 1 + i % 12, 5 + i % 3, 9) if i % 4 else None,
            arrived_at=local(2026, 1 + i % 12, 3, 8, 50) if i % 2 else None,
            returned_at=local(2026, 1 + i % 12, 5 + i % 3, 9) if i % 4 and i % 2 else None,
        )  # fmt: skip
        if i % 4:
            make_rating(d, ("very_satisfied", "satisfied", "dissatisfied")[i % 3], local(2026, 1 + i % 12, 9))
        make_feedback(unit=unit, received_at=local(2026, 1 + i % 12, 3, 9), due_at=local(2026, 1 + i % 12, 9, 9))


def _count(fn) -> int:
    fn()  # the unit calendars are cached after the first call (portal.units.calendar.selectors)
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_ward_figures_take_the_same_few_queries_for_one_dossier_or_many(ward_a, ward_b, applicant):
    _fill(ward_a, applicant, 1)
    _fill(ward_b, applicant, 40)
    small = _count(lambda: ward_figures(unit=ward_a, period=YEAR, now=NOW))
    large = _count(lambda: ward_figures(unit=ward_b, period=YEAR, now=NOW))
    assert small == large <= 6
    assert _count(lambda: figures_by_procedure(unit=ward_a, period=YEAR, now=NOW)) == _count(
        lambda: figures_by_procedure(unit=ward_b, period=YEAR, now=NOW)
    )


def test_district_figures_do_not_grow_with_the_number_of_wards(district, applicant):
    other = UnitFactory(kind="district", code="D2", name="District Two")
    for i in range(2):
        _fill(UnitFactory(kind="ward", code=f"D1.1{i}", parent=district), applicant, 2)
    for i in range(7):
        _fill(UnitFactory(kind="ward", code=f"D2.1{i}", parent=other), applicant, 5)
    small = _count(lambda: district_figures(parent=district, period=YEAR, now=NOW))
    large = _count(lambda: district_figures(parent=other, period=YEAR, now=NOW))
    assert small == large <= 8
    # The ranking skips the no-wait medians its score does not use: one query less, still constant.
    assert _count(lambda: ward_ranking(parent=other, period=YEAR, now=NOW)) == large - 1
    assert _count(lambda: ward_ranking(parent=district, period=YEAR, now=NOW)) == small - 1
    assert len(ward_ranking(parent=other, period=YEAR, now=NOW)) == 7
