"""Citizens' voice: satisfaction ratings and feedback/complaints (pure enums, one definition each).

- A rating (đánh giá mức độ hài lòng) is one per dossier, given after the result is returned, a refusal or a
  supplement request: an overall level (Rất hài lòng / Hài lòng / Không hài lòng, a reason required for the
  last, DESIGN.md §1) and optional scores 0–2 on the citizen-facing criteria of Circular 01/2018/TT-VPCP.
- Feedback (phản ánh, kiến nghị) has a code, an assignee, a response deadline in working time, a status
  and a public answer (Decree 20/2008/NĐ-CP on receiving and handling citizens' feedback and proposals).
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CRITERION_SCORES",
    "OPEN_FEEDBACK_STATUSES",
    "FeedbackChannel",
    "FeedbackKind",
    "FeedbackStatus",
    "RatingChannel",
    "RatingCriterion",
    "SatisfactionLevel",
]


class SatisfactionLevel(TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class RatingChannel(TextChoices):
    ONLINE = "online", _("online (link or QR code)")
    PAPER = "paper", _("paper form, recorded by staff")


class RatingCriterion(TextChoices):
    """The criteria a citizen can judge from their own dossier (Circular 01/2018/TT-VPCP, Art. 13), 0–2 each."""

    TOTAL_TIME = "total_time", _("Total time to the result, against the statutory time")
    CONTACTS = "contacts", _("Number of times you had to come or get in touch")
    DESK_HANDLING = "desk_handling", _("How the one-stop desk received and returned your dossier")
    PUBLICITY = "publicity", _("Whether the procedure was published clearly and completely")
    STAFF_ATTITUDE = "staff_attitude", _("Staff attitude and conduct")
    ONLINE_SERVICE = "online_service", _("Online service (submission, tracking, payment)")


# 2 = good / as required, 1 = acceptable, 0 = poor (Circular 01/2018's scale).
CRITERION_SCORES = (0, 1, 2)


class FeedbackKind(TextChoices):
    REPORT = "report", _("report (phản ánh)")
    PROPOSAL = "proposal", _("proposal (kiến nghị)")


class FeedbackChannel(TextChoices):
    ONLINE = "online", _("online")
    PHONE = "phone", _("by phone")
    IN_PERSON = "in_person", _("in person")
    MAIL = "mail", _("by post")


class FeedbackStatus(TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("being handled")
    ANSWERED = "answered", _("answered")
    REJECTED = "rejected", _("not accepted")


OPEN_FEEDBACK_STATUSES = frozenset({FeedbackStatus.RECEIVED, FeedbackStatus.IN_PROGRESS})
