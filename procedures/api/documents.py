"""GET /api/dossiers/{code}/slips/: the papers issued for a dossier, under the dossier's own access rules."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.api.dossiers import DossierErrorSerializer, _error
from procedures.models import DocumentKind, Dossier
from procedures.selectors.documents import dossier_for_slips, slips_for


class SlipSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.values)
    issued_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="The PDF (the same caller, session or token).")

    def get_url(self, slip) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(slip.url) if request else slip.url


class SlipListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Papers issued for a dossier",
        description=(
            "Receipt and appointment slip, supplement request, refusal, apology letter, control slip: oldest first."
        ),
        responses={200: SlipSerializer(many=True), 403: DossierErrorSerializer, 404: DossierErrorSerializer},
    )
    def get(self, request, code: str):
        try:
            dossier = dossier_for_slips(request.user, code)
        except Dossier.DoesNotExist:
            return _error(404, gettext("No dossier with code %(code)s.") % {"code": code[:40]})
        slips = slips_for(dossier, request.user)
        return Response(SlipSerializer(slips, many=True, context={"request": request}).data)
