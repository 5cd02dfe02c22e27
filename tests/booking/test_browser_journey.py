"""Book in the browser, get the e-mail, check in at the desk, get called, see it on the display screen."""

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from portal.celery import app
from procedures.models import Booking

from .conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    client = Client()
    client.force_login(user, backend="portal.accounts.backends.PhoneOrEmailBackend")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context, context.new_page()


@pytest.fixture
def eager():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_book_receive_mail_check_in_get_called_and_see_the_screen(desk, browser, live_server, settings, eager):
    settings.DEFAULT_UNIT_CODE = desk.unit.code
    contexts = []
    with time_machine.travel(at("2026-03-09 07:00"), tick=True):
        try:
            context, citizen = signed_in_page(browser, live_server, desk.citizen)
            contexts.append(context)
            citizen.goto(f"/thu-tuc/{desk.certify.code}/")
            citizen.click("#book-visit")
            citizen.wait_for_selector("#booking-form")
            assert "15 phút" in citizen.inner_text("#no-wait-note")
            assert "08:00–08:30 (còn 1 chỗ)" in citizen.inner_text("#booking-form")
            citizen.check('input[name=start][value="2026-03-09T08:00:00+07:00"]')
            citizen.click("#booking-submit")
            citizen.wait_for_selector("#booking-confirm")
            citizen.click("#booking-confirm")
            citizen.wait_for_selector("#booking-code")
            code = citizen.inner_text("#booking-code").strip()
            assert Booking.objects.get(code=code).status == "confirmed"
            assert citizen.locator("#booking-qr svg").count() == 1
            assert "08:00" in citizen.inner_text("#booking-time")

            assert len(mail.outbox) == 1 and code in mail.outbox[0].subject
            assert "08:00 09/03/2026" in mail.outbox[0].body

            context, screen = signed_in_page(browser, live_server, desk.other_citizen)  # anyone may watch
            contexts.append(context)
            screen.goto(f"/man-hinh/{desk.unit.code}/")
            assert screen.inner_text('tr[data-counter="2"] .serving') == "—"

            context, officer = signed_in_page(browser, live_server, desk.desk)
            contexts.append(context)
            officer.goto("/quay/")
            officer.fill("#id_code", code)
            officer.click("#check-in-submit")
            officer.wait_for_selector(".alert-success")
            assert "2-001" in officer.inner_text(".alert-success")
            officer.click("#call-next-2")
            officer.wait_for_selector("#counter-2-current")
            assert officer.inner_text("#counter-2-current").startswith("2-001")

            # The screen polls: the call shows within 2 seconds, without a reload.
            expect(screen.locator('tr[data-counter="2"] .serving')).to_have_text("2-001", timeout=2500)
            assert desk.citizen.full_name not in screen.content() and code not in screen.content()
        finally:
            for context in contexts:
                context.close()
