"""Hostile and careless input never crashes the portal: a clear 400 (or a form error, a 404) in the
visitor's language, never a 500. One test walks every URL pattern of the URLconf, so a new view is covered
the day it is added."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, path
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern, RoutePattern

import portal.urls
from portal.units.calendar.services import seed_demo_calendar
from procedures.services.demo import DEMO_WARD_CODE, seed_units
from tests.factories import ProcessStepFactory, RequiredDocumentFactory, UserFactory
from tests.portal.test_production import load_production_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    seed_demo_calendar(seed_units(), DEMO_WARD_CODE)
    document = RequiredDocumentFactory()
    ProcessStepFactory(procedure=document.procedure)
    return document


# -- Due time beyond the calendar (OverflowError) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "language", "message"),
    [
        ("9999-12-31T23:59:59Z", "vi", "Tham số received_at phải nằm trong các năm từ 2000 đến 2100."),
        ("9999-12-31T23:59:59Z", "en", "received_at must be between the years 2000 and 2100."),
        ("0001-01-01T00:00:00+14:00", "vi", "Tham số received_at phải nằm trong các năm từ 2000 đến 2100."),
        ("0001-01-01T00:00:00+14:00", "en", "received_at must be between the years 2000 and 2100."),
        ("9999-12-31T23:59:59-12:00", "en", "received_at must be between the years 2000 and 2100."),
    ],
)
def test_due_time_out_of_datetimes_range_is_a_400_naming_the_parameter(
    client, catalogue, received_at, language, message
):
    url = f"/api/procedures/{catalogue.procedure.code}/due/?{urlencode({'received_at': received_at})}"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert response.json() == {"detail": message, "parameter": "received_at"}


# -- NUL bytes and lone surrogates: refused before any view runs ----------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/procedures/x%00/",
        "/api/procedures/x%00/due/",
        "/api/procedures/?search=%00",
        "/api/procedures/{code}/due/?unit=%00",
        "/api/procedures/{code}/due/?received_at=2026-01-05T10:00:00%00",
    ],
)
def test_nul_in_an_api_address_is_a_json_400(client, catalogue, url):
    response = client.get(url.format(code=catalogue.procedure.code), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "not allowed" in response.json()["detail"]


def test_the_json_400_names_the_parameter_in_the_requests_language(client, catalogue):
    url = f"/api/procedures/{catalogue.procedure.code}/due/?unit=%00"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").json() == {
        "detail": "unit contains a character that is not allowed (a NUL byte or an invalid Unicode character).",
        "parameter": "unit",
    }
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="vi").json()["detail"] == (
        "unit chứa ký tự không được phép (ký tự NUL hoặc ký tự Unicode không hợp lệ)."
    )


@pytest.mark.parametrize(
    "url",
    [
        "/thu-tuc/x%00/",
        "/thu-tuc/x%00/in/",
        "/thu-tuc/x%00/mau/1/",
        "/thu-tuc/{code}/mau/1/?x=%00",
        "/thu-tuc/?search=%00",
        "/thu-tuc/?field=ho-tich&page=%00",
        "/accounts/login/?next=/%00",
        "/admin/procedures/procedure/?q=%00",
    ],
)
def test_nul_in_a_page_address_is_a_400_page_in_the_visitors_language(client, catalogue, url):
    url = url.format(code=catalogue.procedure.code)
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Yêu cầu không hợp lệ" in html
    client.cookies["motcua_language"] = "en"
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert "Bad request" in html


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/", {"username": "ai\x00", "password": "x"}),
        ("/accounts/login/", {"username": "ai", "password": "x\x00"}),
        ("/accounts/register/", {"full_name": "Nguyễn\x00Văn A", "phone": "0912345678"}),
        ("/i18n/setlang/", {"language": "en", "next": "/\x00"}),
    ],
)
def test_nul_in_a_form_field_is_a_400_not_a_database_error(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_nul_in_a_multipart_form_field_is_a_400(client):
    response = client.post("/accounts/login/", {"username": "ai\x00", "password": "x"}, format="multipart")
    assert response.status_code == 400


@pytest.mark.parametrize("header", ["HTTP_USER_AGENT", "HTTP_REFERER", "HTTP_COOKIE", "HTTP_X_FORWARDED_FOR"])
def test_nul_in_a_header_is_a_400(client, header):
    # Axes writes the user agent to the database; the session key comes from the cookie.
    response = client.post("/accounts/login/", {"username": "ai", "password": "x"}, **{header: "a\x00b"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        '{"username": "ai\\u0000", "password": "x"}',
        '{"username": "\\ud800", "password": "x"}',
        '{"username": "ai", "password": "x", "extra": [{"deep": "\\u0000"}]}',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["nul", "lone-surrogate", "nested-nul", "nested-too-deep"],
)
def test_unstorable_json_is_a_json_400(client, body):
    response = client.post("/api/auth/token/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_a_json_emoji_is_accepted(client):
    """A surrogate *pair* is an ordinary character (here 😀): only lone surrogates are refused."""
    body = '{"username": "\\ud83d\\ude00", "password": "x"}'
    response = client.post("/api/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


# -- API errors are JSON in production ------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("api/boom/", _boom), path("boom/", _boom), *portal.urls.urlpatterns]
handler400, handler403, handler404, handler500 = (
    portal.urls.handler400,
    portal.urls.handler403,
    portal.urls.handler404,
    portal.urls.handler500,
)


@pytest.fixture
def production_api(settings, monkeypatch):
    """This module's URLconf (the portal's plus a view that fails) under production's DEBUG and DRF settings."""
    production = load_production_settings(monkeypatch)
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = production["DEBUG"]
    settings.REST_FRAMEWORK = production["REST_FRAMEWORK"]
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(
    ("method", "url", "status", "detail"),
    [
        ("get", "/api/khong-co/", 404, "Not found."),
        ("get", "/api/procedures/9.999999/", 404, "No procedure with code 9.999999."),
        ("post", "/api/procedures/", 405, 'Method "POST" not allowed.'),
        ("delete", "/api/auth/token/", 405, 'Method "DELETE" not allowed.'),
        ("get", "/api/procedures/?no_wait=perhaps", 400, None),
        ("get", "/api/procedures/x%00/", 400, None),
        ("get", "/api/boom/", 500, "A server error occurred."),
        ("put", "/api/docs/", 405, None),  # Swagger UI's view renders HTML
        ("put", "/api/schema/", 405, 'Method "PUT" not allowed.'),  # the schema view renders YAML
    ],
)
def test_api_errors_are_json_in_production(production_api, catalogue, method, url, status, detail):
    response = getattr(production_api, method)(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    if detail:
        assert response.json()["detail"] == detail
    if status == 405:
        assert "OPTIONS" in response["Allow"]


def test_the_language_cookie_is_secure_in_production(settings, monkeypatch):
    production = load_production_settings(monkeypatch)
    for name in ("LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_HTTPONLY"):
        setattr(settings, name, production[name])
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True


def test_page_errors_stay_html_in_production(production_api, catalogue):
    assert "text/html" in production_api.get("/khong-co/")["Content-Type"]
    response = production_api.get("/boom/")
    assert response.status_code == 500
    assert "text/html" in response["Content-Type"]


# -- Every URL pattern against hostile input ------------------------------------------------------------------

STRING_VALUES = [
    "\x00",
    "x" * 10_000,
    "\U0001f600\u202e\ufdd0\u0130\ufb00",  # emoji, right-to-left override, non-character, dotted İ, ligature
    "e\u0301" * 300 + "\u200b",  # combining accents, zero-width space
    "../../etc/passwd",
    "' OR 1=1 --",
]
INTEGER_VALUES = ["9" * 40, "2147483648", "9223372036854775808", "-1", "0", "１２"]  # last: fullwidth digits
QUERY_NAMES = [
    *("page", "p", "q", "o", "e", "all", "search", "field", "no_wait", "online_level", "unit", "received_at"),
    *("next", "format", "language", "_changelist_filters", "_to_field", "_popup", "id__exact", "pk__in"),
    *("created_at__gte", "date__gte", "app_label", "model_name", "field_name", "term", "fmt", "code"),
]
NUL = "\x00"
QUERY_ROUNDS = 4
QUERY_VALUES = [
    "x" * 10_000,
    "\U0001f600\u202e\ufdd0\u0130\ufb00",
    "9" * 40,
    "-1",
    "2026-02-30",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "NaN",
    "%",
]
FORM_VALUES = ["\U0001f600\u202e\ufdd0" + "x" * 1_000, "9" * 40, "-1", "0001-01-01"]
GROUP = re.compile(r"\((?:\?P<(\w+)>)?([^()]*)\)")
FORM_FIELD = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)["']""")


