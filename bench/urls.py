"""The portal's URLs plus the floor view. Used only by portal.settings.bench, never in production."""

from django.http import HttpResponse
from django.urls import include, path

from portal.units.models import Unit


def floor(request):
    """The least a request can cost on this stack: full middleware, one indexed query, tiny body."""
    pk = Unit.objects.filter(code="H26.08.04").values_list("pk", flat=True).first()
    return HttpResponse(str(pk), content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("portal.urls")),
]
