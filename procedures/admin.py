"""Admin of the procedure catalogue: inline documents and steps, versioned changes, import and export.

The catalogue is a published legal commitment: every save is recorded by django-simple-history
(who, when, what, and an optional reason typed by the editor), and procedures are deactivated
rather than deleted (only a superuser may delete).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_input import CheckedHistoryIdsMixin, SafeAutocompleteMixin, checked_pk
from portal.admin_services import ObjectReachAdminMixin, ServiceWriteAdminMixin
from portal.units.permissions import units_managed_by
from procedures import admin_dossiers  # noqa: F401  (registers the read-only dossier admin)
from procedures.admin_import import import_urls
from procedures.forms.catalogue import ProcessStepInlineFormSet, RequiredDocumentAdminForm
from procedures.models import Field, Procedure, ProcessStep, RequiredDocument, UnitProcedure
from procedures.permissions import (
    can_change_unit_procedure,
    can_delete_catalogue_entry,
    can_edit_catalogue,
    can_edit_catalogue_entry,
    procedures_visible_to,
    unit_procedures_visible_to,
)
from procedures.selectors.catalogue import procedure_change_log
from procedures.selectors.catalogue_export import export_csv, export_json
from procedures.services.catalogue import (
    ChildChanges,
    field_delete,
    field_save,
    procedure_children_save,
    procedure_delete,
    procedure_save,
    unit_procedure_delete,
    unit_procedure_errors,
    unit_procedure_save,
)


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


class CatalogueAdminPermissions:
    """The shared catalogue: everyone with the admin role may read it, only a catalogue editor changes it."""

    def has_add_permission(self, request, *args):
        return can_edit_catalogue(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_catalogue_entry(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return can_delete_catalogue_entry(request.user, obj)


@admin.register(Field)
class FieldAdmin(
    CheckedHistoryIdsMixin, CatalogueAdminPermissions, ObjectReachAdminMixin, ServiceWriteAdminMixin, SimpleHistoryAdmin
):
    form = FieldAdminForm
    list_display = ["code", "name", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name", "name_en"]
    prepopulated_fields = {"code": ["name_en"]}

    def save_model(self, request, obj, form, change):
        field_save(field=obj, user=request.user, reason=form.cleaned_data.get("change_reason", ""))

    def delete_model(self, request, obj):
        field_delete(field=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for field in queryset:
            field_delete(field=field, user=request.user)


class CatalogueInlinePermissions:
    def has_add_permission(self, request, obj=None):
        return can_edit_catalogue_entry(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return can_edit_catalogue_entry(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return can_edit_catalogue_entry(request.user, obj)


class RequiredDocumentInline(CatalogueInlinePermissions, admin.TabularInline):
    model = RequiredDocument
    form = RequiredDocumentAdminForm
    fields = ["position", "name", "name_en", "form", "count", "note", "note_en", "template"]
    extra = 0


class ProcessStepInline(CatalogueInlinePermissions, admin.TabularInline):
    model = ProcessStep
    formset = ProcessStepInlineFormSet
    fields = ["position", "description", "description_en", "responsible", "responsible_en", "allotment_minutes"]
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(
    CheckedHistoryIdsMixin, CatalogueAdminPermissions, ObjectReachAdminMixin, ServiceWriteAdminMixin, SimpleHistoryAdmin
):
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

    def get_queryset(self, request):
        return super().get_queryset(request) & procedures_visible_to(request.user)

    # --- saving through the services: the same checks as the importer and the API ------------------------

    def delete_model(self, request, obj):
        procedure_delete(procedure=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for procedure in queryset:
            procedure_delete(procedure=procedure, user=request.user)

    def save_model(self, request, obj, form, change):
        obj._catalogue_reason = form.cleaned_data.get("change_reason", "")
        # The steps are checked against this deadline in save_related, once the inline rows are known.
        procedure_save(procedure=obj, user=request.user, reason=obj._catalogue_reason, steps_checked_later=True)

    def save_related(self, request, form, formsets, change):
        """Inline rows go to procedure_children_save (the same checks as the importer), never a raw save()."""
        form.save_m2m()  # the offering units (history records the M2M change)
        changes = {"steps": ChildChanges()}  # a changed deadline is checked against the kept steps too
        for formset in formsets:
            key = {RequiredDocument: "documents", ProcessStep: "steps"}[formset.model]
            saved = formset.save(commit=False)  # fills formset.deleted_objects; writes nothing
            changes[key] = ChildChanges(saved=saved, deleted=list(formset.deleted_objects))
        procedure_children_save(
            procedure=form.instance,
            user=request.user,
            reason=getattr(form.instance, "_catalogue_reason", ""),
            **changes,
        )

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
            *import_urls(self),
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

    def change_log_view(self, request, object_id):
        procedure = get_object_or_404(self.get_queryset(request), pk=checked_pk(Procedure, object_id))
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


class UnitProcedureAdminForm(forms.ModelForm):
    class Meta:
        model = UnitProcedure
        fields = ["unit", "procedure", "offered", "fee_amount", "fee_description", "fee_description_en"]

    def _post_clean(self):
        """After the form has filled the instance: the service's own checks, shown on the form's fields."""
        super()._post_clean()
        if not self.errors:
            for name, errors in unit_procedure_errors(self.instance).items():
                self.add_error(None if name == NON_FIELD_ERRORS or name not in self.fields else name, errors)


@admin.register(UnitProcedure)
class UnitProcedureAdmin(
    CheckedHistoryIdsMixin, SafeAutocompleteMixin, ObjectReachAdminMixin, ServiceWriteAdminMixin, SimpleHistoryAdmin
):
    """A ward's own choices over the shared catalogue: offered or not, and its local fee where fees vary."""

    form = UnitProcedureAdminForm
    list_display = ["unit", "procedure", "offered", "fee_amount", "updated_at"]
    list_filter = ["offered", "unit"]
    search_fields = ["procedure__code", "procedure__name", "unit__code", "unit__name"]
    list_select_related = ["unit", "procedure"]
    autocomplete_fields = ["procedure"]

    def get_queryset(self, request):
        return unit_procedures_visible_to(request.user).select_related("unit", "procedure")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = units_managed_by(request.user)
        if db_field.name == "procedure":
            kwargs["queryset"] = procedures_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and units_managed_by(request.user).exists()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_change_unit_procedure(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_change_unit_procedure(request.user, obj))

    def save_model(self, request, obj, form, change):
        unit_procedure_save(row=obj, user=request.user)

    def delete_model(self, request, obj):
        unit_procedure_delete(row=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            unit_procedure_delete(row=row, user=request.user)
