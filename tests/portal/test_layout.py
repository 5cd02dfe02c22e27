"""The layout kept per language for signed-out visitors (portal/layout.py, used by the lookup page /tra-cuu/):
the page is the one rendered in full, in the visitor's language, with the visitor's own path; no CSRF token or
cookie for a signed-out visitor; a signed-in visitor's name or a pending message never reaches the kept layout,
and never misses their page."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.test.html import parse_html
from django.urls import resolve

from procedures.views.lookup import lookup
from tests.factories import UserFactory

PAGE = "/tra-cuu/"
VARIANTS = [
    PAGE,
    f"{PAGE}?code=H26.08.04-260101-0001",  # the receipt's QR code
    f"{PAGE}?code=H26.08.04-260101-9999&phone=0912345678",  # 404
    f"{PAGE}?code=%3Cb%3E%22x%26y&phone=12",  # 400; the path in the language form is escaped
]


def _vary(response) -> set[str]:
    return {name.strip().lower() for name in response["Vary"].split(",")}


def _english(client):
    client.cookies["motcua_language"] = "en"


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", VARIANTS)
def test_the_kept_layout_gives_the_page_rendered_in_full(client, db, monkeypatch, language, path):
    if language == "en":
        _english(client)
    kept = [client.get(path), client.get(path)]  # the first renders and keeps the layout, the second reuses it
    monkeypatch.setattr("portal.layout._anonymous_without_messages", lambda request: False)
    full = client.get(path)
    for response in kept:
        assert response.status_code == full.status_code
        assert parse_html(response.content.decode()) == parse_html(full.content.decode())
        for header in ("Content-Language", "Content-Security-Policy", "X-Frame-Options"):
            assert response[header] == full[header], header
        assert _vary(response) == _vary(full) == {"accept-language", "cookie"}  # no shared cache mixes visitors
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies  # a signed-out visitor gets no cookie: no CSRF token, no session
    assert f'<html lang="{language}">' in kept[1].content.decode()


def test_a_signed_in_visitor_never_gets_the_kept_layout_nor_leaves_theirs_to_others(client, db):
    person = UserFactory(full_name="Trần Thị Riêng Tư")
    assert client.get(PAGE).status_code == 200  # a signed-out visit keeps the layout
    client.force_login(person)
    signed_in = client.get(PAGE).content.decode()
    assert "Trần Thị Riêng Tư" in signed_in and 'id="logout-button"' in signed_in
    assert 'id="nav-my-dossiers"' in signed_in and "/accounts/login/" not in signed_in
    signed_in = client.get(f"{PAGE}?code=H26.08.04-260101-9999&phone=0912345678")
    assert signed_in.status_code == 404 and "Trần Thị Riêng Tư" in signed_in.content.decode()
    for anonymous in (Client(), Client()):
        _english(anonymous)
        anonymous.get(PAGE)  # the English layout is kept after the signed-in visit too
        html = anonymous.get(PAGE).content.decode()
        assert "Trần Thị Riêng Tư" not in html and "logout-button" not in html and "nav-my-dossiers" not in html
        assert 'href="/accounts/login/">Log in<' in html


def test_each_language_has_its_own_layout(client, db):
    vietnamese = client.get(PAGE).content.decode()
    _english(client)
    english = client.get(PAGE).content.decode()
    client.cookies["motcua_language"] = "vi"
    again = client.get(PAGE).content.decode()
    assert '<html lang="en">' in english and '<option value="en" selected>' in english
    assert 'id="nav-lookup" aria-current="page">Look up a dossier<' in english and "Đăng nhập" not in english
    assert "Enter the code on your receipt" in english
    for html in (vietnamese, again):
        assert '<html lang="vi">' in html and '<option value="vi" selected>' in html
        assert 'id="nav-lookup" aria-current="page">Tra cứu hồ sơ<' in html and ">Log in<" not in html
        assert "Enter the code on your receipt" not in html


def test_the_language_form_carries_this_visitors_path_and_switches_without_a_token(db):
    browser = Client(enforce_csrf_checks=True)
    path = f"{PAGE}?code=H26.08.04-260101-0001"
    html = browser.get(path).content.decode()
    assert '<input name="next" type="hidden" value="/tra-cuu/?code=H26.08.04-260101-0001">' in html
    switched = browser.post(
        "/i18n/setlang/", {"language": "en", "next": path}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert switched.status_code == 302 and switched["Location"] == path
    assert browser.cookies["motcua_language"].value == "en"
    assert '<html lang="en">' in browser.get(path).content.decode()


def test_a_message_waiting_for_a_signed_out_visitor_is_shown(db):
    request = RequestFactory().get(PAGE)
    request.resolver_match = resolve(PAGE)
    request.session, request.user = SessionStore(), AnonymousUser()
    request._messages = FallbackStorage(request)
    messages.info(request, "Tin nhắn đang chờ")
    html = lookup(request).content.decode()
    assert 'role="status">Tin nhắn đang chờ</div>' in html
    request = RequestFactory().get(PAGE)  # the next visitor has none
    request.resolver_match = resolve(PAGE)
    request.session, request.user = SessionStore(), AnonymousUser()
    request._messages = FallbackStorage(request)
    assert "Tin nhắn đang chờ" not in lookup(request).content.decode()
