"""Dossiers (hồ sơ): a citizen's application for one procedure, its files, hand-overs and history.

Every write goes through procedures.services.dossiers; the invariants a row can express are database
constraints here, the append-only history is guarded by a trigger (migration), and the status machine is
procedures.domain.workflow.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.domain.workflow import (
    CLOCK_RUNNING_STATUSES,
    FINISHED_STATUSES,
    OPEN_STATUSES,
    RECEIVED_STATUSES,
    SWEEP_ACTIONS,
    TIMELINESS_CHOICES,
    Action,
    Channel,
    DossierStatus,
    national_status,
)

from .catalogue import Procedure, RequiredDocument

# {unit code}-{yyMMdd}-{4-digit daily sequence}, e.g. H56.01-260112-0007 (unit codes: letters, digits, dots).
DOSSIER_CODE_PATTERN = r"^[A-Za-z0-9.]+-[0-9]{6}-[0-9]{4}$"
MAX_DAILY_SEQUENCE = 9999


def dossier_file_name(instance, filename: str) -> str:
    """A random name (the original is kept in a column): nothing the citizen typed reaches the file system."""
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"dossiers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="dossiers")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=25, choices=DossierStatus.choices)
    # Bumped by every write (optimistic concurrency: UPDATE … WHERE status = expected AND version = read).
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # No-wait procedures: the fast-track target (working minutes from the receipt); due_at stays statutory.
    target_at = models.DateTimeField(_("no-wait target"), null=True, blank=True)
    # No-wait fast track: when the citizen arrived at the desk (elapsed minutes run from here to the return).
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    # The apology letter: a new date and its reason, at most once (redated_at marks that it was used).
    redated_at = models.DateTimeField(_("re-dated at"), null=True, blank=True)
    redated_due_at = models.DateTimeField(_("new due time"), null=True, blank=True)
    redate_reason = models.TextField(_("reason for the new date"), blank=True)
    # The clock while a supplement is awaited: when it stopped, and working time left then (pause policy).
    stopped_at = models.DateTimeField(_("clock stopped at"), null=True, blank=True)
    remaining_seconds = models.PositiveIntegerField(_("working seconds left"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=10, choices=TIMELINESS_CHOICES, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
    )
    # The deadline sweep's flags: the due time each flag was raised for (a new due time — re-dating, a
    # supplement's new receipt — may be flagged again, the same one never twice), and the no-wait miss.
    due_soon_for = models.DateTimeField(_("flagged due soon for"), null=True, blank=True, editable=False)
    overdue_for = models.DateTimeField(_("flagged overdue for"), null=True, blank=True, editable=False)
    target_missed_at = models.DateTimeField(_("no-wait target missed"), null=True, blank=True, editable=False)
    # Digitised: at least one submitted document and every one stored as a file (uploaded or scanned). Kept by a
    # PostgreSQL trigger on the documents (migration 0018) for the dashboards; False on SQLite (never read there).
    documents_on_file = models.BooleanField(default=False, db_default=False, editable=False)
    # The client's Idempotency-Key: a retried submission returns the same dossier.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=DOSSIER_CODE_PATTERN), name="dossier_code_format"),
            models.CheckConstraint(condition=Q(status__in=DossierStatus.values), name="dossier_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="dossier_channel_valid"),
            # A receipt is received_at and due_at together; a received dossier has one.
            models.CheckConstraint(
                condition=Q(received_at__isnull=True, due_at__isnull=True)
                | Q(received_at__isnull=False, due_at__isnull=False),
                name="dossier_receipt_has_due_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=RECEIVED_STATUSES) | Q(received_at__isnull=False),
                name="dossier_received_has_receipt",
            ),
            # Finished (result ready or returned) exactly when finished_at and timeliness are set.
            models.CheckConstraint(
                condition=(Q(status__in=FINISHED_STATUSES) & Q(finished_at__isnull=False) & ~Q(timeliness=""))
                | (~Q(status__in=FINISHED_STATUSES) & Q(finished_at__isnull=True, timeliness="")),
                name="dossier_finished_has_timeliness",
            ),
            models.CheckConstraint(
                condition=Q(timeliness="") | Q(timeliness__in=["early", "on_time", "late"]),
                name="dossier_timeliness_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=DossierStatus.RETURNED, returned_at__isnull=False)
                | (~Q(status=DossierStatus.RETURNED) & Q(returned_at__isnull=True)),
                name="dossier_returned_has_returned_at",
            ),
            # Re-dated at most once: one set of columns, filled together, the new date later than the old.
            models.CheckConstraint(
                condition=Q(redated_at__isnull=True, redated_due_at__isnull=True, redate_reason="")
                | Q(redated_at__isnull=False, redated_due_at__isnull=True)
                | Q(redated_at__isnull=False, redated_due_at__gt=models.F("due_at")) & ~Q(redate_reason=""),
                name="dossier_redated_once_later",
            ),
            # The clock stops only while a received dossier waits for a supplement.
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True, remaining_seconds__isnull=True)
                | Q(
                    status=DossierStatus.SUPPLEMENT_REQUESTED,
                    stopped_at__isnull=False,
                    remaining_seconds__isnull=False,
                ),
                name="dossier_clock_stops_for_supplement",
            ),
            models.CheckConstraint(
                condition=Q(arrived_at__isnull=True)
                | Q(received_at__isnull=False, arrived_at__lte=models.F("received_at")),
                name="dossier_arrived_before_receipt",
            ),
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="dossier_idempotency_key_per_applicant",
            ),
        ]
        indexes = [
            # The unit's work queue and the due-work sweeps: open dossiers by unit, soonest due first.
            models.Index(
                fields=["unit", "due_at"], name="dossier_open_by_unit_due", condition=Q(status__in=OPEN_STATUSES)
            ),
            # The desk's "new online submissions": oldest first.
            models.Index(
                fields=["unit", "submitted_at"],
                name="dossier_submitted_by_unit",
                condition=Q(status=DossierStatus.SUBMITTED),
            ),
            # The deadline sweep: running clocks by the due time the citizen was last given (sorted: the
            # predicate's SQL must not depend on set order, and the sweep's WHERE repeats it).
            models.Index(
                Coalesce("redated_due_at", "due_at"),
                name="dossier_running_by_due",
                condition=Q(status__in=sorted(CLOCK_RUNNING_STATUSES)),
            ),
            models.Index(
                fields=["target_at"],
                name="dossier_no_wait_unflagged",
                condition=Q(status__in=sorted(CLOCK_RUNNING_STATUSES), target_missed_at__isnull=True),
            ),
            # The staff list (GET /api/dossiers/, newest first), whole and by status: without them PostgreSQL
            # sorts the unit's every row for each page (240 ms for a ward's 72,000 dossiers; bench/dossiers.py).
            models.Index(fields=["unit", "-submitted_at", "-id"], name="dossier_by_unit_newest"),
            models.Index(fields=["unit", "status", "-submitted_at", "-id"], name="dossier_by_unit_status_newest"),
            models.Index(fields=["applicant", "-submitted_at"], name="dossier_by_applicant"),
            models.Index(fields=["assigned_to", "status"], name="dossier_by_assignee"),
            # The dashboards (procedures.selectors.dashboard): each figure is an index-only range scan per unit,
            # received in a period / finished since a day / open now, the columns they count carried along.
            models.Index(
                fields=["unit", "received_at"],
                name="dossier_dash_received",
                include=["id", "channel", "procedure", "arrived_at", "returned_at", "assigned_to"],
                condition=Q(received_at__isnull=False),
            ),
            models.Index(
                fields=["unit", "finished_at"],
                name="dossier_dash_finished",
                include=["timeliness", "received_at", "due_at", "redated_due_at", "assigned_to"],
                condition=Q(finished_at__isnull=False),
            ),
            # The no-wait medians: the few fast-track dossiers of a period, without reading the others.
            models.Index(
                fields=["unit", "received_at"],
                name="dossier_dash_no_wait",
                include=["arrived_at", "returned_at", "procedure"],
                condition=Q(arrived_at__isnull=False, returned_at__isnull=False),
            ),
            models.Index(
                fields=["unit", "received_at"],
                name="dossier_dash_unfinished",
                include=["status", "due_at", "redated_due_at", "procedure", "assigned_to"],
                condition=Q(status__in=sorted(OPEN_STATUSES - FINISHED_STATUSES), received_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def national_status(self) -> str:
        return national_status(self.status).value

    @property
    def national_status_label(self) -> str:
        return str(national_status(self.status).label)

    @property
    def is_received(self) -> bool:
        return self.received_at is not None

    @property
    def elapsed_minutes(self) -> int | None:
        """No-wait fast track: whole minutes from arrival to the result's return (or None)."""
        if self.arrived_at is None or self.returned_at is None:
            return None
        return int((self.returned_at - self.arrived_at).total_seconds() // 60)

    @property
    def effective_due_at(self):
        """The due time the citizen was last given: the apology's new date if there is one."""
        return self.redated_due_at or self.due_at


class DossierDocument(models.Model):
    """One submitted document: an uploaded file, or (at the desk) a paper document ticked on the checklist."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    required_document = models.ForeignKey(
        RequiredDocument, verbose_name=_("required document"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=dossier_file_name, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("submitted document")
        verbose_name_plural = _("submitted documents")
        ordering = ["dossier", "required_document__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(file="", size=0, content_type="")
                | (~Q(file="") & Q(size__gt=0, content_type__in=["application/pdf", "image/jpeg", "image/png"])),
                name="dossierdocument_file_is_allowed_type",
            ),
        ]

    def __str__(self):
        return self.original_name or str(self.required_document)


class ControlSlipEntry(models.Model):
    """Phiếu kiểm soát: one hand-over, and whether the step it ends was early, on time or late."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="control_slip")
    position = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=25, choices=Action.choices)
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_over_at = models.DateTimeField()
    # The process step the receiver now works on (procedure's ProcessStep at this position), if any.
    step_allotment_minutes = models.PositiveIntegerField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)
    step_finished_at = models.DateTimeField(null=True, blank=True)
    step_timeliness = models.CharField(max_length=10, choices=TIMELINESS_CHOICES, blank=True)
    # The deadline sweep's flags on an open step (its due time never changes, so a time is enough).
    step_due_soon_at = models.DateTimeField(null=True, blank=True, editable=False)
    step_overdue_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("control slip entry")
        verbose_name_plural = _("control slip entries")
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="controlslip_position_unique"),
            models.CheckConstraint(
                condition=Q(step_allotment_minutes__isnull=True, step_due_at__isnull=True)
                | Q(step_allotment_minutes__gt=0, step_due_at__isnull=False),
                name="controlslip_allotment_has_due",
            ),
            models.CheckConstraint(
                condition=Q(step_finished_at__isnull=True, step_timeliness="")
                | Q(step_finished_at__isnull=False, step_due_at__isnull=True, step_timeliness="")
                | (Q(step_finished_at__isnull=False, step_due_at__isnull=False) & ~Q(step_timeliness="")),
                name="controlslip_finished_step_has_timeliness",
            ),
        ]
        indexes = [
            # The deadline sweep: open steps with an allotment, not yet flagged overdue.
            models.Index(
                fields=["step_due_at"],
                name="controlslip_open_step_due",
                condition=Q(step_finished_at__isnull=True, step_due_at__isnull=False, step_overdue_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id} #{self.position}"


class DossierHistory(models.Model):
    """Append-only: one row per status change (and per re-dating). A trigger refuses UPDATE and DELETE."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="history")
    # None: the system (the deadline sweep's flags); every status change has a person.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    action = models.CharField(max_length=25, choices=Action.choices)
    from_status = models.CharField(max_length=25, choices=DossierStatus.choices, blank=True)
    to_status = models.CharField(max_length=25, choices=DossierStatus.choices)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("dossier history entry")
        verbose_name_plural = _("dossier history")
        ordering = ["dossier", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | Q(action__in=sorted(SWEEP_ACTIONS)),
                name="dossierhistory_person_acts_unless_sweep",
            ),
        ]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Dossier history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Dossier history is append-only.")


class DailyCounter(models.Model):
    """The last sequence number issued per (unit, local day): codes are gap-free because this row rolls
    back with the dossier that used it."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="dailycounter_one_per_unit_day"),
            models.CheckConstraint(
                condition=Q(last_value__gte=1, last_value__lte=MAX_DAILY_SEQUENCE), name="dailycounter_range"
            ),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.day}: {self.last_value}"


class OutboxEvent(models.Model):
    """Transactional outbox: written with the status change; delivery (mail, in-app) reads it."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("in the portal")
        EMAIL = "email", _("e-mail")

    history = models.ForeignKey(DossierHistory, on_delete=models.PROTECT, related_name="events")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=25, choices=Action.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # In-app notifications: when the recipient marked it read (procedures.services.notifications).
    read_at = models.DateTimeField(null=True, blank=True)
    # Failed sends (SMTP errors): the relay gives up on a row after OUTBOX_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["history", "channel", "recipient"], name="outbox_once_per_recipient"),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="outbox_undelivered", condition=Q(delivered_at__isnull=True)),
            # The navbar's unread badge and the notifications page: one user's in-app events.
            models.Index(
                fields=["recipient", "-created_at"], name="outbox_in_app_by_recipient", condition=Q(channel="in_app")
            ),
        ]

    def __str__(self):
        return self.idempotency_key
