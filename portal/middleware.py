"""Request middleware: pages in Vietnamese unless English was chosen; input the database cannot store refused."""

import json
import re

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages ignore the browser's Accept-Language (many office PCs and phones in Vietnam run an English
    system, and a ward portal must not greet them in English); only the language cookie set by the
    switcher counts. The API still honours Accept-Language, which its clients set on purpose."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# PostgreSQL's text types cannot hold NUL, and psycopg cannot encode a lone UTF-16 surrogate (JSON's "\ud800"):
# either would reach the database only to fail there, as a 500 from whichever query met it first.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Deeper than any document our API takes, far below Python's recursion limit (which DRF's parser would hit).
MAX_JSON_DEPTH = 64
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_CONTENT_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json$")


class UnstorableInput(Exception):
    """Where (`location`) and under which name (`parameter`, for query and form fields) the bad input came."""

    def __init__(self, location: str, parameter: str | None = None, too_deep: bool = False):
        super().__init__(location, parameter)
        self.location, self.parameter, self.too_deep = location, parameter, too_deep


def _find_unstorable(request) -> UnstorableInput | None:
    if UNSTORABLE.search(request.path_info):
        return UnstorableInput("path")
    for name, values in request.GET.lists():
        if UNSTORABLE.search(name) or any(UNSTORABLE.search(value) for value in values):
            return UnstorableInput("query", name)
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and UNSTORABLE.search(value):
            return UnstorableInput("header", key.removeprefix("HTTP_").replace("_", "-").title())
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        for name, values in request.POST.lists():
            if UNSTORABLE.search(name) or any(UNSTORABLE.search(value) for value in values):
                return UnstorableInput("form", name)
        for name, uploads in request.FILES.lists():
            if any(UNSTORABLE.search(upload.name or "") for upload in uploads):
                return UnstorableInput("form", name)
    elif JSON_CONTENT_TYPE.match(request.content_type or "") and request.body:
        return _find_unstorable_json(request.body)
    return None


def _find_unstorable_json(body: bytes) -> UnstorableInput | None:
    try:
        document = json.loads(body)
    except RecursionError:
        # Nested deeper than Python's parser goes; DRF's parser would crash the same way.
        return UnstorableInput("body", too_deep=True)
    except ValueError:
        return None  # malformed JSON: the view's parser answers its own 400
    stack = [(document, None, 0)]
    while stack:  # iterative: the document may nest as deep as the parser allowed
        value, name, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return UnstorableInput("body", too_deep=True)
        if isinstance(value, str):
            if UNSTORABLE.search(value):
                return UnstorableInput("body", name)
        elif isinstance(value, dict):
            for key, item in value.items():
                if UNSTORABLE.search(key):
                    return UnstorableInput("body", name)
                stack.append((item, key if name is None else name, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, name, depth + 1) for item in value)
    return None


class RejectUnstorableInputMiddleware:
    """Answer 400 before any view runs when the path, query string, a header, the form fields or a JSON body hold
    a NUL or a lone surrogate. One check for every endpoint, so no view, form or query has to remember it.
    Placed after the locale middleware: the 400 page is in the visitor's language (JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = _find_unstorable(request)
        if problem is not None:
            from portal.views import error_400  # the views import models; middleware loads before apps settle

            return error_400(request, problem)
        return self.get_response(request)


class ApiErrorsAsJsonMiddleware:
    """Every error under /api/ is JSON, whichever view or renderer produced it: DRF views whose renderer is
    HTML or YAML (Swagger UI, the schema) and Django's own error responses would otherwise answer in those."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.path_info.startswith("/api/")
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        data = getattr(response, "data", None)
        detail = data.get("detail") if isinstance(data, dict) else None
        if not detail:
            detail = gettext("The request failed (HTTP %(status)s %(reason)s).") % {
                "status": response.status_code,
                "reason": response.reason_phrase,
            }
        replacement = JsonResponse({"detail": str(detail)}, status=response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                replacement[header] = response[header]
        return replacement
