"""Satisfaction ratings (đánh giá mức độ hài lòng): one per dossier, online by the applicant or on paper.

When a dossier may be rated (RATEABLE_STATUSES): once the citizen has had the desk's answer —
- `returned`: the result was handed over (the usual case; `done` is "result ready", not yet handed over, so
  the citizen has not met the return desk yet and cannot judge it);
- `refused`: a refusal with its reason (the refusal itself may be what they judge);
- `supplement_requested`: a supplement request, before the receipt (guidance) or during processing.
A rating is one per dossier and final, so a citizen who rates at a supplement request does not rate again
at the return; that is the rule of the issue (one rating per dossier), and the form says so. `withdrawn`
and the open statuses cannot be rated.

Input rules (the service checks them, whatever the form did): a level of SatisfactionLevel; a reason for
"dissatisfied" (also a database constraint); criteria only of RatingCriterion, each 0, 1 or 2 (Circular
01/2018's scale), all optional; online ratings have no recorder, paper ones name the desk officer who typed
them in (procedures.permissions.can_record_paper_rating). The unit is copied from the dossier.

One per dossier is the database's one-to-one constraint. The dossier row is locked while rating, so two
attempts at once queue: the second sees the first's rating and gets AlreadyRated, nothing changed (and the
constraint's IntegrityError is turned into the same answer should anything slip past the lock).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.domain.feedback import CRITERION_SCORES, RatingChannel, RatingCriterion, SatisfactionLevel
from procedures.domain.workflow import DossierStatus
from procedures.models import Dossier, Rating
from procedures.permissions import can_record_paper_rating

__all__ = [
    "RATEABLE_STATUSES",
    "REASON_MAX_LENGTH",
    "AlreadyRated",
    "NotOpenForRating",
    "RatingRefused",
    "is_open_for_rating",
    "rating_submit",
]

RATEABLE_STATUSES = frozenset({DossierStatus.RETURNED, DossierStatus.REFUSED, DossierStatus.SUPPLEMENT_REQUESTED})
REASON_MAX_LENGTH = 2000


class RatingRefused(Exception):
    """The rating cannot be taken at all (not its input): the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AlreadyRated(RatingRefused):
    def __init__(self):
        super().__init__(_("This dossier has already been rated; a dossier is rated once. Nothing was changed."))


class NotOpenForRating(RatingRefused):
    def __init__(self):
        super().__init__(
            _(
                "This dossier cannot be rated yet: you can rate once the result is returned, or after a "
                "refusal or a request for more documents."
            )
        )


def is_open_for_rating(dossier: Dossier) -> bool:
    return dossier.status in RATEABLE_STATUSES


def _clean_criteria(criteria) -> dict[str, int]:
    if criteria is None:
        return {}
    if not isinstance(criteria, dict):
        raise ValidationError({"criteria": _("The criteria must be given as criterion → score.")})
    cleaned: dict[str, int] = {}
    for name, score in criteria.items():
        if name not in RatingCriterion.values:
            raise ValidationError({"criteria": _("Unknown criterion: %(name)s.") % {"name": str(name)[:50]}})
        if score is None or score == "":
            continue  # not scored: every criterion is optional
        if isinstance(score, bool) or not isinstance(score, int) or score not in CRITERION_SCORES:
            label = RatingCriterion(name).label
            raise ValidationError(
                {"criteria": _("“%(criterion)s”: a score is 0, 1 or 2.") % {"criterion": label}},
            )
        cleaned[name] = score
    return cleaned


def _clean(level, reason, criteria) -> tuple[str, str, dict[str, int]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(level, str) or level not in SatisfactionLevel.values:
        errors["level"] = [_("Choose how satisfied you are: very satisfied, satisfied or dissatisfied.")]
    reason = "" if reason is None else reason
    if not isinstance(reason, str):  # an API caller's number or list
        errors["reason"] = [_("The reason must be text.")]
    else:
        reason = reason.strip()
        if level == SatisfactionLevel.DISSATISFIED and not reason:
            errors["reason"] = [_("Tell us why you are dissatisfied: a reason is required.")]
        elif len(reason) > REASON_MAX_LENGTH:
            limit = {"limit": REASON_MAX_LENGTH}
            errors["reason"] = [_("The reason is too long: at most %(limit)d characters.") % limit]
    try:
        cleaned = _clean_criteria(criteria)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return level, reason, cleaned


def rating_submit(
    *,
    dossier: Dossier | str,
    level: str,
    reason: str = "",
    criteria: dict | None = None,
    channel: str,
    recorded_by=None,
    now=None,
) -> Rating:
    """Record the one rating of `dossier`; raises ValidationError (bad input), PermissionDenied (a paper rating by
    someone who may not record it), NotOpenForRating or AlreadyRated — and then nothing is saved."""
    level, reason, criteria = _clean(level, reason, criteria)
    if channel not in RatingChannel.values:
        raise ValidationError({"channel": _("Unknown rating channel.")})
    code = dossier.code if isinstance(dossier, Dossier) else dossier
    try:
        with transaction.atomic():
            try:
                locked = Dossier.objects.select_for_update(of=("self",)).select_related("unit").get(code=code)
            except Dossier.DoesNotExist:
                raise NotOpenForRating from None
            if channel == RatingChannel.PAPER:
                if recorded_by is None or not can_record_paper_rating(recorded_by, locked):
                    raise PermissionDenied
            elif recorded_by is not None:
                raise ValidationError({"channel": _("An online rating is the citizen's own: nobody records it.")})
            if Rating.objects.filter(dossier=locked).exists():
                raise AlreadyRated
            if not is_open_for_rating(locked):
                raise NotOpenForRating
            return Rating.objects.create(
                dossier=locked,
                unit_id=locked.unit_id,
                level=level,
                reason=reason,
                criteria=criteria,
                channel=channel,
                recorded_by=recorded_by,
                rated_at=now or timezone.now(),
            )
    except IntegrityError:
        if Rating.objects.filter(dossier__code=code).exists():
            raise AlreadyRated from None
        raise