def _walk(resolver: URLResolver, prefix: tuple = ()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, (*prefix, entry.pattern))
        else:
            yield (*prefix, entry.pattern), entry


def _slots(patterns) -> list[tuple[int, str, bool]]:
    """(index of the pattern, slot name, integer?) of every variable part of an address."""
    slots = []
    for index, pattern in enumerate(patterns):
        if isinstance(pattern, RoutePattern):
            for name, converter in pattern.converters.items():
                slots.append((index, name, isinstance(converter, IntConverter)))
        elif isinstance(pattern, RegexPattern):
            for number, match in enumerate(GROUP.finditer(pattern._regex)):
                slots.append((index, match.group(1) or f"group{number}", False))
    return slots


def _fill_regex(regex: str, values: dict[str, str]) -> str:
    numbers = iter(range(100))

    def fill(match):
        name = match.group(1) or f"group{next(numbers)}"
        first_choice = match.group(2).split("|")[0]
        return values.get(name, first_choice if re.fullmatch(r"[\w.-]+", first_choice) else "1")

    return GROUP.sub(fill, regex).lstrip("^").rstrip("$")


def _render(patterns, values: dict[str, str]) -> str:
    """The address with each slot filled: `values[name]` (already percent-encoded), else a harmless value."""
    url = "/"
    for pattern in patterns:
        if isinstance(pattern, RoutePattern):
            part = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), str(pattern))
        else:
            part = _fill_regex(pattern._regex, values)
        url += part
    return url


