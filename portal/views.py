"""Home pages per role and friendly error pages (JSON under /api/, HTML in the visitor's language elsewhere)."""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from portal.units.selectors import child_units


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/public.html")
    if user.is_citizen:
        return render(request, "home/citizen.html")
    if user.is_leader:
        children = child_units(user.unit) if user.unit_id else []
        return render(request, "home/leader.html", {"child_units": children})
    return render(request, "home/staff.html")


@require_GET
def security_txt(request):
    """RFC 9116: where to report a vulnerability. Expires is required; a year ahead, recomputed each time."""
    contact = settings.SECURITY_CONTACT
    if not contact:
        raise Http404
    if "@" in contact and not contact.startswith("mailto:"):
        contact = f"mailto:{contact}"
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: vi, en",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _bad_input_message(exception) -> tuple[str, str | None]:
    """The message for a 400, and the parameter it names when the middleware found the bad value in one."""
    location = getattr(exception, "location", None)
    parameter = getattr(exception, "parameter", None)
    if getattr(exception, "too_deep", False):
        return gettext("The request body is nested too deeply."), None
    if location == "path":
        return gettext("The address contains a character that is not allowed (a NUL byte)."), None
    if location == "header":
        return gettext("The header %(name)s contains a character that is not allowed.") % {"name": parameter}, None
    if location in ("query", "form", "body"):
        if parameter:
            message = gettext(
                "%(name)s contains a character that is not allowed (a NUL byte or an invalid Unicode character)."
            )
            return message % {"name": parameter[:40]}, parameter[:40]
        return gettext(
            "The request contains a character that is not allowed (a NUL byte or an invalid Unicode character)."
        ), None
    return gettext("The request could not be understood."), None


def error_400(request, exception=None):
    message, parameter = _bad_input_message(exception)
    if _is_api(request):
        body = {"detail": message}
        if parameter:
            body["parameter"] = parameter
        return JsonResponse(body, status=400)
    return render(request, "errors/400.html", {"message": message}, status=400)


def error_403(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": gettext("You do not have permission to perform this action.")}, status=403)
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return render(request, "errors/404.html", status=404)


def error_500(request):
    if _is_api(request):
        return JsonResponse({"detail": gettext("A server error occurred.")}, status=500)
    return render(request, "errors/500.html", status=500)
