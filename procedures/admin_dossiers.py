"""Dossier admin: read-only look-ups for support (search by code or phone, filters, the full record).

No add, change or delete here: every write to a dossier goes through procedures.services.dossiers, and state
changes happen on the staff pages where the transition table and the control slip are kept. Rows are those of
procedures.permissions.dossiers_visible_to (a superuser sees all, a unit admin none); anything else is a 404.
"""

import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.accounts.validators import normalize_phone
from portal.admin_services import ObjectReachAdminMixin
from procedures.models import ControlSlipEntry, Dossier, DossierDocument, DossierHistory
from procedures.models.dossiers import DOSSIER_CODE_PATTERN
from procedures.permissions import dossiers_visible_to


class ReadOnlyInline(admin.TabularInline):
    """Rows shown with their dossier, never edited: visible to whoever may view the dossier."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("procedures.view_dossier")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ["required_document", "original_name", "content_type", "size", "uploaded_at", "uploaded_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("required_document", "uploaded_by")


class ControlSlipInline(ReadOnlyInline):
    model = ControlSlipEntry
    verbose_name = _("control slip entry")
    verbose_name_plural = _("control slip")
    fields = [
        "position",
        "action",
        "from_user",
        "to_user",
        "handed_over_at",
        "step_allotment_minutes",
        "step_due_at",
        "step_finished_at",
        "step_timeliness",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_user", "to_user")


class HistoryInline(ReadOnlyInline):
    model = DossierHistory
    verbose_name = _("history entry")
    verbose_name_plural = _("history")
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Dossier)
class DossierAdmin(ObjectReachAdminMixin, admin.ModelAdmin):
    list_display = ["code", "procedure_code", "unit", "channel", "status", "submitted_at", "due_at", "timeliness"]
    # Plain filters: "related only" choices would scan every dossier to find the fields in use.
    # Submission date as a filter (today, past 7 days, this month, this year: a range the key order meets at
    # once), not a date hierarchy, whose year list read every dossier (278 of 423 ms at a million rows).
    list_filter = [
        "status",
        "channel",
        "timeliness",
        "unit",
        "procedure__field",
        ("submitted_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["procedure", "unit"]
    search_fields = ["=code", "=applicant__phone"]
    search_help_text = _("A dossier code or the applicant's phone number (exact).")
    # Counting a million rows twice per page is the slowest part of a changelist: count the filtered rows only.
    show_full_result_count = False
    # Newest first by key (the primary key's index): the model's order by submission time would sort the
    # whole table for each page (3 s at a million rows); received at the desk or online, keys follow time.
    ordering = ["-pk"]
    inlines = [DocumentInline, ControlSlipInline, HistoryInline]
    exclude = ["idempotency_key", "version"]

    @admin.display(description=_("procedure"), ordering="procedure__code")
    def procedure_code(self, obj):
        return obj.procedure.code

    def get_queryset(self, request):
        return dossiers_visible_to(request.user).select_related("procedure", "unit", "applicant", "assigned_to")

    def get_search_results(self, request, queryset, search_term):
        """A code as typed, or a phone in any usual spelling (0912 345 678, +84…) in its stored form."""
        term = search_term.strip()
        if not term:
            return queryset, False
        # One indexed lookup or the other: an OR across the join would scan the table.
        if re.fullmatch(DOSSIER_CODE_PATTERN, term):
            return queryset.filter(code=term), False
        return queryset.filter(applicant__phone=normalize_phone(term)), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
