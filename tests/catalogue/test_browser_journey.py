"""A citizen searches without diacritics, opens a no-wait procedure and sees its badge and due time."""

import re

import pytest

from procedures.services.catalogue_import import load_shipped_catalogue
from procedures.services.demo import seed_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_without_diacritics_then_open_a_no_wait_procedure(page):
    seed_units()
    load_shipped_catalogue()

    page.goto("/")
    page.fill("#home-search", "chung thuc chu ky")
    page.get_by_role("button", name="Tìm thủ tục").click()
    page.wait_for_selector("#procedure-list")
    assert "Tìm thấy 1 thủ tục" in page.inner_text("#result-count")

    page.get_by_role("link", name=re.compile("^Chứng thực chữ ký")).click()
    page.wait_for_selector("#page-heading")
    assert page.inner_text("#page-heading").startswith("Chứng thực chữ ký trong các giấy tờ")
    badge = page.locator("#no-wait-badge")
    assert badge.is_visible()
    assert "Thủ tục không chờ" in badge.inner_text() and "15 phút" in badge.inner_text()
    due = page.locator("#due-at time")
    assert re.fullmatch(r"\d{2}:\d{2}, Thứ .+ \d{2}/\d{2}/\d{4}", due.inner_text())
    assert due.get_attribute("datetime").endswith("+07:00")
    # The browser runs in Vietnam time (conftest), so no second, converted time is added.
    assert page.locator("#due-at .d-block").count() == 0

    page.click("#print-checklist")
    page.wait_for_selector("#print-button")
    assert "Căn cước công dân (CCCD) hoặc hộ chiếu còn giá trị" in page.inner_text("#documents")


def test_a_visitor_abroad_also_sees_the_due_time_in_their_own_time_zone(browser, live_server):
    seed_units()
    load_shipped_catalogue()
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Europe/Paris")
    try:
        page = context.new_page()
        page.goto("/thu-tuc/1.000656/")
        local = page.locator("#due-at .d-block")
        local.wait_for()
        assert local.inner_text().startswith("(giờ địa phương của bạn: ")
    finally:
        context.close()
