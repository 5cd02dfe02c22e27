"""The portal's URLs plus one that is always forbidden, so the real 403 page is reached by its real handler
without depending on which admin view happens to refuse."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from portal.urls import handler403, handler404, handler500  # noqa: F401 - the handlers of this URLconf
from portal.urls import urlpatterns as portal_urlpatterns


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("cam/", forbidden), *portal_urlpatterns]
