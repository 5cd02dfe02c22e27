"""GET /api/lookup/?code=…&phone=…: a dossier's progress for whoever holds its code and the applicant's phone."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.domain.workflow import TIMELINESS_CHOICES, DossierStatus, NationalStatus
from procedures.forms.lookup import LookupForm
from procedures.lookup_limit import lookup_retry_after
from procedures.selectors.dossiers import dossier_public_status


def not_found_message() -> str:
    """One message for an unknown code and a wrong phone: the answer must not tell them apart."""
    return gettext("No dossier matches this code and phone number. Check both against your receipt.")


def too_many_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many lookups. Try again in %(minutes)d minute.",
        "Too many lookups. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class LookupSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=DossierStatus.values)
    status_label = serializers.CharField(help_text="The status in the request's language.")
    national_status = serializers.ChoiceField(choices=NationalStatus.values)
    received_at = serializers.DateTimeField(allow_null=True, help_text="Null until the desk receives the dossier.")
    due_at = serializers.DateTimeField(allow_null=True, help_text="The due time last given (a re-dated one if any).")
    finished_at = serializers.DateTimeField(allow_null=True)
    timeliness = serializers.ChoiceField(
        choices=[value for value, _label in TIMELINESS_CHOICES] + [""],
        help_text="early, on_time or late once finished; empty before.",
    )
    timeliness_label = serializers.CharField(help_text="The timeliness in the request's language; empty before.")


_DATETIME = serializers.DateTimeField()  # the API's datetime format (local time, +07:00), without a serializer


def _public(found) -> dict:
    """LookupSerializer's fields, built directly: the lookup is the hottest public endpoint, and a serializer
    instance (field copies, validation machinery) costs more than the database query it answers from."""

    def moment(value):
        return None if value is None else _DATETIME.to_representation(value)

    return {
        "code": found.code,
        "status": found.status,
        "status_label": found.status_label,
        "national_status": found.national_status,
        "received_at": moment(found.received_at),
        "due_at": moment(found.due_at),
        "finished_at": moment(found.finished_at),
        "timeliness": found.timeliness,
        "timeliness_label": found.timeliness_label,
    }


class LookupErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    parameter = serializers.CharField(required=False, help_text="400: the first parameter in error.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False, help_text="400: per parameter."
    )


class JsonWhenAnyIsAccepted(DefaultContentNegotiation):
    """DRF's negotiation, minus parsing an Accept header that takes anything: the one renderer then answers, as
    DRF would decide after parsing (a quarter of the view's own time on the busiest endpoint). Any other Accept
    header or a ?format= is negotiated as usual (406 for what JSON cannot give)."""

    ANY = frozenset({"", "*/*", "application/json"})

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "")
        overridden = format_suffix or self.settings.URL_FORMAT_OVERRIDE in request.query_params
        if accept in self.ANY and len(renderers) == 1 and not overridden:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class LookupView(APIView):
    """Thin: validate, count against the rate limits, read one selector, render."""

    permission_classes = [AllowAny]
    # Anonymous by design: nobody's session or token is read (two queries saved per lookup), and JSON only
    # (no browsable-API negotiation). The answer depends on the code and phone, never on who asks. No parsers:
    # a GET has no body to parse (DRF makes them for every request otherwise).
    authentication_classes: list = []
    parser_classes: list = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonWhenAnyIsAccepted

    @extend_schema(
        summary="Public lookup of a dossier's progress",
        description=(
            "Answers status, due time and timeliness to whoever gives both the dossier code and the "
            "applicant's phone number (any spelling: spaces, dots, +84), and nothing about the applicant. "
            "An unknown code and a wrong phone get the same 404. Limited per client address and per code: "
            "429 with a `Retry-After` header (seconds)."
        ),
        parameters=[
            OpenApiParameter("code", str, required=True, description="Dossier code, e.g. H26.08.04-260105-0007."),
            OpenApiParameter("phone", str, required=True, description="The applicant's phone, e.g. 0912 345 678."),
        ],
        responses={
            200: LookupSerializer,
            400: LookupErrorSerializer,
            404: LookupErrorSerializer,
            429: OpenApiResponse(
                LookupErrorSerializer,
                description="Too many lookups; `Retry-After` gives the seconds to wait.",
            ),
        },
    )
    def get(self, request):
        form = LookupForm(request.query_params)
        if not form.is_valid():
            errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            parameter = next(iter(errors))
            detail = f"{parameter}: {errors[parameter][0]}"
            return Response({"detail": detail, "parameter": parameter, "errors": errors}, status=400)
        code, phone = form.cleaned_data["code"], form.cleaned_data["phone"]
        retry_after = lookup_retry_after(request, code)
        if retry_after is not None:
            return Response(
                {"detail": too_many_message(retry_after)}, status=429, headers={"Retry-After": str(retry_after)}
            )
        found = dossier_public_status(code, phone)
        if found is None:
            return Response({"detail": not_found_message()}, status=404)
        return Response(_public(found))
