"""The site layout (base.html) of a public page, rendered once per process and language for anonymous visitors.

A page template using this extends base.html and fills its content block with ``{{ page_content }}``; the view
renders the content itself from a separate template (`render_in_layout`). For a visitor who is not signed in
and has no message pending, the layout around the content is the same on every request but for two things: the
language form's ``next`` (the request's path and query) and the content. The language form carries no CSRF
token (portal/cross_origin.py guards it), so nothing else of the visitor's is in it. The layout is rendered
once with a marker in each of these places, split at the markers and kept in this process; a request joins
the parts with its own values. Everyone else (signed in, or a message to show) gets the page rendered
in full, as any other page: the layout shows their name, their navigation and their messages.

What the layout depends on besides these two: the language (part of the key), the page template and URL
name (part of the key), and the deployed templates, translations, URLs and static manifest, which change only
with a restart. With template debugging on (DEBUG: templates reload as they are edited) nothing is kept.

Why: the public lookup page is benchmarked against a bare view (bench/dossiers.py); rendering the layout took
most of its time. tests/portal/test_layout.py checks that both ways give the same page.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.template import engines
from django.template.loader import get_template
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.translation import get_language

# Letters, digits and dashes only: escaping (the next path) leaves them as they are.
_MARK = "layoutmark-9d41c7"
NEXT, CONTENT = f"{_MARK}-next", f"{_MARK}-content"
_SPLIT = re.compile(f"({_MARK}-(?:next|content))")

# (page template, URL name, language) -> the layout split at the markers: text at even indexes, markers at odd.
_layouts: dict[tuple[str, str, str], list[str]] = {}


@receiver(setting_changed)
def _forget_layouts(**kwargs) -> None:
    """Tests change settings (languages, templates, URLs): a kept layout may no longer be what they render."""
    _layouts.clear()


class _LayoutRequest:
    """What base.html may read of the request while the shared layout is rendered: the URL name (the navigation's
    current page) and the full path (the language form's ``next``, a marker). Anything else would be one
    visitor's and must not be kept, so it is not there (and tests/portal/test_layout.py would see the page
    differ from the full rendering)."""

    def __init__(self, request):
        self.resolver_match = request.resolver_match

    @staticmethod
    def get_full_path() -> str:
        return NEXT


def _layout(request, page_template: str) -> list[str]:
    url_name = request.resolver_match.url_name if request.resolver_match else ""
    key = (page_template, url_name or "", get_language())
    parts = _layouts.get(key)
    if parts is None:
        context = {
            "request": _LayoutRequest(request),
            "user": AnonymousUser(),
            "messages": (),
            "page_content": CONTENT,
        }
        # No request: no context processor runs, so nothing of this visitor's reaches the kept layout.
        parts = _SPLIT.split(get_template(page_template).render(context))
        if not engines["django"].engine.debug:
            _layouts[key] = parts
    return parts


def _anonymous_without_messages(request) -> bool:
    """True when the page's layout is the one every signed-out visitor sees: not signed in (certain without a
    session cookie, where signing in lives; otherwise the session is read) and no message to show."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
        return False
    return not len(get_messages(request))


def render_in_layout(
    request,
    page_template: str,
    content_template: str,
    context: dict,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """`content_template` rendered with `context` (no context processors: it must not need the request, the
    user or a CSRF token), inside `page_template` (base.html with ``{{ page_content }}`` as its content)."""
    content = get_template(content_template).render(context)
    if _anonymous_without_messages(request):
        values = {NEXT: escape(request.get_full_path()), CONTENT: content}
        parts = _layout(request, page_template)
        html = "".join([values[part] if index % 2 else part for index, part in enumerate(parts)])
        response = HttpResponse(html, status=status)
        # Who is signed in (the session cookie) chose this layout: a shared cache must not serve it to others.
        patch_vary_headers(response, ("Cookie",))
    else:
        response = render(request, page_template, {"page_content": content}, status=status)  # content: SafeString
    for name, value in (headers or {}).items():
        response[name] = value
    return response
