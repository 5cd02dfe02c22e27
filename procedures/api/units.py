"""GET /api/units/ and GET /api/units/{code}/: where a unit is, what it is, and when its desk is open.

What an integrator or a booking client needs to show where and when to go. It lives beside the catalogue
API rather than in portal.units because the national default week is part of the calendar (procedures),
and procedures depends on units, never the reverse.
"""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.units.calendar.domain.working_time import DEFAULT_WEEKLY_HOURS
from portal.units.models import OfficeHours, Unit, Weekday
from procedures.domain.text import fold, search_terms

from .catalogue import CatalogueErrorSerializer


class UnitFilterForm(forms.Form):
    """Query parameters of GET /api/units/; an error names its parameter."""

    search = forms.CharField(required=False, max_length=100, strip=True)
    kind = forms.ChoiceField(required=False, choices=[("", "")] + list(Unit.Kind.choices))
    parent = forms.CharField(required=False, max_length=20, strip=True)

    def clean_parent(self):
        code = self.cleaned_data["parent"]
        if code and not Unit.objects.filter(code=code, is_active=True).exists():
            raise forms.ValidationError(_("No unit with code %(code)s.") % {"code": code})
        return code


class SessionSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="HH:MM, Vietnam time.")
    end = serializers.CharField(help_text="HH:MM, Vietnam time.")


class WeekdayHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday … 6 = Sunday.")
    name = serializers.CharField(help_text="The weekday in the request's language.")
    sessions = SessionSerializer(many=True)


class OfficeHoursSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=["unit", "national_default"],
        help_text="national_default: the unit keeps no hours of its own, so Monday–Friday 08:00–12:00, 13:00–17:00.",
    )
    days = WeekdayHoursSerializer(many=True, help_text="Only the days the desk opens, Monday first.")


def _office_hours(unit: Unit) -> dict:
    rows = [(row.weekday, row.start, row.end) for row in unit.office_hours.all()]
    source = "unit"
    if not rows:
        source = "national_default"
        rows = [(day, start, end) for day, sessions in DEFAULT_WEEKLY_HOURS.items() for start, end in sessions]
    days: dict[int, list[dict]] = {}
    for weekday, start, end in sorted(rows):
        days.setdefault(weekday, []).append({"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    return {
        "source": source,
        "days": [
            {"weekday": day, "name": str(Weekday(day).label), "sessions": sessions}
            for day, sessions in sorted(days.items())
        ],
    }


class UnitSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="kind", help_text="province, district, ward or commune.")
    level_name = serializers.SerializerMethodField(help_text="The level in the request's language.")
    parent = serializers.SerializerMethodField(help_text="Code of the unit above, null for a province.")
    office_hours = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["code", "name", "level", "level_name", "parent", "address", "phone", "office_hours"]

    def get_level_name(self, obj) -> str:
        return str(obj.get_kind_display())

    def get_parent(self, obj) -> str | None:
        return obj.parent.code if obj.parent_id else None

    def get_office_hours(self, obj) -> OfficeHoursSerializer:
        return _office_hours(obj)


def public_units():
    """Active units with their parent's code and their office hours: three queries for any page size."""
    return (
        Unit.objects.filter(is_active=True)
        .select_related("parent")
        .only("code", "name", "kind", "address", "phone", "parent__code")
        .prefetch_related(Prefetch("office_hours", queryset=OfficeHours.objects.order_by("weekday", "start")))
        .order_by("code")
    )


def _matching_unit_ids(search: str) -> list[int]:
    """Units whose code or name holds every word, ignoring diacritics ("hoang mai" finds "Hoàng Mai").

    Folded in Python: even the whole country has about ten thousand units, one narrow query.
    """
    terms = search_terms(search)
    rows = Unit.objects.filter(is_active=True).values_list("pk", "code", "name")
    return [pk for pk, code, name in rows if all(term in fold(f"{code} {name}") for term in terms)]


class UnitListView(ListAPIView):
    """Thin: validate the query parameters, filter, paginate (20 per page, as the catalogue)."""

    permission_classes = [AllowAny]
    serializer_class = UnitSerializer

    @extend_schema(
        summary="List the units (wards, communes and the units above them)",
        description=(
            "Active units with their level, parent and office hours, 20 per page, ordered by code. "
            "A bad filter value is a 400 whose `parameter` names it; a `page` beyond the last one is a 404."
        ),
        parameters=[
            OpenApiParameter("search", str, description="Words of the code or name; diacritics and case are ignored."),
            OpenApiParameter("kind", str, enum=list(Unit.Kind.values), description="Only units of this level."),
            OpenApiParameter("parent", str, description="Only the units directly below this unit code."),
        ],
        responses={200: UnitSerializer(many=True), 400: CatalogueErrorSerializer, 404: CatalogueErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        form = UnitFilterForm(request.query_params)
        if not form.is_valid():
            name, messages = next(iter(form.errors.items()))
            return Response({"detail": f"{name}: {messages[0]}", "parameter": name, "errors": form.errors}, status=400)
        self.filters = form.cleaned_data
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        data = self.filters
        qs = public_units()
        if data["search"]:
            qs = qs.filter(pk__in=_matching_unit_ids(data["search"]))
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["parent"]:
            qs = qs.filter(parent__code=data["parent"])
        return qs


class UnitDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="One unit",
        description="Code, name, level, parent code and office hours of an active unit.",
        responses={200: UnitSerializer, 404: CatalogueErrorSerializer},
    )
    def get(self, request, code: str):
        unit = public_units().filter(code=code).first()
        if unit is None:
            return Response({"detail": gettext("No unit with code %(code)s.") % {"code": code[:40]}}, status=404)
        return Response(UnitSerializer(unit, context={"request": request}).data)
