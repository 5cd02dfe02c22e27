"""The organisation tree: province → (district →) ward/commune.

Each unit's working calendar (office hours, exceptions) is modelled in portal.units.calendar.models and
re-exported here, so the tables stay in this app.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .calendar.domain.clock_policy import ClockPolicy
from .calendar.models import CalendarException, OfficeHours, Weekday, sessions_overlap_message

__all__ = ["CalendarException", "ClockPolicy", "OfficeHours", "Unit", "Weekday", "sessions_overlap_message"]


class Unit(models.Model):
    """An administrative unit; its code prefixes every dossier code it issues."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province / city")
        DISTRICT = "district", _("District")
        WARD = "ward", _("Ward")
        COMMUNE = "commune", _("Commune")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Unit code used in dossier codes, e.g. H29.17."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    clock_policy = models.CharField(
        _("clock after a supplement request"),
        max_length=10,
        choices=ClockPolicy.choices,
        default=ClockPolicy.RESTART,
        help_text=_(
            "The law's rule is to count a new deadline from the day the supplement arrives; "
            "some units pause the clock and resume it instead."
        ),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Za-z0-9.]+$"),
                name="unit_code_charset",
                violation_error_message=_("A unit code may hold only letters, digits and dots."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="unit_not_own_parent",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"
