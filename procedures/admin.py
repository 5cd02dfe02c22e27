"""Admin of the procedure catalogue: inline documents and steps, versioned changes, import and export.

The catalogue is a published legal commitment: every save is recorded by django-simple-history
(who, when, what, and an optional reason typed by the editor), and procedures are deactivated
rather than deleted (only a superuser may delete).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_input import CheckedHistoryIdsMixin, checked_pk
from procedures.forms.catalogue import ProcessStepInlineFormSet, RequiredDocumentAdminForm
from procedures.models import Field, Procedure, ProcessStep, RequiredDocument
from procedures.selectors.catalogue import procedure_change_log
from procedures.services.catalogue import field_save, procedure_check_steps, procedure_save
from procedures.services.catalogue_import import export_csv, export_json, import_catalogue

IMPORT_MAX_BYTES = 10 * 1024 * 1024


class ChangeReasonFormMixin(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=100,
        help_text=_("Kept in the change history, e.g. “Decision 123/QĐ-UBND of 05/01/2026”."),
    )


class ProcedureAdminForm(ChangeReasonFormMixin):
    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "name_en",
            "field",
            "is_active",
            "applicant",
            "applicant_en",
            "implementing_level",
            "units",
            "online_level",
            "result",
            "result_en",
            "deadline_amount",
            "deadline_unit",
            "deadline_cutoff",
            "no_wait",
            "no_wait_minutes",
            "fee_kind",
            "fee_amount",
            "fee_description",
            "fee_description_en",
            "legal_basis",
            "source_note",
        ]


class FieldAdminForm(ChangeReasonFormMixin):
    class Meta:
        model = Field
        fields = ["code", "name", "name_en", "position"]


@admin.register(Field)
class FieldAdmin(CheckedHistoryIdsMixin, SimpleHistoryAdmin):
    form = FieldAdminForm
    list_display = ["code", "name", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name", "name_en"]
    prepopulated_fields = {"code": ["name_en"]}

    def save_model(self, request, obj, form, change):
        field_save(field=obj, user=request.user, reason=form.cleaned_data.get("change_reason", ""))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    form = RequiredDocumentAdminForm
    fields = ["position", "name", "name_en", "form", "count", "note", "note_en", "template"]
    extra = 0


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    formset = ProcessStepInlineFormSet
    fields = ["position", "description", "description_en", "responsible", "responsible_en", "allotment_minutes"]
    extra = 0


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or JSON file"))
    dry_run = forms.BooleanField(label=_("Only check, import nothing"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith((".csv", ".json")):
            raise ValidationError(_("Choose a .csv or .json file."))
        return upload


@admin.register(Procedure)
class ProcedureAdmin(CheckedHistoryIdsMixin, SimpleHistoryAdmin):
    form = ProcedureAdminForm
    change_list_template = "admin/procedures/procedure/change_list.html"
    change_form_template = "admin/procedures/procedure/change_form.html"
    inlines = [RequiredDocumentInline, ProcessStepInline]
    list_display = ["code", "name", "field", "deadline_text", "no_wait", "online_level", "is_active", "updated_at"]
    list_filter = ["field", "no_wait", "online_level", "deadline_unit", "fee_kind", "is_active"]
    search_fields = ["code", "name", "name_en", "search_text"]
    list_select_related = ["field"]
    filter_horizontal = ["units"]
    readonly_fields = ["updated_at"]
    actions = ["export_selected_csv", "export_selected_json", "deactivate"]
    fieldsets = [
        (None, {"fields": ["code", "name", "name_en", "field", "is_active"]}),
        (
            _("Who and how"),
            {
                "fields": [
                    "applicant",
                    "applicant_en",
                    "implementing_level",
                    "units",
                    "online_level",
                    "result",
                    "result_en",
                ]
            },
        ),
        (
            _("Deadline and no-wait"),
            {"fields": ["deadline_amount", "deadline_unit", "deadline_cutoff", "no_wait", "no_wait_minutes"]},
        ),
        (_("Fee"), {"fields": ["fee_kind", "fee_amount", "fee_description", "fee_description_en"]}),
        (_("Legal basis and sources"), {"fields": ["legal_basis", "source_note", "updated_at"]}),
        (_("Change history"), {"fields": ["change_reason"]}),
    ]

    @admin.display(description=_("statutory deadline"))
    def deadline_text(self, obj):
        return obj.deadline_text

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    # --- saving through the service: search column, history user and reason -----------------------------

    def save_model(self, request, obj, form, change):
        obj._catalogue_reason = form.cleaned_data.get("change_reason", "")
        # The inline formset has validated the steps against this very deadline (they are saved after).
        procedure_save(procedure=obj, user=request.user, reason=obj._catalogue_reason, validated=True)

    def save_formset(self, request, form, formset, change):
        """Like the default, but every document/step history row carries the editor's reason too."""
        reason = getattr(form.instance, "_catalogue_reason", "")
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        for obj in instances:
            obj._change_reason = reason
            obj.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        procedure_check_steps(form.instance)  # belt and braces; the DB trigger checks again at commit

    # --- export / import ---------------------------------------------------------------------------------

    @admin.action(description=_("Export the selected procedures (CSV)"), permissions=["view"])
    def export_selected_csv(self, request, queryset):
        return self._download(export_csv(queryset), "csv")

    @admin.action(description=_("Export the selected procedures (JSON)"), permissions=["view"])
    def export_selected_json(self, request, queryset):
        return self._download(export_json(queryset), "json")

    @admin.action(description=_("Deactivate the selected procedures"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = 0
        for procedure in queryset.filter(is_active=True):
            procedure.is_active = False
            procedure_save(procedure=procedure, user=request.user, reason=str(_("deactivated from the list")))
            count += 1
        self.message_user(request, _("%(count)s procedures deactivated.") % {"count": count}, messages.SUCCESS)

    def _download(self, content: str, fmt: str) -> HttpResponse:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "csv":
            # With a BOM, spreadsheet programs read the file as UTF-8 (Vietnamese text stays intact).
            response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="thu-tuc-{stamp}.{fmt}"'
        return response

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        extra = [
            path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view), name=f"{prefix}_export"),
            path("import/", self.admin_site.admin_view(self.import_view), name=f"{prefix}_import"),
            path(
                "<path:object_id>/change-log/",
                self.admin_site.admin_view(self.change_log_view),
                name=f"{prefix}_change_log",
            ),
        ]
        return extra + super().get_urls()

    def export_view(self, request, fmt: str):
        """Everything the change list currently shows (its filters and search apply), as CSV or JSON."""
        if not self.has_view_permission(request) or fmt not in ("csv", "json"):
            raise PermissionDenied
        queryset = self.get_changelist_instance(request).get_queryset(request)
        return self._download(export_csv(queryset) if fmt == "csv" else export_json(queryset), fmt)

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_catalogue(
                upload.read(),
                fmt=upload.name.rsplit(".", 1)[-1].lower(),
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
                reason=str(_("imported from %(name)s") % {"name": upload.name[:60]}),
            )
            if report.ok and not report.dry_run:
                self.message_user(request, report.summary(), messages.SUCCESS)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import procedures"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/procedures/procedure/import.html", context)

    def change_log_view(self, request, object_id):
        procedure = get_object_or_404(Procedure, pk=checked_pk(Procedure, object_id))
        if not self.has_view_or_change_permission(request, procedure):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": procedure,
            "title": _("Change log of %(code)s") % {"code": procedure.code},
            "entries": procedure_change_log(procedure),
            "change_url": reverse("admin:procedures_procedure_change", args=[procedure.pk]),
        }
        return TemplateResponse(request, "admin/procedures/procedure/change_log.html", context)
