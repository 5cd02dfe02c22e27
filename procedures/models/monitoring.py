"""What the deadline sweep leaves behind: apology drafts for the responsible officer, and a log of runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApologyDraft(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả, drafted by the sweep when a dossier is due soon and not
    re-dated; the officer fills in the reason and the new date, which takes the REDATE transition (once)."""

    dossier = models.OneToOneField(
        "procedures.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="apology"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible officer"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("apology letter")
        verbose_name_plural = _("apology letters")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["officer"], name="apology_open_by_officer", condition=Q(issued_at__isnull=True))
        ]

    def __str__(self):
        return f"{self.dossier_id}"


class SweepRun(models.Model):
    """One run of the deadline sweep: the health check reads the last one's age; the counts show its work."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    flagged = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["-finished_at"], name="sweeprun_latest")]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S}"
