"""The catalogue of administrative procedures (TTHC). Minimal core; the catalogue issue extends it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeadlineUnit(models.TextChoices):
    """Units of a statutory deadline; values match procedures.domain.calendar.DeadlineUnit."""

    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    SAME_DAY_CUTOFF = "same_day_cutoff", _("same day (next working day after the cut-off)")


class Procedure(models.Model):
    code = models.CharField(
        _("procedure code"), max_length=30, unique=True, help_text=_("National code, e.g. 1.001612.")
    )
    name = models.CharField(_("name"), max_length=500)
    name_en = models.CharField(_("name in English"), max_length=500, blank=True)
    deadline_amount = models.PositiveIntegerField(_("statutory deadline"))
    deadline_unit = models.CharField(_("deadline unit"), max_length=20, choices=DeadlineUnit.choices)
    deadline_cutoff = models.TimeField(
        _("cut-off time"), null=True, blank=True, help_text=_("For same-day procedures, e.g. 15:00.")
    )
    no_wait = models.BooleanField(_("no-wait procedure"), default=False)
    no_wait_minutes = models.PositiveSmallIntegerField(_("no-wait target (minutes)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline_amount__gt=0), name="procedure_deadline_positive"),
            models.CheckConstraint(
                condition=~Q(deadline_unit="same_day_cutoff") | Q(deadline_cutoff__isnull=False),
                name="procedure_same_day_has_cutoff",
            ),
            models.CheckConstraint(
                condition=Q(no_wait=False) | Q(no_wait_minutes__gt=0),
                name="procedure_no_wait_has_minutes",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"
