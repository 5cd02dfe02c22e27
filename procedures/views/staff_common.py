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


def page_of(queryset, request, *, count: int | None = None):
    """The requested page; `count`, when the caller knows it already, saves the paginator's COUNT query."""
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: setting it skips the query
    return paginator.get_page(request.GET.get("page"))
