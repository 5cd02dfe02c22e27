from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin_input import SafeAutocompleteMixin

from .models import CalendarException, OfficeHours, Unit, sessions_overlap_message
from .selectors import units_visible_to


class OfficeHoursForm(forms.ModelForm):
    class Meta:
        model = OfficeHours
        fields = ("weekday", "start", "end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The formset checks every session of the unit together; rows saved in one go may move past each other.
        self.instance.check_overlap_in_db = False


class OfficeHoursFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and None not in (form.instance.weekday, form.instance.start, form.instance.end)
        ]
        kept.sort(key=lambda row: (row.weekday, row.start))
        for first, second in zip(kept, kept[1:], strict=False):
            if first.weekday == second.weekday and second.start < first.end:
                raise ValidationError(sessions_overlap_message(first, second))


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    form = OfficeHoursForm
    formset = OfficeHoursFormSet
    extra = 0
    verbose_name_plural = _("office hours (none: Monday to Friday 08:00–12:00 and 13:00–17:00)")


class CalendarExceptionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            day = form.cleaned_data.get("date") if form.cleaned_data else None
            if day is None or form.cleaned_data.get("DELETE"):
                continue
            if day in seen:
                raise ValidationError(
                    _("%(date)s is listed twice: a day cannot be both off and worked.") % {"date": f"{day:%d/%m/%Y}"}
                )
            seen.add(day)


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    formset = CalendarExceptionFormSet
    fields = ("date", "kind", "reason", "legal_document")
    extra = 0
    verbose_name_plural = _("days off and make-up working days of this unit (and the units below it)")


@admin.register(Unit)
class UnitAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    inlines = [OfficeHoursInline, CalendarExceptionInline]
    readonly_fields = ("calendar_preview",)
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "parent", "address", "phone", "is_active")}),
        (_("Working calendar"), {"fields": ("clock_policy", "calendar_preview")}),
    )

    class Media:
        css = {"all": ("units/calendar_preview.css",)}

    def get_queryset(self, request):
        return units_visible_to(request.user).select_related("parent")

    @admin.display(description=_("next 60 days"))
    def calendar_preview(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the unit to see its calendar.")
        from procedures.selectors.calendar import calendar_preview

        months = calendar_preview(obj, timezone.localdate(), days=60)
        return render_to_string("admin/units/calendar_preview.html", {"months": months})


@admin.register(CalendarException)
class CalendarExceptionAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Nationwide rows are kept by superusers; a unit admin keeps their own subtree's and sees the nationwide."""

    list_display = ("date", "kind", "unit", "reason", "legal_document")
    list_filter = ("kind", ("unit", admin.EmptyFieldListFilter))
    date_hierarchy = "date"
    search_fields = ("reason", "legal_document", "unit__code", "unit__name")
    autocomplete_fields = ("unit",)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("unit")
        if request.user.is_superuser:
            return qs
        return qs.filter(unit__in=units_visible_to(request.user)) | qs.filter(unit__isnull=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = units_visible_to(request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_edit(self, request, obj) -> bool:
        return request.user.is_superuser or obj is None or obj.unit_id is not None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)
