from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin_input import SafeAutocompleteMixin
from portal.admin_services import ObjectReachAdminMixin, ServiceWriteAdminMixin

from .calendar.preview import calendar_preview as preview_months
from .calendar.services import calendar_exception_delete, calendar_exception_save, unit_calendar_save
from .models import CalendarException, OfficeHours, Unit, sessions_overlap_message
from .permissions import (
    calendar_exceptions_visible_to,
    can_add_unit,
    can_change_calendar_exception,
    can_manage_unit,
    can_manage_unit_calendar,
    units_managed_by,
    units_visible_to,
)
from .services import unit_save


class UnitCalendarInlinePermissions:
    """A unit's office hours and exceptions are kept by whoever manages that unit (portal.units.permissions).

    On the add page (no unit yet) only who may add units fills them in.
    """

    def _may_keep(self, request, obj) -> bool:
        return can_add_unit(request.user) if obj is None else can_manage_unit_calendar(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_keep(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_keep(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_keep(request, obj)


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


class OfficeHoursInline(UnitCalendarInlinePermissions, admin.TabularInline):
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


class CalendarExceptionInline(UnitCalendarInlinePermissions, admin.TabularInline):
    model = CalendarException
    formset = CalendarExceptionFormSet
    fields = ("date", "kind", "reason", "legal_document")
    extra = 0
    verbose_name_plural = _("days off and make-up working days of this unit (and the units below it)")


@admin.register(Unit)
class UnitAdmin(SafeAutocompleteMixin, ObjectReachAdminMixin, ServiceWriteAdminMixin, admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return can_add_unit(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_manage_unit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return can_add_unit(request.user) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if can_add_unit(request.user):
            return self.readonly_fields
        # The code prefixes every dossier code, and the place in the tree decides who sees what.
        return (*self.readonly_fields, "code", "kind", "parent")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent" and not can_add_unit(request.user):
            kwargs["queryset"] = units_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        unit_save(unit=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        """The calendar inlines go through the calendar services (the same checks as everywhere else)."""
        form.save_m2m()
        office_hours = None
        saved, deleted = [], []
        for formset in formsets:
            rows = formset.save(commit=False)
            if formset.model is OfficeHours and formset.has_changed():
                office_hours = {}
                for sub in formset.forms:
                    data = sub.cleaned_data
                    if not data or data.get("DELETE") or None in (data.get("weekday"), data.get("start")):
                        continue
                    office_hours.setdefault(int(data["weekday"]), []).append((data["start"], data["end"]))
            elif formset.model is CalendarException:
                saved, deleted = rows, list(formset.deleted_objects)
        unit_calendar_save(
            unit=form.instance,
            office_hours=office_hours,
            exceptions_saved=saved,
            exceptions_deleted=deleted,
            user=request.user,
        )

    @admin.display(description=_("next 60 days"))
    def calendar_preview(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the unit to see its calendar.")
        months = preview_months(obj, timezone.localdate(), days=60)
        return render_to_string("admin/units/calendar_preview.html", {"months": months})


@admin.register(CalendarException)
class CalendarExceptionAdmin(SafeAutocompleteMixin, ObjectReachAdminMixin, ServiceWriteAdminMixin, admin.ModelAdmin):
    """Nationwide rows are kept by superusers; a unit admin keeps their own subtree's and sees the nationwide."""

    list_display = ("date", "kind", "unit", "reason", "legal_document")
    list_filter = ("kind", ("unit", admin.EmptyFieldListFilter))
    date_hierarchy = "date"
    search_fields = ("reason", "legal_document", "unit__code", "unit__name")
    autocomplete_fields = ("unit",)

    def get_queryset(self, request):
        return calendar_exceptions_visible_to(request.user).select_related("unit")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = units_managed_by(request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_change_calendar_exception(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_change_calendar_exception(request.user, obj))

    def save_model(self, request, obj, form, change):
        calendar_exception_save(exception=obj, user=request.user)

    def delete_model(self, request, obj):
        calendar_exception_delete(exception=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for exception in queryset:
            calendar_exception_delete(exception=exception, user=request.user)
