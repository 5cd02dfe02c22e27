"""A citizen in headless Chromium: submits online through the real form with real files, reviews, confirms,
finds the dossier in "my dossiers"; later answers a supplement request by uploading the missing document."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import Dossier

from .conftest import pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user, backend="portal.accounts.backends.PhoneOrEmailBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_submit_online_review_confirm_and_find_it(page, live_server, world, tmp_path):
    form_file = tmp_path / "Tờ khai đăng ký.pdf"
    form_file.write_bytes(pdf_bytes())
    sign_in(page, live_server, world.citizen)

    page.goto(f"/thu-tuc/{world.procedure.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    page.wait_for_selector("#submit-form")
    assert "Tờ khai" in page.inner_text("#submit-form")
    page.set_input_files("#id_document_1", str(form_file))
    page.click("#submit-continue")

    page.wait_for_selector("#review-files")
    assert "Tờ khai đăng ký.pdf" in page.inner_text("#review-files")
    assert world.unit.name in page.inner_text("#review-unit")
    assert not Dossier.objects.exists()
    page.click("#review-submit")

    page.wait_for_selector("#submitted-code")
    code = page.inner_text("#submitted-code")
    dossier = Dossier.objects.get()
    assert code == dossier.code and dossier.status == DossierStatus.SUBMITTED
    assert dossier.documents.get().original_name == "Tờ khai đăng ký.pdf"

    page.click("#nav-my-dossiers")
    page.wait_for_selector("#my-dossiers")
    row = page.locator(f'tr[data-code="{code}"]')
    assert "Đã nộp trực tuyến" in row.inner_text() or "đã nộp trực tuyến" in row.inner_text().lower()
    assert page.locator("#unread-badge").inner_text().startswith("1")


def test_answer_a_supplement_request(page, live_server, world, tmp_path):
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    scan = tmp_path / "giay-uy-quyen.png"
    scan.write_bytes(png_bytes())
    sign_in(page, live_server, world.citizen)

    page.goto(f"/ho-so/{dossier.code}/")
    assert "Lý do" in page.inner_text("#supplement-request")
    page.click("#action-supplement")
    page.wait_for_selector("#supplement-form")
    page.set_input_files("#id_document_2", str(scan))
    page.click("#supplement-submit")

    page.wait_for_selector("#detail-status")
    assert page.inner_text("#detail-status").lower() == "đang giải quyết"
    assert "giay-uy-quyen.png" in page.inner_text("#detail-documents")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS
    assert dossier.history.last().action == Action.SUPPLEMENT
