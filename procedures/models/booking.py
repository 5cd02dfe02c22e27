"""Appointment booking and the desk queue: counters, capacity, bookings, tickets (issue 12).

Every write goes through procedures.services.booking / booking_queue. Capacity is enforced in PostgreSQL:
a booking locks the `SlotCapacity` row of each counter it may use (select_for_update) and counts the live
bookings under that lock, so two requests for the last place of a slot are serialised by the database.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .catalogue import Field, Procedure


class Counter(models.Model):
    """A counter (quầy) of a unit's one-stop desk, serving some fields (none ticked = every field)."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("counter number"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    fields = models.ManyToManyField(
        Field, verbose_name=_("fields served"), blank=True, help_text=_("Leave empty when it serves every field.")
    )
    slot_capacity = models.PositiveSmallIntegerField(
        _("bookings per slot"), default=2, help_text=_("How many citizens with a booking it serves in one slot.")
    )
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number"],
                name="counter_number_per_unit",
                violation_error_message=_("This unit already has a counter with this number."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="counter_number_positive"),
        ]

    def __str__(self):
        return _("Counter %(number)s") % {"number": self.number}


class BookingSettings(models.Model):
    """A unit's booking rules. Defaults follow Hanoi's online queue-number practice (iHanoi, 2025)."""

    unit = models.OneToOneField(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="booking_settings"
    )
    # What the unit admin edits on /quay/cau-hinh/quy-tac/ (the slot length is not: it would move booked slots).
    EDITABLE = (
        "days_ahead",
        "per_day_limit",
        "per_field_limit",
        "hold_minutes",
        "change_cutoff_minutes",
        "no_show_limit",
        "no_show_window_days",
        "priority_run",
    )

    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    days_ahead = models.PositiveSmallIntegerField(
        _("bookable days ahead"),
        default=6,
        validators=[MaxValueValidator(60)],
        help_text=_("0: today only."),
    )
    per_day_limit = models.PositiveSmallIntegerField(
        _("bookings per citizen per day"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    per_field_limit = models.PositiveSmallIntegerField(
        _("bookings per citizen per field and day"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    hold_minutes = models.PositiveSmallIntegerField(
        _("hold while confirming (minutes)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    change_cutoff_minutes = models.PositiveSmallIntegerField(
        _("reschedule/cancel up to (minutes before)"), default=60, validators=[MaxValueValidator(1440)]
    )
    no_show_limit = models.PositiveSmallIntegerField(
        _("no-shows that block booking"), default=3, help_text=_("0 never blocks."), validators=[MaxValueValidator(50)]
    )
    no_show_window_days = models.PositiveSmallIntegerField(
        _("no-shows counted over (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    priority_run = models.PositiveSmallIntegerField(
        _("priority calls before a normal ticket"),
        default=3,
        help_text=_("After this many priority tickets in a row, a waiting normal ticket is called."),
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )

    class Meta:
        verbose_name = _("booking settings")
        verbose_name_plural = _("booking settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240, hold_minutes__gte=1, priority_run__gte=1),
                name="bookingsettings_sane",
            ),
        ]

    def __str__(self):
        return str(self.unit_id)

    def clean(self):
        if self.per_field_limit and self.per_day_limit and self.per_field_limit > self.per_day_limit:
            raise ValidationError({"per_field_limit": _("The limit per field cannot be more than the limit per day.")})


class SlotCapacity(models.Model):
    """The lock row of one (counter, slot start), and the unit admin's override of its capacity.

    `capacity` null means the counter's default; 0 closes the slot; more than the default is extra capacity.
    """

    counter = models.ForeignKey(Counter, verbose_name=_("counter"), on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("slot start"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("slot capacity")
        verbose_name_plural = _("slot capacities")
        constraints = [models.UniqueConstraint(fields=["counter", "start"], name="slotcapacity_one_per_slot")]

    def __str__(self):
        return f"{self.counter_id} {self.start:%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    HELD = "held", _("held while confirming")
    CONFIRMED = "confirmed", _("confirmed")
    CHECKED_IN = "checked_in", _("checked in")
    CANCELLED = "cancelled", _("cancelled")
    RELEASED = "released", _("not confirmed in time")
    LAPSED = "lapsed", _("not used (no-show)")


class Booking(models.Model):
    code = models.CharField(_("booking code"), max_length=12, unique=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("citizen"), on_delete=models.PROTECT, related_name="bookings"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="bookings")
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="bookings"
    )
    counter = models.ForeignKey(Counter, verbose_name=_("counter"), on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    start = models.DateTimeField(_("starts at"))
    end = models.DateTimeField(_("ends at"))
    day = models.DateField(_("day (Vietnam time)"))
    hold_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start"]
        indexes = [
            models.Index(
                fields=["counter", "start"],
                name="booking_live_per_slot",
                condition=Q(status__in=["held", "confirmed", "checked_in"]),
            ),
            models.Index(fields=["unit", "day", "start"], name="booking_unit_day"),
            models.Index(fields=["citizen", "day"], name="booking_citizen_day"),
            # The reminder sweep: confirmed bookings not reminded yet, by day and unit.
            models.Index(
                fields=["day", "unit"],
                name="booking_reminder_due",
                condition=Q(status="confirmed", reminder_sent_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="booking_end_after_start"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_until__isnull=False), name="booking_held_has_deadline"
            ),
        ]

    def __str__(self):
        return self.code


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    SERVING = "serving", _("being served")
    DONE = "done", _("served")
    NO_SHOW = "no_show", _("did not come")


class Ticket(models.Model):
    """A queue number at the desk: from a checked-in booking or a walk-in; one sequence per counter and day."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="tickets")
    counter = models.ForeignKey(Counter, verbose_name=_("counter"), on_delete=models.PROTECT, related_name="tickets")
    # The counter whose sequence issued the number (a transfer moves the ticket, not its number).
    issued_counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    number = models.PositiveIntegerField(_("number"))
    booking = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket")
    # What the citizen came for (the booking's or the walk-in's procedure) and the dossier received for it.
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.OneToOneField(
        "procedures.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="desk_ticket",
    )
    priority = models.BooleanField(_("priority"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    issued_at = models.DateTimeField()
    queued_at = models.DateTimeField()  # the place in line (re-set by a transfer or a reactivation)
    called_at = models.DateTimeField(null=True, blank=True)
    last_called_at = models.DateTimeField(null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issued_counter", "day", "number"], name="ticket_number_per_counter_day"),
        ]
        indexes = [models.Index(fields=["counter", "day", "status", "queued_at"], name="ticket_queue")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.issued_counter.number}-{self.number:03d}"


class QueueDay(models.Model):
    """Per counter and day: the last ticket number issued and the run of priority calls (the lock row)."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)
    priority_streak = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["counter", "day"], name="queueday_one_per_counter_day")]

    def __str__(self):
        return f"{self.counter_id} {self.day}: {self.last_number}"
