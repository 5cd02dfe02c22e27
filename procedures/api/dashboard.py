"""The dashboard API: a unit's figures for a period, and the ranking of a district's wards.

Thin: parse the unit and the period, ask procedures.permissions who may see what, call one selector.
Not signed in, or a role without dashboards (citizens, catalogue editors): 403. A unit outside the caller's
reach: 404 (never a 403). A bad period: 400 with a translated message naming the parameter.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.units.models import Unit
from procedures.domain.periods import PRESETS, PeriodError, parse_period
from procedures.permissions import can_view_district, dashboard_officer_scope, dashboard_units_visible_to
from procedures.selectors.dashboard import SCORE_POINTS, ward_figures, ward_ranking


class DashboardErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    parameter = serializers.CharField(required=False)


class PeriodSerializer(serializers.Serializer):
    # "from" is a Python keyword: the fields are declared below through the serializer's field map.
    def get_fields(self):
        return {
            "from": serializers.DateField(help_text="First day (local date, inclusive)."),
            "to": serializers.DateField(help_text="Last day (local date, inclusive)."),
        }


class SatisfactionSerializer(serializers.Serializer):
    very_satisfied = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    dissatisfied = serializers.IntegerField()


class FeedbackFiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text="Feedback received in the period.")
    answered = serializers.IntegerField(help_text="Of those, closed with an answer.")
    answered_on_time = serializers.IntegerField(help_text="Answered by the response deadline.")
    answered_late = serializers.IntegerField()
    open = serializers.IntegerField(help_text="Of those, still open.")
    overdue_now = serializers.IntegerField(help_text="Any open feedback past its deadline now.")


class ScoresSerializer(serializers.Serializer):
    progress = serializers.FloatField(allow_null=True, help_text=f"Out of {SCORE_POINTS['progress']}.")
    satisfaction = serializers.FloatField(allow_null=True, help_text=f"Out of {SCORE_POINTS['satisfaction']}.")
    online = serializers.FloatField(allow_null=True, help_text=f"Out of {SCORE_POINTS['online']}.")
    digitisation = serializers.FloatField(allow_null=True, help_text=f"Out of {SCORE_POINTS['digitisation']}.")
    total = serializers.FloatField(help_text="Sum of the four (a score without data counts 0).")


def _share():
    return serializers.FloatField(allow_null=True, help_text="0..1; null when the base is 0.")


class WardFiguresSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Unit code.")
    unit_name = serializers.CharField()
    period = PeriodSerializer()
    received = serializers.IntegerField(help_text="Dossiers received in the period.")
    resolved = serializers.IntegerField(help_text="Dossiers finished (result ready) in the period.")
    early = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    early_share = _share()
    on_time_share = _share()
    late_share = _share()
    in_progress = serializers.IntegerField(help_text="Received and not finished at the end of the period.")
    in_progress_overdue = serializers.IntegerField(help_text="Of those, past their due time at the end.")
    overdue_now = serializers.IntegerField(help_text="Open now, past the due time.")
    due_soon = serializers.IntegerField(help_text="Open now, within the deadline sweep's due-soon window.")
    no_wait_received = serializers.IntegerField()
    no_wait_share = _share()
    no_wait_median_minutes = serializers.FloatField(allow_null=True)
    no_wait_target_minutes = serializers.FloatField(allow_null=True)
    online_offered_received = serializers.IntegerField()
    online_received = serializers.IntegerField()
    digitised = serializers.IntegerField()
    satisfaction = SatisfactionSerializer()
    satisfied_share = _share()
    feedback = FeedbackFiguresSerializer()
    scores = ScoresSerializer()


class RankingEntrySerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Ward code.")
    name = serializers.CharField()
    score = serializers.FloatField(help_text="Total Decision 766 score (out of 82).")
    place = serializers.IntegerField(help_text="Equal scores share a place: 1, 2, 2, 4.")


PERIOD_PARAMETERS = [
    OpenApiParameter("preset", str, enum=list(PRESETS), description="This month, quarter or year (to today)."),
    OpenApiParameter("from", str, description="First day, YYYY-MM-DD (custom period)."),
    OpenApiParameter("to", str, description="Last day, YYYY-MM-DD (default today)."),
]
ERRORS = {400: DashboardErrorSerializer, 403: DashboardErrorSerializer, 404: DashboardErrorSerializer}


def _error(status: int, message, parameter: str | None = None) -> Response:
    body = {"detail": str(message)}
    if parameter:
        body["parameter"] = parameter
    return Response(body, status=status)


class _DashboardView(APIView):
    permission_classes = [IsAuthenticated]

    def _unit(self, request, visible) -> Unit | Response:
        code = request.query_params.get("unit", "").strip()
        if not code:
            if request.user.unit_id is None:
                return _error(400, gettext("unit: give the code of a unit."), "unit")
            code = request.user.unit.code
        unit = visible.filter(code=code).first() if "\x00" not in code else None
        if unit is None:
            return _error(404, gettext("No unit with code %(code)s within your reach.") % {"code": code[:40]})
        return unit

    def _period(self, request):
        params = request.query_params
        try:
            return parse_period(
                preset=params.get("preset"),
                start=params.get("from"),
                end=params.get("to"),
                today=timezone.localdate(),
            )
        except PeriodError as error:
            return _error(400, error.message, error.parameter)


class DashboardView(_DashboardView):
    @extend_schema(
        summary="A unit's dashboard figures for a period",
        description=(
            "Leaders and unit admins: any unit of their subtree; desk officers and specialists: their own unit, "
            "their own numbers only. Default unit: the caller's; default period: this month so far."
        ),
        parameters=[OpenApiParameter("unit", str, description="Unit code (default: your unit)."), *PERIOD_PARAMETERS],
        responses={200: WardFiguresSerializer, **ERRORS},
    )
    def get(self, request):
        visible = dashboard_units_visible_to(request.user)
        if not visible.exists():
            return _error(403, gettext("Dashboards are for the staff of a unit."))
        unit = self._unit(request, visible)
        if isinstance(unit, Response):
            return unit
        period = self._period(request)
        if isinstance(period, Response):
            return period
        officer = dashboard_officer_scope(request.user, unit)
        return Response(ward_figures(unit=unit, period=period, officer=officer).as_dict())


class RankingView(_DashboardView):
    @extend_schema(
        summary="The wards of a district ranked by their Decision 766 score",
        description="Leaders and unit admins of the district or above. Equal scores share a place (1, 2, 2, 4).",
        parameters=[
            OpenApiParameter("unit", str, description="Code of the parent unit (default: your unit)."),
            *PERIOD_PARAMETERS,
        ],
        responses={200: RankingEntrySerializer(many=True), **ERRORS},
    )
    def get(self, request):
        user = request.user
        superuser = user.is_superuser and user.is_active
        if not superuser and not can_view_district(user, user.unit if user.unit_id else None):
            return _error(403, gettext("The ranking of wards is for the leaders of a unit above them."))
        unit = self._unit(request, dashboard_units_visible_to(user))
        if isinstance(unit, Response):
            return unit
        period = self._period(request)
        if isinstance(period, Response):
            return period
        return Response([entry.as_dict() for entry in ward_ranking(parent=unit, period=period)])
