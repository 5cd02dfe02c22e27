"""A catalogue import run by the Celery worker: the stored upload, its progress and its outcome.

Large files are imported in the background (a web request must finish within the server's timeout);
the admin polls this row. Errors are kept as the importer reports them: row, column, message.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("checking and importing")
    DONE = "done", _("finished")
    FAILED = "failed", _("nothing imported")


class ImportJob(models.Model):
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Stored under MEDIA_ROOT (never served); deleted once the import has finished.
    upload = models.FileField(_("uploaded file"), upload_to="catalogue/imports/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(max_length=4)
    dry_run = models.BooleanField(_("check only"), default=True)
    reason = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, default="vi")
    task_id = models.CharField(max_length=50, blank=True)
    status = models.CharField(
        _("import status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    # {"created": [...], "updated": [...], "unchanged": [...], "fields_created": [...]} once finished.
    outcome = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [{"row", "field", "message"}]
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")), name="import_job_progress"
            )
        ]

    def __str__(self):
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0
