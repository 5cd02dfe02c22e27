"""Reads for the rating pages: a dossier with its rating (one query), and a rating shaped for display."""

from __future__ import annotations

from dataclasses import dataclass

from procedures.domain.feedback import RatingChannel, RatingCriterion, SatisfactionLevel
from procedures.models import Dossier, Rating


def dossier_for_rating(code: str) -> Dossier | None:
    """The dossier with its procedure, unit and rating (if any) joined in; None for an unknown code."""
    return (
        Dossier.objects.select_related("procedure", "unit", "rating", "rating__recorded_by").filter(code=code).first()
    )


def rating_of(dossier: Dossier) -> Rating | None:
    try:
        return dossier.rating
    except Rating.DoesNotExist:
        return None


@dataclass(frozen=True)
class RatingView:
    level: str
    level_label: str
    reason: str
    criteria: list[tuple[str, int]]  # (criterion label, score) in the criteria's order
    channel_label: str
    on_paper: bool
    recorded_by: str
    rated_at: object


def rating_view(rating: Rating | None) -> RatingView | None:
    """What a page shows of a rating, labels in the request's language."""
    if rating is None:
        return None
    recorder = rating.recorded_by
    return RatingView(
        level=rating.level,
        level_label=str(SatisfactionLevel(rating.level).label),
        reason=rating.reason,
        criteria=[(str(c.label), rating.criteria[c.value]) for c in RatingCriterion if c.value in rating.criteria],
        channel_label=str(RatingChannel(rating.channel).label),
        on_paper=rating.channel == RatingChannel.PAPER,
        recorded_by=(recorder.full_name or recorder.get_username()) if recorder is not None else "",
        rated_at=rating.rated_at,
    )
