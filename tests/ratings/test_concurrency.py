"""One rating per dossier under real concurrency: threads with their own PostgreSQL connections."""

import pytest

from procedures.models import Rating
from procedures.services.ratings import AlreadyRated, rating_submit
from tests.dossiers.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_ratings_at_once_one_is_kept_the_other_told(world, returned):
    def rate(level, reason):
        return lambda: rating_submit(dossier=returned.code, level=level, reason=reason, criteria={}, channel="online")

    results = run_together(rate("very_satisfied", ""), rate("dissatisfied", "Chậm"))
    kept = [r for r in results if isinstance(r, Rating)]
    refused = [r for r in results if isinstance(r, AlreadyRated)]
    assert (len(kept), len(refused)) == (1, 1), results
    assert list(Rating.objects.values_list("level", flat=True)) == [kept[0].level]


def test_a_paper_rating_and_an_online_one_at_once(world, returned):
    results = run_together(
        lambda: rating_submit(dossier=returned.code, level="satisfied", reason="", criteria={}, channel="online"),
        lambda: rating_submit(
            dossier=returned.code, level="satisfied", reason="", criteria={}, channel="paper", recorded_by=world.desk
        ),
        lambda: rating_submit(dossier=returned.code, level="satisfied", reason="", criteria={}, channel="online"),
    )
    assert sum(isinstance(r, Rating) for r in results) == 1, results
    assert sum(isinstance(r, AlreadyRated) for r in results) == 2, results
    assert Rating.objects.count() == 1
