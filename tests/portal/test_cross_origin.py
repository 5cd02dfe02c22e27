"""The language switch without a CSRF token (portal/cross_origin.py): the portal's own form switches, a post
forged by another site is refused with a 403 page, and nothing is stored for it, cookie or account."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SWITCH = "/i18n/setlang/"
TO_ENGLISH = {"language": "en", "next": "/tra-cuu/"}


def _post(client: Client, **headers):
    return client.post(SWITCH, TO_ENGLISH, headers=headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},  # the portal's own language form
        {"Sec-Fetch-Site": "none"},  # the user's own doing (typed, bookmarked)
        {"Origin": "http://testserver"},  # an older browser on the portal's own page
        {},  # not a browser: nobody's cookies to abuse
    ],
)
def test_the_portals_own_form_switches_the_language_without_a_token(headers):
    browser = Client(enforce_csrf_checks=True)
    response = _post(browser, **headers)
    assert response.status_code == 302 and response["Location"] == "/tra-cuu/"
    assert browser.cookies["motcua_language"].value == "en"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://other.testserver"},  # a sibling subdomain is another site
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},  # an older browser without Fetch Metadata
        {"Origin": "https://testserver"},  # the same host on another scheme is another origin
        {"Origin": "null"},  # a sandboxed frame or a data: page
    ],
)
def test_a_post_from_another_site_is_refused_and_changes_nothing(headers):
    person = UserFactory(language="vi")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    response = _post(browser, **headers)
    assert response.status_code == 403
    assert "Yêu cầu này được gửi từ một trang web khác" in response.content.decode()
    assert "motcua_language" not in response.cookies
    person.refresh_from_db()
    assert person.language == "vi"


def test_the_refusal_is_shown_in_the_visitors_language():
    browser = Client()
    browser.cookies["motcua_language"] = "en"
    response = _post(browser, **{"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert "This request came from another website and was refused." in response.content.decode()


def test_an_origin_listed_as_trusted_may_switch(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://motcua.hoangliet.example"]
    browser = Client()
    response = _post(browser, **{"Sec-Fetch-Site": "cross-site", "Origin": "https://motcua.hoangliet.example"})
    assert response.status_code == 302 and browser.cookies["motcua_language"].value == "en"


def test_a_signed_in_persons_choice_from_the_portals_page_is_kept_on_the_account():
    person = UserFactory(language="vi")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    assert _post(browser, **{"Sec-Fetch-Site": "same-origin"}).status_code == 302
    person.refresh_from_db()
    assert person.language == "en"


def test_other_forms_still_need_their_csrf_token():
    person = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    response = browser.post("/accounts/logout/", headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 403  # logging out is guarded by Django's token, as before
