"""Who looked at which dossier, when and how (Law 91/2025/QH15: an access log for staff views of personal data).

Written by procedures.services.access_log.dossier_access_record on every view of a dossier by anyone other than
its applicant; append-only by convention (nothing updates it, leaders read it on the staff dossier page).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    PAGE = "page", _("dossier page")
    API = "api", _("API")
    FILE = "file", _("file download")


class DossierAccess(models.Model):
    dossier = models.ForeignKey("procedures.Dossier", on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=10, choices=AccessKind.choices)
    document = models.ForeignKey(
        "procedures.DossierDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("dossier access")
        verbose_name_plural = _("dossier access log")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AccessKind.values), name="dossieraccess_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=AccessKind.FILE, document__isnull=False) | ~Q(kind=AccessKind.FILE),
                name="dossieraccess_file_names_document",
            ),
        ]
        indexes = [models.Index(fields=["dossier", "-at"], name="dossieraccess_by_dossier")]

    def __str__(self):
        return f"{self.dossier_id} {self.kind} {self.user_id}"
