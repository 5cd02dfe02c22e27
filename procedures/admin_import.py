"""The procedure admin's import pages: upload (checked first, or imported), and a background import's progress.

Small files are imported during the request; a file with more than CATALOGUE_IMPORT_BACKGROUND_ROWS rows
is stored and imported by the Celery worker, and the admin is sent to a page that refreshes itself until
the job has finished. Uploads larger than CATALOGUE_IMPORT_MAX_BYTES are refused with a form error.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from procedures.documents.catalogue_file import FORMATS, CatalogueFileError, read_catalogue
from procedures.models import ImportJob, Procedure
from procedures.services.catalogue_import import import_catalogue
from procedures.services.catalogue_import_jobs import import_job_create

REFRESH_SECONDS = 2


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or JSON file"))
    dry_run = forms.BooleanField(label=_("Only check, import nothing"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CATALOGUE_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _(
                    "The file is larger than %(mb)s MB, more than can be imported in time here. Split it into "
                    "several files, or import it with “manage.py import_procedures”."
                )
                % {"mb": f"{limit / 1024 / 1024:g}"}
            )
        if upload.name.rsplit(".", 1)[-1].lower() not in FORMATS:
            raise ValidationError(_("Choose a .csv or .json file."))
        return upload


def import_urls(model_admin) -> list:
    """URLs of the import pages, for ProcedureAdmin.get_urls."""
    prefix = f"{Procedure._meta.app_label}_{Procedure._meta.model_name}"
    view = model_admin.admin_site.admin_view
    return [
        path("import/", view(lambda request: import_view(model_admin, request)), name=f"{prefix}_import"),
        path(
            "import/<int:job_id>/",
            view(lambda request, job_id: import_job_view(model_admin, request, job_id)),
            name=f"{prefix}_import_job",
        ),
    ]


def _check_permission(model_admin, request) -> None:
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied


def import_view(model_admin, request):
    _check_permission(model_admin, request)
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        fmt = upload.name.rsplit(".", 1)[-1].lower()
        dry_run = form.cleaned_data["dry_run"]
        reason = gettext("imported from %(name)s") % {"name": upload.name[:60]}
        try:
            rows = len(read_catalogue(data, fmt))
        except CatalogueFileError:
            rows = 0  # reported below, by the import itself
        if rows > settings.CATALOGUE_IMPORT_BACKGROUND_ROWS:
            job = import_job_create(
                data=data, file_name=upload.name, fmt=fmt, rows=rows, user=request.user, dry_run=dry_run, reason=reason
            )
            return HttpResponseRedirect(reverse("admin:procedures_procedure_import_job", args=[job.pk]))
        report = import_catalogue(data, fmt=fmt, user=request.user, dry_run=dry_run, reason=reason)
        if report.ok and not report.dry_run:
            model_admin.message_user(request, report.summary(), messages.SUCCESS)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Procedure._meta,
        "title": _("Import procedures"),
        "form": form,
        "report": report,
        "max_mb": f"{settings.CATALOGUE_IMPORT_MAX_BYTES / 1024 / 1024:g}",
        "background_rows": settings.CATALOGUE_IMPORT_BACKGROUND_ROWS,
        "jobs": ImportJob.objects.filter(created_by=request.user)[:5],
    }
    return TemplateResponse(request, "admin/procedures/procedure/import.html", context)


def import_job_view(model_admin, request, job_id: int):
    """A background import's progress; refreshes itself until the job has finished."""
    _check_permission(model_admin, request)
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not (request.user.is_superuser or job.created_by_id == request.user.pk):
        raise Http404
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Procedure._meta,
        "title": _("Import of %(name)s") % {"name": job.file_name},
        "job": job,
        "counts": {key: len(codes) for key, codes in job.outcome.items()},
        "refresh": None if job.finished else REFRESH_SECONDS,
    }
    return TemplateResponse(request, "admin/procedures/procedure/import_job.html", context)
