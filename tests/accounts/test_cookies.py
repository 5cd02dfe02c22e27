"""Cookies in production: the language cookie is Secure, SameSite=Lax and HttpOnly like the session's."""

import importlib
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COOKIE_SETTINGS = [
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
]


@pytest.fixture
def production_cookie_settings(monkeypatch):
    """The cookie settings as portal/settings/production.py defines them (imported, not copied)."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused")
    sys.modules.pop("portal.settings.production", None)
    production = importlib.import_module("portal.settings.production")
    sys.modules.pop("portal.settings.production", None)
    return {name: getattr(production, name) for name in COOKIE_SETTINGS}


def test_the_language_switchers_cookie_is_secure_samesite_and_httponly_in_production(
    client, production_cookie_settings
):
    with override_settings(**production_cookie_settings):
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, secure=True)
    cookie = response.cookies["motcua_language"]
    header = cookie.OutputString()
    assert cookie.value == "en"
    assert "Secure" in header and "SameSite=Lax" in header and "HttpOnly" in header


def test_session_and_csrf_cookies_say_samesite_explicitly_in_production(client, production_cookie_settings):
    UserFactory(phone="0912000030")
    with override_settings(**production_cookie_settings):
        client.get(reverse("accounts:login"), secure=True)
        response = client.post(
            reverse("accounts:login"), {"username": "0912000030", "password": "Pass-word-123"}, secure=True
        )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        header = response.cookies[name].OutputString()
        assert "Secure" in header and "SameSite=Lax" in header, header


def test_the_switcher_still_works_with_an_httponly_cookie(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
