"""Satisfaction ratings and feedback/complaints (phản ánh, kiến nghị).

Writes go through procedures.services.ratings and procedures.services.feedback; the rules a row can hold
are constraints here. `unit` is copied from the dossier onto a rating so the dashboards read one index.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.domain.feedback import (
    OPEN_FEEDBACK_STATUSES,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    RatingChannel,
    SatisfactionLevel,
)


class Rating(models.Model):
    """One citizen's rating of one dossier (one per dossier, enforced by the database)."""

    dossier = models.OneToOneField(
        "procedures.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="rating"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("satisfaction"), max_length=20, choices=SatisfactionLevel.choices)
    reason = models.TextField(_("reason"), blank=True)
    # {criterion value: 0|1|2} for the criteria the citizen chose to score (procedures.domain.feedback).
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=RatingChannel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=SatisfactionLevel.values), name="rating_level_valid"),
            models.CheckConstraint(condition=Q(channel__in=RatingChannel.values), name="rating_channel_valid"),
            models.CheckConstraint(
                condition=~Q(level=SatisfactionLevel.DISSATISFIED) | ~Q(reason=""),
                name="rating_dissatisfied_has_reason",
            ),
            # A paper rating names the officer who typed it in; an online one has nobody in between.
            models.CheckConstraint(
                condition=Q(channel=RatingChannel.ONLINE, recorded_by__isnull=True)
                | Q(channel=RatingChannel.PAPER, recorded_by__isnull=False),
                name="rating_paper_has_recorder",
            ),
        ]
        indexes = [models.Index(fields=["unit", "rated_at"], name="rating_by_unit_time", include=["level"])]

    def __str__(self):
        return f"{self.dossier_id}: {self.level}"


class Feedback(models.Model):
    """A report or proposal from anyone, online or logged by staff, answered within a working-time deadline."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=FeedbackKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=FeedbackChannel.choices)
    status = models.CharField(_("status"), max_length=12, choices=FeedbackStatus.choices)
    dossier = models.ForeignKey(
        "procedures.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who sent it: an account when signed in; the name and contact as given otherwise (phone or e-mail).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender_name = models.CharField(_("full name"), max_length=150)
    sender_phone = models.CharField(_("phone"), max_length=15, blank=True)
    sender_email = models.EmailField(_("email address"), blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_at = models.DateTimeField(_("response due at"))
    answer = models.TextField(_("public answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The deadline sweep's marks, like a dossier's (once per due time).
    due_soon_for = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_for = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    # Whether the answer appears on the public page of answers (/phan-anh/tra-loi/): the officer unticks it
    # when the answer only makes sense to the sender.
    published = models.BooleanField(_("publish the answer"), default=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FeedbackKind.values), name="feedback_kind_valid"),
            models.CheckConstraint(condition=Q(channel__in=FeedbackChannel.values), name="feedback_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=FeedbackStatus.values), name="feedback_status_valid"),
            models.CheckConstraint(condition=Q(due_at__gt=models.F("received_at")), name="feedback_due_after_receipt"),
            # Closed (answered or not accepted) exactly when it has an answer, a time and who gave it.
            models.CheckConstraint(
                condition=(
                    Q(status__in=sorted(OPEN_FEEDBACK_STATUSES), answered_at__isnull=True, answered_by__isnull=True)
                    & Q(answer="")
                )
                | (
                    ~Q(status__in=sorted(OPEN_FEEDBACK_STATUSES))
                    & Q(answered_at__isnull=False, answered_by__isnull=False)
                    & ~Q(answer="")
                ),
                name="feedback_closed_has_answer",
            ),
            # Sent online by anyone, or logged by staff from a call or a visit.
            models.CheckConstraint(
                condition=Q(channel=FeedbackChannel.ONLINE) | Q(logged_by__isnull=False),
                name="feedback_offline_has_logger",
            ),
            models.CheckConstraint(
                condition=~Q(sender_phone="") | ~Q(sender_email="") | Q(sender__isnull=False),
                name="feedback_sender_reachable",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "received_at"], name="feedback_by_unit_time"),
            models.Index(
                fields=["due_at"], name="feedback_open_by_due", condition=Q(status__in=sorted(OPEN_FEEDBACK_STATUSES))
            ),
        ]

    def __str__(self):
        return self.code


class FeedbackCounter(models.Model):
    """The last feedback sequence number issued per (unit, local day): its own scope, so feedback codes
    (PA-…) and dossier codes each run 0001, 0002, … without gaps; the row rolls back with its feedback."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="feedbackcounter_one_per_unit_day"),
            models.CheckConstraint(condition=Q(last_value__gte=1, last_value__lte=9999), name="feedbackcounter_range"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.day}: {self.last_value}"


class FeedbackNotice(models.Model):
    """An in-app notice of a sweep flag (due soon, overdue) to one officer; `emailed_at` records the e-mail,
    sent at most once (the row is locked while sending). One per (feedback, kind, due time, recipient)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("response due soon")
        OVERDUE = "overdue", _("response overdue")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "kind", "due_at", "recipient"], name="feedbacknotice_once_per_due"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="feedbacknotice_by_recipient")]

    def __str__(self):
        return f"{self.feedback_id} {self.kind} → {self.recipient_id}"


class FeedbackEvent(models.Model):
    """The audit trail of one feedback: who did what and when (actor None: the deadline sweep), with the status
    before and after. Written in the same transaction as the change it records."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("sent online")
        LOG = "log", _("logged by staff")
        ASSIGN = "assign", _("handed over")
        START = "start", _("handling started")
        ANSWER = "answer", _("answered")
        REJECT = "reject", _("not accepted")
        DUE_SOON = "due_soon", _("response due soon")
        OVERDUE = "overdue", _("response overdue")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    # The officer it was handed to (ASSIGN), for the trail's reader.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["feedback", "at"], name="feedbackevent_by_feedback")]

    def __str__(self):
        return f"{self.feedback_id} {self.action}"
