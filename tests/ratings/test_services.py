"""rating_submit: when a dossier may be rated, what a rating must hold, who records a paper one, once only."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from procedures.domain.feedback import RatingChannel, RatingCriterion, SatisfactionLevel
from procedures.domain.workflow import DossierStatus
from procedures.models import Rating
from procedures.services.ratings import AlreadyRated, NotOpenForRating, _clean, rating_submit
from tests.ratings.conftest import GUIDANCE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages in English (msgids)

S = DossierStatus
# The statuses a dossier is rated in: the answer reached the citizen (result, refusal, supplement request).
OPEN = {S.RETURNED, S.REFUSED, S.SUPPLEMENT_REQUESTED, GUIDANCE}


def online(dossier, **kw):
    kw.setdefault("level", SatisfactionLevel.SATISFIED)
    kw.setdefault("reason", "")
    kw.setdefault("criteria", {})
    return rating_submit(dossier=dossier, channel=RatingChannel.ONLINE, **kw)


@pytest.mark.parametrize("status", [*S.values, GUIDANCE])
def test_a_dossier_is_rated_only_once_the_citizen_had_the_answer(world, status):
    dossier = world.to_status(status)
    if status in OPEN:
        rating = online(dossier)
        assert rating.dossier == dossier and rating.channel == RatingChannel.ONLINE
    else:
        with pytest.raises(NotOpenForRating) as caught:
            online(dossier)
        assert caught.value.message.startswith("This dossier cannot be rated yet: you can rate once the result")
        assert not Rating.objects.exists()


def test_the_rating_keeps_level_reason_criteria_unit_and_time(world, returned):
    at = datetime(2026, 3, 10, 3, tzinfo=UTC)
    rating = online(
        returned,
        level=SatisfactionLevel.DISSATISFIED,
        reason="  Phải đi lại ba lần  ",
        criteria={RatingCriterion.CONTACTS: 0, RatingCriterion.STAFF_ATTITUDE: 2, RatingCriterion.PUBLICITY: ""},
        now=at,
    )
    rating.refresh_from_db()
    assert (rating.level, rating.reason, rating.unit_id) == ("dissatisfied", "Phải đi lại ba lần", world.unit.pk)
    assert rating.criteria == {"contacts": 0, "staff_attitude": 2}  # an empty score is "not scored"
    assert rating.rated_at == at and rating.recorded_by is None


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_dissatisfied_needs_a_reason(world, returned, reason):
    with pytest.raises(ValidationError) as caught:
        online(returned, level=SatisfactionLevel.DISSATISFIED, reason=reason)
    assert caught.value.message_dict["reason"] == ["Tell us why you are dissatisfied: a reason is required."]
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "criteria",
    [
        {"contacts": 3},
        {"contacts": -1},
        {"contacts": "2"},
        {"contacts": True},
        {"contacts": 1.5},
        {"uptime": 2},  # a criterion the citizen does not judge
        ["contacts", 2],
    ],
)
def test_bad_criteria_are_refused_and_nothing_saved(world, returned, criteria):
    with pytest.raises(ValidationError) as caught:
        online(returned, criteria=criteria)
    assert "criteria" in caught.value.message_dict
    assert not Rating.objects.exists()


@pytest.mark.parametrize("level", ["", "happy", None])
def test_an_unknown_level_is_refused(world, returned, level):
    with pytest.raises(ValidationError) as caught:
        online(returned, level=level)
    assert "level" in caught.value.message_dict


def test_a_reason_too_long_is_refused(world, returned):
    with pytest.raises(ValidationError) as caught:
        online(returned, reason="x" * 2001)
    assert "at most 2000 characters" in caught.value.message_dict["reason"][0]


def test_a_second_rating_is_refused_and_the_first_kept(world, returned):
    first = online(returned, level=SatisfactionLevel.VERY_SATISFIED)
    with pytest.raises(AlreadyRated) as caught:
        online(returned, level=SatisfactionLevel.DISSATISFIED, reason="Đổi ý")
    assert caught.value.message.startswith("This dossier has already been rated")
    with pytest.raises(AlreadyRated):
        rating_submit(
            dossier=returned, level="satisfied", reason="", criteria={}, channel="paper", recorded_by=world.desk
        )
    assert list(Rating.objects.values_list("pk", "level")) == [(first.pk, "very_satisfied")]


def test_a_desk_officer_of_the_unit_records_a_paper_rating(world, returned):
    rating = rating_submit(
        dossier=returned.code,
        level=SatisfactionLevel.SATISFIED,
        reason="",
        criteria={"desk_handling": 2},
        channel=RatingChannel.PAPER,
        recorded_by=world.desk,
    )
    assert (rating.channel, rating.recorded_by, rating.unit) == ("paper", world.desk, world.unit)


@pytest.mark.parametrize("who", ["specialist", "leader", "other_desk", "district_leader", "citizen", None])
def test_nobody_else_records_a_paper_rating(world, returned, who):
    with pytest.raises(PermissionDenied):
        rating_submit(
            dossier=returned,
            level="satisfied",
            reason="",
            criteria={},
            channel="paper",
            recorded_by=getattr(world, who) if who else None,
        )
    assert not Rating.objects.exists()


def test_an_online_rating_has_no_recorder_and_the_channel_is_known(world, returned):
    with pytest.raises(ValidationError) as caught:
        online(returned, recorded_by=world.desk)
    assert "channel" in caught.value.message_dict
    with pytest.raises(ValidationError):
        rating_submit(dossier=returned, level="satisfied", reason="", criteria={}, channel="sms")
    assert not Rating.objects.exists()


def test_an_unknown_dossier_cannot_be_rated(world):
    with pytest.raises(NotOpenForRating):
        online("H26.08.04-260101-9999")


scores = st.one_of(st.integers(-3, 5), st.sampled_from(["", None, "1", True, 1.0]))
names = st.one_of(st.sampled_from(RatingCriterion.values), st.text(max_size=12))


@given(st.dictionaries(names, scores, max_size=8))
def test_criteria_are_accepted_exactly_when_known_and_scored_0_to_2(criteria):
    def good(name, score):
        return name in RatingCriterion.values and (score in ("", None) or (type(score) is int and score in (0, 1, 2)))

    valid = all(good(n, s) for n, s in criteria.items())
    try:
        _level, _reason, cleaned = _clean("satisfied", "", criteria)
    except ValidationError:
        assert not valid
    else:
        assert valid
        assert cleaned == {n: s for n, s in criteria.items() if s not in ("", None)}
