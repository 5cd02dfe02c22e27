"""In Chromium: a citizen locked out by someone else's guesses unlocks the account at once by a reset."""

import re

import pytest
from django.conf import settings
from django.core import mail

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_locked_out_citizen_resets_the_password_and_logs_in_straight_away(page):
    UserFactory(phone="0987222333", email="bao@example.vn", full_name="Trần Văn Bảo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/accounts/login/")
        page.fill("#id_username", "0987 222 333")
        page.fill("#id_password", "doan-mo")
        page.click("#login-submit")
    page.wait_for_selector("#locked-out")

    page.click("#locked-out-reset")
    page.fill("#id_email", "0987222333")
    page.click("#password-reset-submit")
    page.wait_for_selector("#password-reset-done")
    assert len(mail.outbox) == 1

    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", "Bao-Moi-2026-xyz")
    page.fill("#id_new_password2", "Bao-Moi-2026-xyz")
    page.click("#password-reset-confirm-submit")
    page.wait_for_selector("#password-reset-complete")

    page.goto("/accounts/login/")
    page.fill("#id_username", "0987222333")
    page.fill("#id_password", "Bao-Moi-2026-xyz")
    page.click("#login-submit")
    page.wait_for_selector("#current-user")
    assert page.inner_text("#current-user") == "Trần Văn Bảo"
