"""A citizen registers, logs in, switches language and logs out, in headless Chromium."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_login_switch_language_logout(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("link", name="Đăng ký").first.click()
    page.fill("#id_full_name", "Trần Văn Bảo")
    page.fill("#id_phone", "0987 111 222")
    page.fill("#id_password1", "Bao-Hoang-Liet-26")
    page.fill("#id_password2", "Bao-Hoang-Liet-26")
    page.click("#register-submit")
    page.wait_for_selector("#page-heading")
    assert "Hồ sơ và lịch hẹn của tôi" in page.inner_text("#page-heading")

    page.click("#logout-button")
    page.get_by_role("link", name="Đăng nhập").first.click()
    page.fill("#id_username", "+84987111222")
    page.fill("#id_password", "Bao-Hoang-Liet-26")
    page.click("#login-submit")
    page.wait_for_selector("#current-user")
    assert page.inner_text("#current-user") == "Trần Văn Bảo"

    page.select_option("#language-select", "en")  # autosubmits
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("#page-heading") == "My dossiers and bookings"

    page.click("#logout-button")
    page.wait_for_selector("text=Log in")
    assert page.locator("#current-user").count() == 0
