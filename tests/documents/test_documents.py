"""Each paper is issued at its event, opens as one A4 page in the shipped font, and says what the law asks:
the code, the applicant, the dates in Vietnamese with their diacritics; a reprint says the same."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import segno
import time_machine
from django.conf import settings

from procedures.documents import vietnamese as vn
from procedures.documents.pdf import render_html
from procedures.domain.workflow import Action, DossierStatus
from procedures.models import DocumentKind, IssuedDocument
from procedures.services.documents import control_slip_issue, issued_document_pdf
from procedures.services.dossiers import dossier_receive_in_person
from procedures.tasks import render_issued_document
from tests.dossiers.conftest import GUIDANCE
from tests.factories import ProcedureFactory, RequiredDocumentFactory

from .helpers import assert_a4_shipped_font, local, matrix_modules, read_pdf, svg_modules

pytestmark = pytest.mark.django_db

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"


def only(dossier, kind) -> IssuedDocument:
    return IssuedDocument.objects.get(dossier=dossier, kind=kind)


def first_print(document):
    return read_pdf(issued_document_pdf(document=document))


@pytest.fixture
def thursday_morning():
    with time_machine.travel(local("2026-11-26 09:30"), tick=False):
        yield


def test_receipt_at_the_desk_receiving_an_online_dossier(world, thursday_morning):
    dossier = world.to_status(DossierStatus.RECEIVED)
    paper = first_print(only(dossier, DocumentKind.RECEIPT))
    assert_a4_shipped_font(paper)
    assert MOTTO in paper.text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in paper.text
    assert f"Mã hồ sơ: {dossier.code}" in paper.text
    assert world.citizen.full_name in paper.text
    assert world.procedure.name in paper.text
    assert "Phường Hoàng Liệt, ngày 26 tháng 11 năm 2026" in paper.text
    assert "Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 26 tháng 11 năm 2026" in paper.text
    # Three working days from Thursday 09:30: Tuesday 09:30, in digits and in words.
    assert dossier.due_at == local("2026-12-01 09:30")
    assert "09 giờ 30 phút, Thứ Ba, ngày 01 tháng 12 năm 2026" in paper.text
    assert "chín giờ ba mươi phút, ngày một tháng mười hai năm hai nghìn không trăm hai mươi sáu" in paper.text
    assert "3 (ba) ngày làm việc" in paper.text
    assert "Tờ khai bản chính 1" in paper.text  # the document received, its form and count
    assert world.desk.full_name in paper.text  # the officer who received it


def test_receipt_in_person_lists_every_document_received(world, thursday_morning):
    dossier = dossier_receive_in_person(
        actor=world.desk,
        applicant=world.citizen,
        procedure=world.procedure,
        documents_checked=[world.mandatory, world.conditional],
    )
    paper = first_print(only(dossier, DocumentKind.RECEIPT))
    assert_a4_shipped_font(paper)
    assert "Tờ khai bản chính 1" in paper.text
    assert "Giấy ủy quyền bản chính 1" in paper.text


def test_no_receipt_for_a_no_wait_dossier(world):
    quick = ProcedureFactory(quick=True)
    RequiredDocumentFactory(procedure=quick, position=1)
    dossier = dossier_receive_in_person(
        actor=world.desk, applicant=world.citizen, procedure=quick, documents_checked=list(quick.documents.all())
    )
    assert dossier.target_at is not None
    assert not IssuedDocument.objects.filter(dossier=dossier).exists()


def test_receipt_qr_code_opens_the_lookup_with_the_code(world, client, thursday_morning):
    dossier = world.to_status(DossierStatus.RECEIVED)
    document = only(dossier, DocumentKind.RECEIPT)
    expected = f"{settings.PUBLIC_BASE_URL}/tra-cuu/?code={dossier.code}"
    assert document.snapshot["qr_url"] == expected
    drawn = svg_modules(render_html(document.snapshot))
    assert drawn == matrix_modules(segno.make(expected, error="m", micro=False))
    assert drawn != matrix_modules(segno.make(expected + "1", error="m", micro=False))
    # The rating link: the rating page with the code and a signed token (tests/ratings/test_links.py).
    assert document.snapshot["rating_url"].startswith(f"{settings.PUBLIC_BASE_URL}/danh-gia/{dossier.code}/?k=")
    # The lookup page opens with the code filled in.
    page = client.get(f"/tra-cuu/?code={dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in page


def test_rating_url_setting(world, settings):
    settings.RATING_URL = "https://motcua.example.gov.vn/danh-gia/{code}/"
    dossier = world.to_status(DossierStatus.RECEIVED)
    assert only(dossier, DocumentKind.RECEIPT).snapshot["rating_url"] == (
        f"https://motcua.example.gov.vn/danh-gia/{dossier.code}/"
    )


def test_supplement_request_lists_each_item_in_full(world):
    dossier = world.to_status(DossierStatus.IN_PROGRESS)
    reasons = "Tờ khai: thiếu chữ ký của người yêu cầu\nẢnh chân dung: mờ, chụp lại theo cỡ 4x6"
    dossier = world.act(world.specialist, dossier, Action.REQUEST_SUPPLEMENT, comment=reasons)
    paper = first_print(only(dossier, DocumentKind.SUPPLEMENT_REQUEST))
    assert_a4_shipped_font(paper)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in paper.text
    assert dossier.code in paper.text and world.citizen.full_name in paper.text
    assert "1 Tờ khai: thiếu chữ ký của người yêu cầu" in paper.text
    assert "2 Ảnh chân dung: mờ, chụp lại theo cỡ 4x6" in paper.text
    assert "tạm dừng" in paper.text  # the clock stops while the citizen supplements


def test_guidance_before_receipt_is_a_supplement_request(world):
    dossier = world.to_status(GUIDANCE)
    paper = first_print(only(dossier, DocumentKind.SUPPLEMENT_REQUEST))
    assert_a4_shipped_font(paper)
    assert "Hồ sơ chưa được tiếp nhận" in paper.text


def test_supplement_arriving_issues_a_new_receipt(world):
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    dossier = world.act(world.citizen, dossier, Action.SUPPLEMENT)
    receipts = IssuedDocument.objects.filter(dossier=dossier, kind=DocumentKind.RECEIPT).order_by("pk")
    assert receipts.count() == 2
    assert receipts[1].snapshot["number"] == "02/TNHS"
    assert vn.appointment(dossier.due_at)["digits"] in first_print(receipts[1]).text


def test_refusal_gives_the_specific_reason(world, thursday_morning):
    dossier = world.submit()
    dossier = world.act(world.desk, dossier, Action.REFUSE, comment="Thủ tục không thuộc thẩm quyền của phường")
    paper = first_print(only(dossier, DocumentKind.REFUSAL))
    assert_a4_shipped_font(paper)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in paper.text
    assert "Thủ tục không thuộc thẩm quyền của phường" in paper.text
    assert dossier.code in paper.text and world.citizen.full_name in paper.text
    assert "ngày 26 tháng 11 năm 2026" in paper.text


def test_apology_gives_the_reason_and_the_new_date(world, thursday_morning):
    dossier = world.to_status(DossierStatus.IN_PROGRESS)
    new_due = local("2026-12-03 16:00")
    dossier = world.act(
        world.specialist, dossier, Action.REDATE, comment="Chờ xác minh của Công an phường", new_due_at=new_due
    )
    paper = first_print(only(dossier, DocumentKind.APOLOGY))
    assert_a4_shipped_font(paper)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in paper.text
    assert "Chờ xác minh của Công an phường" in paper.text
    assert "09 giờ 30 phút, ngày 01 tháng 12 năm 2026" in paper.text  # the receipt's date
    assert "16 giờ 00 phút, Thứ Năm, ngày 03 tháng 12 năm 2026" in paper.text  # the new one
    assert "mười sáu giờ đúng, ngày ba tháng mười hai năm hai nghìn không trăm hai mươi sáu" in paper.text
    assert f"Kính gửi: Ông/Bà {world.citizen.full_name}" in paper.text


def test_control_slip_at_return_lists_every_hand_over(world, thursday_morning):
    dossier = world.to_status(DossierStatus.RETURNED)
    paper = first_print(only(dossier, DocumentKind.CONTROL_SLIP))
    assert_a4_shipped_font(paper, max_pages=None)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in paper.text
    for user in (world.citizen, world.desk, world.specialist, world.leader):
        assert f"Người giao: {user.full_name}" in paper.text or f"Người nhận: {user.full_name}" in paper.text
    assert "Đúng hạn" in paper.text or "Trước hạn" in paper.text
    assert dossier.control_slip.count() == len(only(dossier, DocumentKind.CONTROL_SLIP).snapshot["rows"])


def test_a_long_control_slip_runs_onto_more_a4_pages(world):
    dossier = world.to_status(DossierStatus.AWAITING_APPROVAL)
    for _round in range(12):
        dossier = world.act(world.leader, dossier, Action.SEND_BACK)
        dossier = world.act(world.specialist, dossier, Action.SUBMIT_FOR_APPROVAL)
    paper = first_print(control_slip_issue(actor=world.desk, dossier=dossier))
    assert paper.pages > 1
    assert_a4_shipped_font(paper, max_pages=None)


def test_control_slip_on_demand_is_the_unit_staffs(world):
    from django.core.exceptions import PermissionDenied

    from procedures.models import Dossier

    dossier = world.to_status(DossierStatus.IN_PROGRESS)
    document = control_slip_issue(actor=world.specialist, dossier=dossier.code)
    assert document.history is None and document.kind == DocumentKind.CONTROL_SLIP
    assert "đang giải quyết" in first_print(document).text
    with pytest.raises(PermissionDenied):
        control_slip_issue(actor=world.district_leader, dossier=dossier.code)  # sees it, is not its staff
    with pytest.raises(Dossier.DoesNotExist):
        control_slip_issue(actor=world.other_desk, dossier=dossier.code)
    with pytest.raises(PermissionDenied):
        control_slip_issue(actor=world.citizen, dossier=dossier.code)  # the applicant downloads, never issues
    with pytest.raises(Dossier.DoesNotExist):
        control_slip_issue(actor=world.other_citizen, dossier=dossier.code)


def test_reprint_is_the_same_paper_plus_its_line_even_after_the_dossier_moved_on(world):
    with time_machine.travel(local("2026-11-26 09:30"), tick=False):
        dossier = world.to_status(DossierStatus.RECEIVED)
    document = only(dossier, DocumentKind.RECEIPT)
    first = first_print(document)
    with time_machine.travel(local("2026-11-27 14:05"), tick=False):
        world.act(
            world.specialist,
            world.act(world.desk, dossier, Action.ASSIGN, assignee=world.specialist),
            Action.REDATE,
            new_due_at=local("2026-12-04 10:00"),
        )
        world.citizen.full_name = "Tên Đã Đổi"
        world.citizen.save()
        reprint = read_pdf(issued_document_pdf(document=document, reprint=True))
    line = "Bản in lại lúc 14 giờ 05 phút, ngày 27 tháng 11 năm 2026"
    assert line in reprint.text
    assert " ".join(reprint.text.replace(line, "").split()) == first.text
    assert_a4_shipped_font(reprint)
    document.refresh_from_db()
    assert document.reprint_count == 1 and document.last_reprinted_at == local("2026-11-27 14:05")
    # The first print stays the stored file, unchanged.
    assert first_print(document).text == first.text


def test_papers_are_issued_with_the_event_and_rendered_after_commit(world, django_capture_on_commit_callbacks):
    with mock.patch("procedures.tasks.render_issued_document.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            dossier = world.to_status(DossierStatus.RECEIVED)
    document = only(dossier, DocumentKind.RECEIPT)
    delay.assert_called_once_with(document.pk)
    assert not document.file  # nothing rendered inside the transaction
    render_issued_document(document.pk)  # what the worker runs
    document.refresh_from_db()
    assert document.file
    stored = document.file.name
    render_issued_document(document.pk)  # twice: the stored file is kept
    document.refresh_from_db()
    assert document.file.name == stored


def test_a_broker_outage_loses_no_paper(world, django_capture_on_commit_callbacks):
    with mock.patch("procedures.tasks.render_issued_document.delay", side_effect=OSError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = world.to_status(DossierStatus.RECEIVED)
    document = only(dossier, DocumentKind.RECEIPT)
    assert dossier.status == DossierStatus.RECEIVED
    assert read_pdf(issued_document_pdf(document=document)).pages == 1  # rendered on demand


def test_a_rolled_back_event_issues_no_paper(world):
    dossier = world.submit()
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the validation says
        world.act(world.desk, dossier, Action.REFUSE, comment="")
    assert not IssuedDocument.objects.filter(dossier=dossier).exists()


def test_events_without_a_paper_issue_none(world):
    dossier = world.to_status(DossierStatus.IN_PROGRESS)
    assert list(IssuedDocument.objects.filter(dossier=dossier).values_list("kind", flat=True)) == ["receipt"]
    world.act(world.citizen, dossier, Action.WITHDRAW)
    assert IssuedDocument.objects.filter(dossier=dossier).count() == 1


def test_paper_number_counts_per_dossier_and_kind(world):
    first = world.to_status(DossierStatus.RECEIVED)
    second = world.to_status(DossierStatus.RECEIVED)
    assert only(first, DocumentKind.RECEIPT).snapshot["number"] == "01/TNHS"
    assert only(second, DocumentKind.RECEIPT).snapshot["number"] == "01/TNHS"
    assert only(first, DocumentKind.RECEIPT).issued_at - first.received_at == timedelta(0)
