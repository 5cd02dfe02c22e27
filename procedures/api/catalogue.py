"""GET /api/procedures/ (search and filters, paginated) and GET /api/procedures/{code}/."""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.catalogue_cache import CATALOGUE_CACHE_TTL, catalogue_cache_key
from procedures.forms.catalogue import CatalogueFilterForm
from procedures.models import Procedure
from procedures.permissions import can_edit_catalogue
from procedures.selectors.catalogue import catalogue_fields, catalogue_search, procedure_for_detail

from .serializers import ProcedureDetailSerializer, ProcedureListSerializer


def cached_answer(request, kind: str, build: Callable[[], Response]) -> Response:
    """The answer for this URL and language from the cache, else `build()`'s (cached when it is a 200).

    The data is the same for every caller (the catalogue is public), so it is cached under the
    catalogue's token (procedures/catalogue_cache.py); the full URL fixes the filters, the page and the
    links inside it. Each request is still negotiated and rendered. A 200 carries an ETag derived from
    the key and the chosen format, so a client that sends it back in If-None-Match gets a 304 while the
    catalogue is unchanged.
    """
    key = catalogue_cache_key(kind, request.build_absolute_uri())
    media_type = request.accepted_renderer.media_type if getattr(request, "accepted_renderer", None) else ""
    digest = hashlib.blake2b(f"{key}\x1f{media_type}".encode(), digest_size=16).hexdigest()
    etag = f'"{digest}"'
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        return Response(status=304, headers={"ETag": etag})
    data = cache.get(key)
    if data is None:
        response = build()
        if response.status_code != 200:
            return response
        cache.set(key, response.data, CATALOGUE_CACHE_TTL)
    else:
        response = Response(data)
    response["ETag"] = etag
    return response


class CatalogueErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    parameter = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class ProcedureListView(ListAPIView):
    """Thin: validate the query parameters with the page's form, call the selector, paginate.

    Cached (cached_answer): a repeated search costs three cache reads and no query.
    """

    permission_classes = [AllowAny]
    serializer_class = ProcedureListSerializer

    @extend_schema(
        summary="Search the procedure catalogue",
        description=(
            'Active procedures, 20 per page. `search` ignores Vietnamese diacritics and case ("chung thuc" '
            'finds "Chứng thực"). A bad filter value is a 400 whose `parameter` names it.'
        ),
        parameters=[
            OpenApiParameter("search", str, description="Words to find in the name (vi or en), code or field."),
            OpenApiParameter("field", str, description="Field code, e.g. ho-tich."),
            OpenApiParameter("no_wait", OpenApiTypes.BOOL, description="true: only no-wait procedures."),
            OpenApiParameter("online_level", str, enum=["full", "partial", "none"]),
        ],
        # 404: a `page` beyond the last one (DRF's pagination), with a `detail` message.
        responses={
            200: ProcedureListSerializer(many=True),
            400: CatalogueErrorSerializer,
            404: CatalogueErrorSerializer,
        },
    )
    def get(self, request, *args, **kwargs):
        form = CatalogueFilterForm(request.query_params, fields=catalogue_fields())
        if not form.is_valid():
            name, messages = next(iter(form.errors.items()))
            return Response(
                {"detail": f"{name}: {messages[0]}", "parameter": name, "errors": form.errors},
                status=400,
            )
        self.filters = form.cleaned_data
        return cached_answer(request, "api-list", lambda: super(ProcedureListView, self).get(request, *args, **kwargs))

    def get_queryset(self):
        data = self.filters
        return catalogue_search(
            search=data["search"],
            field=data["field"] or None,
            no_wait=data["no_wait"],
            online_level=data["online_level"] or None,
        )


class ProcedureDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="One procedure of the catalogue",
        description="Everything the public page shows: documents, fee, process steps, deadline, no-wait target.",
        responses={200: ProcedureDetailSerializer, 404: CatalogueErrorSerializer},
    )
    def get(self, request, code: str):
        def build():
            try:
                procedure = procedure_for_detail(code, user=request.user)
            except Procedure.DoesNotExist:
                message = gettext("No procedure with code %(code)s.") % {"code": code[:40]}
                return Response({"detail": message}, status=404)
            return Response(ProcedureDetailSerializer(procedure, context={"request": request}).data)

        if can_edit_catalogue(request.user):  # editors also see inactive procedures: never from the shared cache
            return build()
        return cached_answer(request, "api-detail", build)
