"""/he-thong/suc-khoe/: celery_health() as JSON for operators and monitoring tools — 200 healthy, 503 not."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import celery_health
from .permissions import can_view_health, has_health_token


@require_GET
@never_cache
def health(request):
    if not (has_health_token(request) or can_view_health(request.user)):
        return JsonResponse(
            {"detail": _("Only operators or a monitoring tool with the health token may read this.")}, status=403
        )
    report = celery_health(ping_timeout=settings.HEALTH_PING_TIMEOUT)
    return JsonResponse(report.as_dict(), status=200 if report.ok else 503)
