"""What the staff views share: the role gate (a rule from procedures.permissions) and paging."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

PAGE_SIZE = 25


def staff_only(check):
    """Signed in (else the login page), and `check(user)` from procedures.permissions (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def page_of(queryset, request):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
