"""Home pages per role and friendly error pages."""

from django.shortcuts import render

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


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
