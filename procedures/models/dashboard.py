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


class DossierDayFigure(models.Model):
    """How many dossiers a unit received (by online offer, channel and no-wait fast track; and how many of them
    digitised), or finished early / on time / late, on one local day — about a dozen rows per unit and day.

    Kept current by PostgreSQL statement triggers on procedures_dossier (migration 0017): every INSERT, UPDATE,
    DELETE or COPY adds its rows' contributions and subtracts their old ones, in the same transaction — so the
    dashboards read a few thousand rows for a district's year instead of hundreds of thousands of dossiers, and
    the figures stay live. Never written by Python code. On SQLite (make run) there are no triggers and the
    dashboards count the dossiers themselves (procedures.selectors.dashboard).
    """

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        EARLY = "early", _("early")
        ON_TIME = "on_time", _("on time")
        LATE = "late", _("late")
        DIGITISED = "digitised", _("digitised")

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Received rows: whether the catalogue offered the procedure online when the dossier was written (the online
    # services score's base), the dossier's channel, and whether it came through the no-wait fast track.
    offered_online = models.BooleanField(default=False)
    channel = models.CharField(max_length=10, blank=True)
    fast = models.BooleanField(default=False)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # The triggers' ON CONFLICT target; carrying n, it is also the dashboards' index-only read.
            models.UniqueConstraint(
                fields=["unit", "day", "kind", "offered_online", "channel", "fast"],
                name="dossierdayfigure_one_row_per_key",
                include=["n"],
            ),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.day} {self.kind}: {self.n}"


class RatingDayFigure(models.Model):
    """How many ratings a unit got at each satisfaction level on one local day (rated_at).

    Kept current by PostgreSQL statement triggers on procedures_rating (migration 0020), like DossierDayFigure: the
    ranking of a district's year then reads a few thousand rows instead of counting a quarter of a million ratings.
    Never written by Python code; on SQLite the dashboards count the ratings themselves."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    day = models.DateField()
    level = models.CharField(max_length=20)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # The triggers' ON CONFLICT target; carrying n, it is also the dashboards' index-only read.
            models.UniqueConstraint(
                fields=["unit", "day", "level"], name="ratingdayfigure_one_row_per_key", include=["n"]
            ),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.day} {self.level}: {self.n}"
