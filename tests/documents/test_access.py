"""Who reaches a dossier's papers: its applicant and its unit's staff (and leaders above, as for the dossier);
another citizen, another unit's staff: 404; anonymous: the login page (pages) or 403 (API)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures.domain.workflow import DossierStatus
from procedures.models import DocumentKind, IssuedDocument
from procedures.services.documents import control_slip_issue

from .helpers import read_pdf

pytestmark = pytest.mark.django_db

# who → (list page, PDF, API, control slip on demand)
EXPECTED = {
    "applicant": (200, 200, 200, 403),
    "desk": (200, 200, 200, 302),
    "specialist": (200, 200, 200, 302),
    "leader": (200, 200, 200, 302),
    "district_leader": (200, 200, 200, 403),
    "other_citizen": (404, 404, 404, 404),
    "other_desk": (404, 404, 404, 404),
    "anonymous": (302, 302, 403, 302),
}


@pytest.fixture
def received(world):
    dossier = world.to_status(DossierStatus.RECEIVED)
    return dossier, IssuedDocument.objects.get(dossier=dossier, kind=DocumentKind.RECEIPT)


def _user(world, who):
    return {
        "applicant": world.citizen,
        "desk": world.desk,
        "specialist": world.specialist,
        "leader": world.leader,
        "district_leader": world.district_leader,
        "other_citizen": world.other_citizen,
        "other_desk": world.other_desk,
        "anonymous": None,
    }[who]


@pytest.mark.parametrize("who", EXPECTED)
def test_access_matrix(client, world, received, who):
    dossier, document = received
    user = _user(world, who)
    if user is not None:
        client.force_login(user)
    base = f"/ho-so/{dossier.code}/giay-to/"
    statuses = (
        client.get(base).status_code,
        client.get(f"{base}{document.pk}.pdf").status_code,
        client.get(f"/api/dossiers/{dossier.code}/slips/").status_code,
        client.post(f"{base}phieu-kiem-soat/").status_code,
    )
    assert statuses == EXPECTED[who]


def test_anonymous_is_sent_to_login(client, received):
    dossier, document = received
    response = client.get(f"/ho-so/{dossier.code}/giay-to/{document.pk}.pdf")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_paper_under_another_dossiers_code_is_404(client, world, received):
    dossier, document = received
    other = world.to_status(DossierStatus.RECEIVED)
    client.force_login(world.citizen)
    assert client.get(f"/ho-so/{other.code}/giay-to/{document.pk}.pdf").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/giay-to/999999.pdf").status_code == 404


def test_applicant_downloads_and_reprints(client, world, received):
    dossier, document = received
    client.force_login(world.citizen)
    response = client.get(f"/ho-so/{dossier.code}/giay-to/{document.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert dossier.code in read_pdf(response.content).text
    reprint = client.get(f"/ho-so/{dossier.code}/giay-to/{document.pk}.pdf?reprint=1")
    assert "Bản in lại lúc" in read_pdf(reprint.content).text
    document.refresh_from_db()
    assert document.reprint_count == 1


def test_list_page_shows_each_paper_with_print_and_reprint(client, world, received):
    dossier, document = received
    client.force_login(world.citizen)
    page = client.get(f"/ho-so/{dossier.code}/giay-to/").content.decode()
    assert f'href="/ho-so/{dossier.code}/giay-to/{document.pk}.pdf"' in page
    assert f'href="/ho-so/{dossier.code}/giay-to/{document.pk}.pdf?reprint=1"' in page
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert 'id="control-slip-print"' not in page  # the citizen has no control-slip button
    client.force_login(world.desk)
    assert 'id="control-slip-print"' in client.get(f"/ho-so/{dossier.code}/giay-to/").content.decode()


def test_list_page_follows_the_visitors_language(client, world, received):
    dossier, _document = received
    client.force_login(world.citizen)
    client.cookies["motcua_language"] = "en"
    page = client.get(f"/ho-so/{dossier.code}/giay-to/").content.decode()
    assert "Receipt and appointment slip" in page and "Reprint" in page


def test_desk_prints_a_control_slip_on_demand(client, world, received):
    dossier, _document = received
    client.force_login(world.desk)
    response = client.post(f"/ho-so/{dossier.code}/giay-to/phieu-kiem-soat/")
    slip = IssuedDocument.objects.get(dossier=dossier, kind=DocumentKind.CONTROL_SLIP)
    assert response["Location"] == f"/ho-so/{dossier.code}/giay-to/{slip.pk}.pdf"
    assert "PHIẾU KIỂM SOÁT" in read_pdf(client.get(response["Location"]).content).text


def test_api_lists_kind_issued_at_and_url(client, world, received):
    dossier, document = received
    client.force_login(world.citizen)
    data = client.get(f"/api/dossiers/{dossier.code}/slips/").json()
    assert [(row["kind"], row["url"]) for row in data] == [
        ("receipt", f"http://testserver/ho-so/{dossier.code}/giay-to/{document.pk}.pdf")
    ]
    assert datetime.fromisoformat(data[0]["issued_at"]) == document.issued_at
    assert client.get(data[0]["url"]).status_code == 200


def test_slip_list_queries_do_not_grow_with_the_papers(client, world, received):
    dossier, _document = received
    client.force_login(world.desk)
    url = f"/api/dossiers/{dossier.code}/slips/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _n in range(3):
        control_slip_issue(actor=world.desk, dossier=dossier.code)
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(url).json()) == 4
    assert len(four) == len(one)
