"""In headless Chromium: the trend and satisfaction charts are drawn by the portal's own Chart.js with no
Content-Security-Policy violation, and the button switches each chart to its table of the same numbers."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def test_chart_renders_from_local_chartjs_and_toggles_to_table(browser, live_server, district_world):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    client = Client()
    client.force_login(district_world["users"]["leader"], backend="portal.accounts.backends.PhoneOrEmailBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    scripts, errors, console = [], [], []
    page.on("response", lambda r: scripts.append((r.url, r.status)) if r.url.endswith(".js") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    try:
        page.goto("/can-bo/bang-dieu-khien/")
        page.click("#nav-dashboard")  # the navigation leads here too
        trend = page.locator("#figure-trend-data")
        trend.locator(".chart-canvas canvas").wait_for(state="visible")
        assert "chart-drawn" in trend.get_attribute("class")
        box = trend.locator("canvas").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
        # Drawn pixels: Chart.js painted something on the canvas.
        painted = page.evaluate(
            """() => { const c = document.querySelector('#trend-data-canvas');
                       const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                       let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; }"""
        )
        assert painted > 100
        assert page.evaluate("typeof window.Chart") == "function"
        chart_js = {(url, status) for url, status in scripts if "chart.umd.min.js" in url}
        assert {url for url, _status in chart_js} == {f"{live_server.url}/static/vendor/chartjs/chart.umd.min.js"}
        assert {status for _url, status in chart_js} <= {200, 304}  # the second load may revalidate
        assert all(url.startswith(live_server.url) for url, _status in scripts)  # nothing from elsewhere

        table = trend.locator(".chart-table")
        assert table.is_hidden()
        toggle = trend.locator(".chart-toggle")
        assert toggle.inner_text() == "Xem dạng bảng" and toggle.get_attribute("aria-pressed") == "false"
        toggle.click()
        assert table.is_visible() and trend.locator(".chart-canvas").is_hidden()
        assert toggle.get_attribute("aria-pressed") == "true" and toggle.inner_text() == "Xem dạng biểu đồ"
        assert "03/2026" in table.inner_text()
        toggle.click()
        assert table.is_hidden() and trend.locator(".chart-canvas").is_visible()

        satisfaction = page.locator("#figure-satisfaction-data")
        assert "chart-drawn" in satisfaction.get_attribute("class")
        assert page.evaluate("window.__csp") == []
        assert not errors, errors
        assert not [m for m in console if "Content Security Policy" in m], console
    finally:
        context.close()
