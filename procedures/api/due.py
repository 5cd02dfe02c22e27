"""GET /api/procedures/{code}/due/: when a dossier received at a given moment is due."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.units.calendar.domain.working_time import MAX_YEAR, MIN_YEAR, CalendarError
from portal.units.calendar.selectors import default_unit
from portal.units.models import Unit
from procedures.models import Procedure
from procedures.selectors.deadlines import procedure_deadline, procedure_due_at


class DeadlineSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    unit = serializers.CharField()
    cutoff = serializers.CharField(allow_null=True)


class DueSerializer(serializers.Serializer):
    procedure = serializers.CharField(help_text=_("Procedure code."))
    unit = serializers.CharField(allow_null=True, help_text=_("Code of the unit whose calendar was used."))
    received_at = serializers.CharField(help_text=_("ISO 8601, Vietnam time (+07:00)."))
    due_at = serializers.CharField(help_text=_("ISO 8601, Vietnam time (+07:00)."))
    deadline = DeadlineSerializer()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    parameter = serializers.CharField(required=False)


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str):
        self.parameter, self.message = parameter, message


def parse_received_at(raw: str | None) -> datetime:
    """An aware datetime from ISO 8601; now when absent. A naive value is refused, never guessed."""
    if raw is None or raw == "":
        return timezone.now().replace(microsecond=0)
    # An unencoded "+07:00" arrives as " 07:00" (a plus in a query string means a space).
    text = raw.strip()
    if len(text) > 6 and text[-6] == " " and text[-3] == ":":
        text = f"{text[:-6]}+{text[-5:]}"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise BadParameter(
            "received_at",
            gettext("received_at is not a date and time in ISO 8601 (e.g. 2026-01-05T10:00:00+07:00): %(value)s")
            % {"value": raw[:64]},
        ) from None
    if value.tzinfo is None:
        raise BadParameter(
            "received_at",
            gettext("received_at must include a time zone, e.g. 2026-01-05T10:00:00+07:00."),
        )
    try:
        local_year = timezone.localtime(value).year
    except OverflowError:  # e.g. 9999-12-31T23:59:59Z is already year 10000 in Vietnam time
        local_year = None
    if local_year is None or not MIN_YEAR <= local_year <= MAX_YEAR:
        raise BadParameter(
            "received_at",
            gettext("received_at must be between the years %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
        )
    return value.replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _error(status: int, message: str, parameter: str | None = None) -> Response:
    body = {"detail": message}
    if parameter:
        body["parameter"] = parameter
    return Response(body, status=status)


class ProcedureDueView(APIView):
    """Thin: parse, call procedure_due_at, render."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Due time of a dossier",
        description=(
            "When a dossier of this procedure, received at `received_at` by `unit`, is due, following the "
            "unit's office hours, public holidays, announced swaps and holiday breaks. Errors are 400 with a "
            "`detail` message (in the request's language) naming the `parameter`, and 404 for an unknown procedure."
        ),
        parameters=[
            OpenApiParameter(
                "received_at",
                OpenApiTypes.DATETIME,
                description="ISO 8601 with a UTC offset, e.g. 2026-01-05T10:00:00+07:00 (default: now).",
            ),
            OpenApiParameter("unit", str, description="Unit code, e.g. H26.08.04 (default: the portal's unit)."),
        ],
        responses={200: DueSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        examples=[
            OpenApiExample(
                "Five working days",
                response_only=True,
                value={
                    "procedure": "1.001612",
                    "unit": "H26.08.04",
                    "received_at": "2026-01-05T10:00:00+07:00",
                    "due_at": "2026-01-12T10:00:00+07:00",
                    "deadline": {"amount": 5, "unit": "working_days", "cutoff": None},
                },
            )
        ],
    )
    def get(self, request, code: str):
        fields = ("code", "deadline_amount", "deadline_unit", "deadline_cutoff")
        procedure = Procedure.objects.filter(code=code, is_active=True).only(*fields).order_by().first()
        if procedure is None:
            return _error(404, gettext("No procedure with code %(code)s.") % {"code": code[:40]})
        unit_code = request.query_params.get("unit", "").strip()
        if unit_code:
            unit = Unit.objects.filter(code=unit_code, is_active=True).only("code").order_by().first()
            if unit is None:
                return _error(400, gettext("unit: no unit with code %(code)s.") % {"code": unit_code[:40]}, "unit")
        else:
            unit = default_unit()
        try:
            received_at = parse_received_at(request.query_params.get("received_at"))
            deadline = procedure_deadline(procedure)
            due = procedure_due_at(procedure, received_at=received_at, unit=unit)
        except BadParameter as exc:
            return _error(400, exc.message, exc.parameter)
        except CalendarError as exc:
            # The procedure's or the unit's set-up cannot answer (e.g. a cut-off outside office hours).
            return _error(400, gettext(exc.template) % exc.params)
        return Response(
            DueSerializer(
                {
                    "procedure": procedure.code,
                    "unit": unit.code if unit else None,
                    "received_at": _iso(received_at),
                    "due_at": _iso(due),
                    "deadline": {
                        "amount": deadline.amount,
                        "unit": deadline.unit.value,
                        "cutoff": deadline.cutoff.strftime("%H:%M") if deadline.cutoff else None,
                    },
                }
            ).data
        )
