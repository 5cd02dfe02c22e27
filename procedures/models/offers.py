"""A unit's own choices over the shared catalogue: whether it offers a procedure, and its local fee.

The catalogue entry (deadline, documents, steps, code) is statutory and shared by every ward: only a
catalogue editor changes it. What a ward decides for itself lives here, one row per (unit, procedure).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .catalogue import Bilingual, Procedure, vnd


class UnitProcedure(Bilingual, models.Model):
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="procedure_choices"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="unit_choices"
    )
    offered = models.BooleanField(
        _("offered by this unit"),
        default=True,
        help_text=_("Untick when this unit does not receive dossiers of this procedure."),
    )
    fee_amount = models.PositiveIntegerField(
        _("local fee (VND)"),
        null=True,
        blank=True,
        help_text=_("Only for procedures whose fee the province sets (fee varies)."),
    )
    fee_description = models.TextField(_("local fee details"), blank=True)
    fee_description_en = models.TextField(_("local fee details (English)"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("procedure of a unit")
        verbose_name_plural = _("procedures of a unit")
        ordering = ["unit", "procedure"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "procedure"],
                name="unitprocedure_one_per_unit",
                violation_error_message=_("This unit already has a row for this procedure."),
            ),
            models.CheckConstraint(
                condition=Q(fee_amount__isnull=True) | Q(fee_amount__gt=0),
                name="unitprocedure_fee_positive",
                violation_error_message=_("A local fee must be a positive amount."),
            ),
        ]

    def __str__(self):
        return f"{self.unit_id}: {self.procedure_id}"

    @property
    def has_local_fee(self) -> bool:
        return self.fee_amount is not None or bool(self.fee_description)

    @property
    def fee_summary(self) -> str:
        if self.fee_amount:
            return _("%(amount)s VND") % {"amount": vnd(self.fee_amount)}
        return _("varies (see details)")
