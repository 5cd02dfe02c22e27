"""GET/POST /api/dossiers/{code}/rating/: a dossier's satisfaction rating, and the signed-in applicant's rating.

The same rules as the pages (procedures.services.ratings): once, after the result, a refusal or a supplement
request; a reason for "dissatisfied"; criteria 0–2. Outside the caller's reach is a 404; only the applicant
rates through the API (desk staff record paper ratings on the staff page), anyone else signed in gets a 403.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.domain.feedback import RatingChannel, RatingCriterion, SatisfactionLevel
from procedures.permissions import can_rate_as_applicant, dossiers_visible_to
from procedures.selectors.ratings import rating_of
from procedures.services.ratings import RatingRefused, rating_submit


class RatingSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=SatisfactionLevel.values)
    level_label = serializers.CharField(help_text="The level in the request's language.")
    reason = serializers.CharField(allow_blank=True)
    criteria = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=2),
        help_text=f"Scores 0–2 of the criteria rated, among: {', '.join(RatingCriterion.values)}.",
    )
    channel = serializers.ChoiceField(choices=RatingChannel.values)
    rated_at = serializers.DateTimeField()


class RatingErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False, help_text="400: per field."
    )


def _body(rating) -> dict:
    return {
        "level": rating.level,
        "level_label": str(SatisfactionLevel(rating.level).label),
        "reason": rating.reason,
        "criteria": rating.criteria,
        "channel": rating.channel,
        "rated_at": serializers.DateTimeField().to_representation(rating.rated_at),
    }


def _not_found(code: str) -> Response:
    return Response({"detail": gettext("No dossier with code %(code)s.") % {"code": code[:40]}}, status=404)


class DossierRatingView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, FormParser]  # criteria need JSON; a form carries level and reason

    @extend_schema(
        summary="A dossier's satisfaction rating",
        description="For whoever sees the dossier; 404 when it is out of reach or not rated yet.",
        responses={200: RatingSerializer, 403: RatingErrorSerializer, 404: RatingErrorSerializer},
    )
    def get(self, request, code: str):
        dossier = dossiers_visible_to(request.user).select_related("rating").filter(code=code).first()
        if dossier is None:
            return _not_found(code)
        rating = rating_of(dossier)
        if rating is None:
            return Response({"detail": gettext("This dossier has not been rated yet.")}, status=404)
        return Response(_body(rating))

    @extend_schema(
        summary="Rate a dossier (its applicant, once)",
        description=(
            "Allowed once the result is returned, or after a refusal or a supplement request (else 409), and "
            "once per dossier (a second rating: 409, nothing changed). A reason is required for "
            "`dissatisfied`; criteria are optional, each scored 0, 1 or 2."
        ),
        request=inline_serializer(
            "RatingInput",
            {
                "level": serializers.ChoiceField(choices=SatisfactionLevel.values),
                "reason": serializers.CharField(required=False, allow_blank=True),
                "criteria": serializers.DictField(child=serializers.IntegerField(), required=False),
            },
        ),
        responses={
            201: RatingSerializer,
            400: RatingErrorSerializer,
            403: RatingErrorSerializer,
            404: RatingErrorSerializer,
            409: RatingErrorSerializer,
        },
    )
    def post(self, request, code: str):
        dossier = dossiers_visible_to(request.user).filter(code=code).first()
        if dossier is None:
            return _not_found(code)
        if not can_rate_as_applicant(request.user, dossier):
            message = gettext("Only the dossier's applicant rates it online; the desk records paper ratings.")
            return Response({"detail": message}, status=403)
        data = request.data if isinstance(request.data, dict) else {}
        try:
            rating = rating_submit(
                dossier=dossier,
                level=data.get("level"),
                reason=data.get("reason", ""),
                criteria=data.get("criteria") or {},
                channel=RatingChannel.ONLINE,
            )
        except ValidationError as exc:
            errors = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
            first = next(iter(errors))
            return Response({"detail": f"{first}: {errors[first][0]}", "errors": errors}, status=400)
        except RatingRefused as exc:
            return Response({"detail": exc.message}, status=409)
        return Response(_body(rating), status=201)
