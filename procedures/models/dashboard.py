"""Monthly dashboard snapshots: a unit's figures for one month, frozen once published.

A ward reports a month upward once; what it reported must read the same later even if dossiers change
afterwards (a late rating, a re-dated dossier). procedures.services.dashboard_snapshots writes a row once and
never updates it; procedures.selectors.dashboard.monthly_trend reads frozen months from here.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DashboardSnapshot(models.Model):
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    # The first day of the month the figures are for.
    month = models.DateField(_("month"))
    # WardFigures.as_dict() as it was when taken (JSON-ready: counts, shares, scores, the period).
    figures = models.JSONField(_("figures"))
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        ordering = ["unit", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="dashboardsnapshot_one_per_unit_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="dashboardsnapshot_month_first_day"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"