ALL_PATTERNS = list(_walk(get_resolver()))


def _pattern_id(item) -> str:
    patterns, entry = item
    return "".join(str(p) for p in patterns) or "/"


@pytest.fixture
def staff(db):
    """A superuser, the account that reaches the most code (every admin page), and a unit admin, whose pages
    and querysets are narrowed to their unit (other code paths)."""
    return {
        "superuser": UserFactory(username="quantri", unit_admin=True, is_superuser=True),
        "unit admin": UserFactory(username="quantri-phuong", unit_admin=True),
    }


def _short(text: str) -> str:
    return re.sub(r"(.)\1{20,}", lambda m: f"{m.group(1)}×{len(m.group(0))}", text)[:300]


# 503 is the health view's answer while no worker runs (as in the tests): its meaning, not a crash.
UNAVAILABLE_BY_DESIGN = "/he-thong/suc-khoe/"


@pytest.fixture(autouse=True)
def _quick_health_ping(settings):
    settings.HEALTH_PING_TIMEOUT = 0.05


def _check(client: Client, method: str, url: str, data=None, who: str = "") -> None:
    try:
        response = client.generic(method.upper(), url) if data is None else client.post(url, data)
    except Exception as exc:  # the test client re-raises a view's exception: that is the 500
        sent = f" with {_short(repr(data))}" if data else ""
        pytest.fail(f"{method.upper()} {_short(url)}{sent} as {who}: {_short(repr(exc))}")
    if response.status_code == 503 and url.startswith(UNAVAILABLE_BY_DESIGN):
        return
    assert response.status_code < 500, f"{method.upper()} {_short(url)} as {who}: {response.status_code}"


def _log_in_again(client: Client, user) -> None:
    """Log in again (a POST to a logout view may have ended the session) unless a hostile POST to a delete view
    removed the account itself; then go on anonymously."""
    if user is None:
        return
    if type(user).objects.filter(pk=user.pk).exists():
        client.force_login(user)
    else:
        client.logout()


@pytest.mark.parametrize("item", ALL_PATTERNS, ids=[_pattern_id(item) for item in ALL_PATTERNS])
def test_no_url_pattern_answers_5xx_to_hostile_input(item, catalogue, staff):
    patterns, _entry = item
    known = {
        "code": quote(catalogue.procedure.code),
        "document_id": str(catalogue.pk),
        "fmt": "csv",
        "id": str(staff["superuser"].pk),
        "object_id": str(catalogue.procedure.pk),
    }
    slots = _slots(patterns)
    addresses = [_render(patterns, known)]
    for _index, name, integer in slots:
        values = [quote(value, safe="") for value in INTEGER_VALUES + ([] if integer else STRING_VALUES)]
        values += [] if integer else ["%FF", "%ED%A0%80"]  # invalid UTF-8: a stray byte, an encoded surrogate
        addresses += [_render(patterns, {**known, name: value}) for value in values]
    base = addresses[0]
    # The NUL request alone (the middleware answers it before anything else); then each name gets a different
    # hostile value in each request, so every value reaches every view without one request per value.
    queries = [f"{base}?{urlencode(dict.fromkeys(QUERY_NAMES, NUL))}"]
    queries += [
        f"{base}?{urlencode({name: QUERY_VALUES[(i + j) % len(QUERY_VALUES)] for j, name in enumerate(QUERY_NAMES)})}"
        for i in range(QUERY_ROUNDS)
    ]

    for who, user in (("anonymous", None), *staff.items()):
        client = Client()
        for url in addresses + queries:
            _log_in_again(client, user)
            _check(client, "get", url, who=who)
        # POST: the fields the page's own form shows (if any) plus common ones, each filled with hostile text.
        page = client.get(base)
        fields = set(FORM_FIELD.findall(page.content.decode(errors="replace"))) if page.status_code == 200 else set()
        fields |= {"username", "password", "phone", "email", "code", "next", "action", "_selected_action"}
        fields.discard("csrfmiddlewaretoken")
        for value in FORM_VALUES:
            _log_in_again(client, user)
            data = {name: value for name in sorted(fields)}
            # A huge TOTAL_FORMS makes Django build its cap of 1,000 inline forms: bounded, but seconds per request.
            data.update({name: "0" for name in fields if name.endswith("-TOTAL_FORMS")})
            _check(client, "post", base, data, who=who)


def test_the_walk_covers_the_whole_urlconf():
    """The parametrised test above sees every pattern, those of included URLconfs (accounts, admin) too."""
    names = {entry.name for _patterns, entry in ALL_PATTERNS}
    assert {"home", "login", "register", "catalogue", "procedure_document_template", "api-token"} <= names
    assert {"procedure-due", "api-procedure-detail", "accounts_user_change", "auth_user_password_change"} <= names


@pytest.mark.parametrize(("depth", "status"), [(50, 400), (101, 400), (900, 400)])
def test_a_deeply_nested_json_body_is_a_400(client, depth, status):
    body = "[" * depth + '"ok"' + "]" * depth
    response = client.post("/api/auth/token/", body, content_type="application/json")
    assert response.status_code == status
