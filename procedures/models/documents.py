"""Issued documents: the printed papers of Decree 61/2018 and Circular 01/2018 (forms 01–05), one row per issue.

The row keeps the data the paper was rendered from (`snapshot`), taken in the transaction of the event, so a
reprint after the dossier moved on prints the same paper (plus its reprint line), and the stored PDF.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dossiers import Dossier, DossierHistory


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("receipt and appointment slip")
    SUPPLEMENT_REQUEST = "supplement_request", _("supplement request")
    REFUSAL = "refusal", _("refusal")
    APOLOGY = "apology", _("apology letter")
    CONTROL_SLIP = "control_slip", _("control slip")


def issued_document_file_name(instance, filename: str) -> str:
    return f"issued/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class IssuedDocument(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="issued_documents")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    # The event that issued it (None: a control slip printed on demand).
    history = models.ForeignKey(
        DossierHistory, null=True, blank=True, on_delete=models.PROTECT, related_name="issued_documents"
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(default=dict)
    # Empty until rendered (after the commit); the download renders it then if it is still missing.
    file = models.FileField(upload_to=issued_document_file_name, max_length=200, blank=True)
    reprint_count = models.PositiveIntegerField(_("reprints"), default=0)
    last_reprinted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["dossier", "issued_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="issueddocument_kind_valid"),
            models.UniqueConstraint(
                fields=["history", "kind"], condition=Q(history__isnull=False), name="issueddocument_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(reprint_count=0, last_reprinted_at__isnull=True)
                | Q(reprint_count__gt=0, last_reprinted_at__isnull=False),
                name="issueddocument_reprint_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id} {self.kind} {self.issued_at:%Y-%m-%d %H:%M}"
