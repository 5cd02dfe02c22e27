"""The citizen's pages: online submission (form → review → confirmation, one dossier per key, bad files
refused with nothing created), "my dossiers", a dossier's page and its files, supplement, withdrawal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import Dossier, DossierDocument, UnitProcedure
from procedures.services.dossier_drafts import DRAFT_ROOT, dossier_draft_get, dossier_drafts_sweep
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UnitFactory

from .conftest import GUIDANCE, jpeg_bytes, pdf_bytes, png_bytes, upload

HTML = b"<!doctype html><html><body>hi</body></html>"


def login(client, user):
    client.force_login(user)
    return client


def form_key(client, procedure) -> str:
    html = client.get(reverse("dossier_submit", args=[procedure.code])).content.decode()
    return re.search(r'name="key" value="([0-9a-f]{32})"', html).group(1)


def continue_to_review(client, world, key, **files):
    files = files or {"document_1": upload("Tờ khai.pdf")}
    return client.post(
        reverse("dossier_submit", args=[world.procedure.code]),
        {"key": key, "unit": world.unit.pk, **files},
    )


def review_url(world, key):
    return reverse("dossier_submit_review", args=[world.procedure.code, key])


# --- online submission --------------------------------------------------------------------------------------


def test_anonymous_goes_to_login_and_staff_get_403(client, world):
    url = reverse("dossier_submit", args=[world.procedure.code])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert f"next={url}" in response["Location"]
    assert login(client, world.desk).get(url).status_code == 403


def test_form_shows_each_document_marked_and_the_rules(client, world):
    login(client, world.citizen)
    html = client.get(reverse("dossier_submit", args=[world.procedure.code])).content.decode()
    assert 'name="document_1"' in html and 'name="document_2"' in html
    mandatory = html[html.index('data-position="1"') : html.index('data-position="2"')]
    conditional = html[html.index('data-position="2"') :]
    assert " required" in mandatory and "bắt buộc" in mandatory
    assert " required" not in conditional.split("</div>\n      </div>")[0]
    assert "Khi nộp thay người khác" in conditional
    assert "10,0" in html or "10.0" in html  # the per-file limit (10 MB) is stated
    assert 'accept=".jpeg,.jpg,.pdf,.png' in html


def test_submit_review_confirm(client, world):
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    response = continue_to_review(client, world, key, document_1=upload("Tờ khai.pdf"))
    assert response.status_code == 302 and response["Location"] == review_url(world, key)
    assert not Dossier.objects.exists()  # nothing submitted before the review

    review = client.get(review_url(world, key)).content.decode()
    assert "Tờ khai.pdf" in review and world.procedure.name in review and world.unit.name in review
    assert "khi bộ phận một cửa tiếp nhận" in review  # the clock starts at the desk's receipt

    response = client.post(review_url(world, key))
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dossier_submitted", args=[dossier.code])
    assert dossier.status == DossierStatus.SUBMITTED and dossier.idempotency_key == key
    assert dossier.documents.get().original_name == "Tờ khai.pdf"
    assert dossier.documents.get().file.read() == pdf_bytes()
    assert dossier_draft_get(applicant=world.citizen, key=key) is None  # the draft is gone

    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page and f"{reverse('lookup')}?code={dossier.code}" in page


def test_double_click_is_one_dossier_landing_on_the_same_confirmation(client, world):
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    continue_to_review(client, world, key)
    first = client.post(review_url(world, key))
    second = client.post(review_url(world, key))
    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"] == reverse("dossier_submitted", args=[Dossier.objects.get().code])
    # A new form is a new key: a second submission on purpose is a second dossier.
    other = form_key(client, world.procedure)
    assert other != key
    continue_to_review(client, world, other)
    client.post(review_url(world, other))
    assert Dossier.objects.count() == 2


def test_a_document_takes_several_files_one_per_page(client, world):
    login(client, world.citizen)
    html = client.get(reverse("dossier_submit", args=[world.procedure.code])).content.decode()
    assert re.search(r'<input type="file" name="document_1"[^>]* multiple', html)
    assert "ảnh chụp từng trang" in html  # the rules say so
    key = form_key(client, world.procedure)
    pages = [upload("trang-1.jpg", jpeg_bytes(), "image/jpeg"), upload("trang-2.png", png_bytes(), "image/png")]
    response = continue_to_review(client, world, key, document_1=pages)
    assert response.status_code == 302
    review = client.get(review_url(world, key)).content.decode()
    assert "trang-1.jpg" in review and "trang-2.png" in review
    client.post(review_url(world, key))
    dossier = Dossier.objects.get()
    names = list(dossier.documents.order_by("pk").values_list("required_document__position", "original_name"))
    assert names == [(1, "trang-1.jpg"), (1, "trang-2.png")]


def test_one_bad_file_among_several_refuses_them_all_naming_it(client, world):
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    pages = [upload("trang-1.pdf"), upload("trang-2.pdf", HTML)]
    response = continue_to_review(client, world, key, document_1=pages)
    html = response.content.decode()
    assert response.status_code == 400 and "trang-2.pdf" in html and "không đúng với phần mở rộng" in html
    assert not Dossier.objects.exists() and dossier_draft_get(applicant=world.citizen, key=key) is None


def test_more_files_than_a_dossier_may_hold_are_refused(client, world, settings):
    settings.DOSSIER_MAX_FILES = 2
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    response = continue_to_review(client, world, key, document_1=[upload(f"trang-{n}.pdf") for n in range(3)])
    assert response.status_code == 400 and "Mỗi hồ sơ có tối đa 2 tệp." in response.content.decode()
    assert dossier_draft_get(applicant=world.citizen, key=key) is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("to-khai.pdf", HTML, "không đúng với phần mở rộng"),  # HTML renamed .pdf
        ("to-khai.png", png_bytes()[:8] + HTML, "bị hỏng hoặc không phải tệp PNG"),  # a PNG header followed by HTML
        ("to-khai.pdf", b"", "rỗng"),
        ("to-khai.docx", pdf_bytes(), "không phải tệp PDF, JPEG hoặc PNG"),
    ],
)
def test_bad_upload_shows_the_form_again_naming_the_document(client, world, name, content, message):
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    response = continue_to_review(client, world, key, document_1=upload(name, content))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tờ khai" in html and message in html, html
    assert not Dossier.objects.exists() and dossier_draft_get(applicant=world.citizen, key=key) is None


def test_too_big_and_missing_mandatory(client, world, settings):
    settings.DOSSIER_MAX_FILE_BYTES = 50
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    response = continue_to_review(client, world, key, document_1=upload("to-khai.pdf", pdf_bytes()))
    assert response.status_code == 400 and "lớn hơn 50" in response.content.decode()
    response = continue_to_review(client, world, key, document_2=upload("uy-quyen.jpg", jpeg_bytes(), "image/jpeg"))
    assert response.status_code == 400 and "Trường này là bắt buộc" in response.content.decode()
    assert not Dossier.objects.exists()


def test_service_validation_error_is_shown_on_the_form(client, world):
    UnitProcedure.objects.create(unit=world.unit, procedure=world.procedure, offered=False)
    other = world.other_unit
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    response = client.post(
        reverse("dossier_submit", args=[world.procedure.code]),
        {"key": key, "unit": world.unit.pk, "document_1": upload()},
    )
    # The declined ward is not even a choice; the other ward of the district is the default now.
    assert response.status_code == 400
    assert other.name in client.get(reverse("dossier_submit", args=[world.procedure.code])).content.decode()


def test_procedure_not_online_or_not_offered_explains_why(client, world):
    login(client, world.citizen)
    paper = ProcedureFactory(online_level="none")
    html = client.get(reverse("dossier_submit", args=[paper.code])).content.decode()
    assert "bộ phận một cửa" in html and "submit-form" not in html
    listed = ProcedureFactory(online_level="full")
    listed.units.add(UnitFactory(code="H99", name="Tỉnh khác", kind="province"))
    html = client.get(reverse("dossier_submit", args=[listed.code])).content.decode()
    assert "submit-unavailable" in html and "submit-form" not in html
    assert client.get(reverse("dossier_submit", args=["9.999999"])).status_code == 404


def test_unit_choice_defaults_to_the_portal_ward(client, world, settings):
    settings.DEFAULT_UNIT_CODE = world.unit.code
    login(client, world.citizen)
    html = client.get(reverse("dossier_submit", args=[world.procedure.code])).content.decode()
    assert re.search(rf'<option value="{world.unit.pk}" selected>', html)
    assert world.other_unit.name in html
    key = form_key(client, world.procedure)
    client.post(
        reverse("dossier_submit", args=[world.procedure.code]),
        {"key": key, "unit": world.other_unit.pk, "document_1": upload()},
    )
    client.post(review_url(world, key))
    assert Dossier.objects.get().unit == world.other_unit


def test_review_of_someone_elses_or_a_stale_draft_goes_back_to_the_form(client, world):
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    continue_to_review(client, world, key)
    login(client, world.other_citizen)
    response = client.post(review_url(world, key))
    assert response.status_code == 302 and response["Location"] == reverse(
        "dossier_submit", args=[world.procedure.code]
    )
    assert not Dossier.objects.exists()
    stale = client.get(reverse("dossier_submit_review", args=[world.procedure.code, "not-a-key"]))
    assert stale.status_code == 302 and stale["Location"] == reverse("dossier_submit", args=[world.procedure.code])


def test_abandoned_drafts_are_swept(client, world, settings):
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    continue_to_review(client, world, key)
    assert dossier_drafts_sweep() == 0
    assert dossier_drafts_sweep(now=timezone.now() + settings.DOSSIER_DRAFT_TTL + timedelta(minutes=1)) == 1
    assert dossier_draft_get(applicant=world.citizen, key=key) is None
    assert default_storage.listdir(DRAFT_ROOT) == ([], [])


# --- my dossiers and a dossier's page -----------------------------------------------------------------------


def test_my_dossiers_lists_only_mine_with_status_filter(client, world):
    mine = world.to_status(DossierStatus.RECEIVED)
    submitted = world.submit()
    theirs = world.submit(citizen=world.other_citizen)
    login(client, world.citizen)
    html = client.get(reverse("my_dossiers")).content.decode()
    assert mine.code in html and submitted.code in html and theirs.code not in html
    assert timezone.localtime(mine.due_at).strftime("%H:%M %d/%m/%Y") in html
    html = client.get(reverse("my_dossiers"), {"status": "received"}).content.decode()
    assert mine.code in html and submitted.code not in html
    assert client.get(reverse("my_dossiers"), {"status": "bogus"}).status_code == 400


def test_my_dossiers_shows_the_new_date_and_timeliness(client, world):
    late = world.to_status(DossierStatus.IN_PROGRESS)
    new_due = late.due_at + timedelta(days=3)
    late = world.act(world.specialist, late, Action.REDATE, new_due_at=new_due)
    done = world.to_status(DossierStatus.DONE)
    login(client, world.citizen)
    html = client.get(reverse("my_dossiers")).content.decode()
    assert timezone.localtime(new_due).strftime("%H:%M %d/%m/%Y") in html and "ngày hẹn mới" in html
    row = html[html.index(f'data-code="{done.code}"') :]
    assert "Trước hạn" in row.split("</tr>")[0] or "Đúng hạn" in row.split("</tr>")[0]


def test_my_dossiers_queries_do_not_grow(client, world, django_assert_max_num_queries):
    login(client, world.citizen)
    world.submit()
    client.get(reverse("my_dossiers"))
    with django_assert_max_num_queries(5) as few:
        client.get(reverse("my_dossiers"))
    for _ in range(6):
        world.to_status(DossierStatus.RECEIVED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("my_dossiers")).content.decode()
    assert html.count("data-code=") == 7


def test_detail_shows_status_history_reasons_files_and_actions(client, world):
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    login(client, world.citizen)
    html = client.get(reverse("my_dossier_detail", args=[dossier.code])).content.decode()
    assert "Yêu cầu bổ sung" in html or "yêu cầu bổ sung" in html
    assert "Lý do" in html  # the request's reason is addressed to the citizen
    assert world.specialist.username not in html and world.desk.username not in html
    assert reverse("dossier_supplement", args=[dossier.code]) in html
    assert reverse("dossier_withdraw", args=[dossier.code]) in html
    document = dossier.documents.get()
    assert reverse("my_dossier_document", args=[dossier.code, document.pk]) in html
    assert "waiting" in html or "chờ bổ sung" in html.lower()


def test_detail_offers_the_papers_issued_to_the_citizen(client, world):
    """The receipt and the supplement request the desk printed are downloadable from "my dossiers"."""
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    login(client, world.citizen)
    response = client.get(reverse("my_dossier_detail", args=[dossier.code]))
    kinds = [slip.kind for slip in response.context["slips"]]
    assert kinds == ["receipt", "supplement_request"]
    html = response.content.decode()
    for slip in response.context["slips"]:
        assert reverse("slip_download", args=[dossier.code, slip.id]) in html


def test_internal_comments_stay_with_staff(client, world):
    dossier = world.to_status(DossierStatus.AWAITING_APPROVAL)
    world.act(world.leader, dossier, Action.SEND_BACK, comment="Ghi chú nội bộ cho chuyên viên")
    login(client, world.citizen)
    html = client.get(reverse("my_dossier_detail", args=[dossier.code])).content.decode()
    assert "Ghi chú nội bộ" not in html


def test_finished_dossier_has_no_actions(client, world):
    dossier = world.to_status(DossierStatus.RETURNED)
    login(client, world.citizen)
    html = client.get(reverse("my_dossier_detail", args=[dossier.code])).content.decode()
    assert "dossier-actions" not in html and "detail-timeliness" in html


def test_file_download_is_an_attachment_with_nosniff(client, world):
    dossier = world.submit(files=[(world.mandatory, upload("Tờ khai số 1.pdf"))])
    document = dossier.documents.get()
    login(client, world.citizen)
    response = client.get(reverse("my_dossier_document", args=[dossier.code, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "T%E1%BB%9D%20khai%20s%E1%BB%91%201.pdf" in response["Content-Disposition"]


def test_another_citizens_dossier_and_file_are_404_staff_403(client, world):
    dossier = world.submit()
    document = dossier.documents.get()
    urls = [
        reverse("my_dossier_detail", args=[dossier.code]),
        reverse("my_dossier_document", args=[dossier.code, document.pk]),
        reverse("dossier_supplement", args=[dossier.code]),
        reverse("dossier_withdraw", args=[dossier.code]),
        reverse("dossier_submitted", args=[dossier.code]),
    ]
    login(client, world.other_citizen)
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert client.post(urls[3], {"expected_status": "submitted"}).status_code == 404
    login(client, world.desk)
    assert [client.get(url).status_code for url in urls] == [403] * len(urls)
    # A file of one of my dossiers under another of my codes is not found either.
    mine = world.submit()
    login(client, world.citizen)
    assert client.get(reverse("my_dossier_document", args=[dossier.code, document.pk])).status_code == 200
    assert client.get(reverse("my_dossier_document", args=[mine.code, document.pk])).status_code == 404


# --- supplement and withdrawal ------------------------------------------------------------------------------


def test_answer_a_supplement_request(client, world):
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    login(client, world.citizen)
    url = reverse("dossier_supplement", args=[dossier.code])
    html = client.get(url).content.decode()
    assert "Lý do" in html and "supplement-form" in html
    assert client.post(url, {"expected_status": dossier.status}).status_code == 400  # no file
    response = client.post(url, {"expected_status": dossier.status, "document_2": upload("uy-quyen.png", png_bytes())})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS
    assert DossierDocument.objects.filter(dossier=dossier, original_name="uy-quyen.png").exists()
    assert dossier.history.last().action == Action.SUPPLEMENT


def test_resubmit_after_guidance(client, world):
    dossier = world.to_status(GUIDANCE)
    login(client, world.citizen)
    url = reverse("dossier_supplement", args=[dossier.code])
    response = client.post(url, {"expected_status": dossier.status, "document_1": upload("to-khai-moi.pdf")})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.history.last().action == Action.RESUBMIT


def test_supplement_conflict_says_the_dossier_moved_on(client, world):
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    login(client, world.citizen)
    url = reverse("dossier_supplement", args=[dossier.code])
    client.get(url)
    world.act(world.citizen, dossier, Action.WITHDRAW)  # meanwhile, from another tab
    response = client.post(url, {"expected_status": "supplement_requested", "document_1": upload()})
    assert response.status_code == 409
    assert "đã chuyển sang bước khác" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.WITHDRAWN


def test_a_supplement_may_bring_several_files_for_one_document(client, world):
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    login(client, world.citizen)
    url = reverse("dossier_supplement", args=[dossier.code])
    assert re.search(r'<input type="file" name="document_2"[^>]* multiple', client.get(url).content.decode())
    before = dossier.documents.count()
    pages = [upload("uy-quyen-1.png", png_bytes(), "image/png"), upload("uy-quyen-2.png", png_bytes(), "image/png")]
    response = client.post(url, {"expected_status": dossier.status, "document_2": pages})
    assert response.status_code == 302
    added = dossier.documents.order_by("pk")[before:]
    assert [d.original_name for d in added] == ["uy-quyen-1.png", "uy-quyen-2.png"]


def test_bad_supplement_file_is_refused_naming_the_document(client, world):
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    login(client, world.citizen)
    url = reverse("dossier_supplement", args=[dossier.code])
    response = client.post(url, {"expected_status": dossier.status, "document_1": upload("x.pdf", HTML)})
    assert response.status_code == 400 and "Tờ khai" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUPPLEMENT_REQUESTED


def test_supplement_page_when_nothing_is_asked(client, world):
    dossier = world.submit()
    login(client, world.citizen)
    html = client.get(reverse("dossier_supplement", args=[dossier.code])).content.decode()
    assert "supplement-not-possible" in html and "supplement-form" not in html


def test_withdraw_with_confirmation(client, world):
    dossier = world.to_status(DossierStatus.RECEIVED)
    login(client, world.citizen)
    url = reverse("dossier_withdraw", args=[dossier.code])
    assert "withdraw-form" in client.get(url).content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.RECEIVED  # GET changes nothing
    response = client.post(url, {"expected_status": "received", "reason": "Tôi nộp nhầm thủ tục"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN and dossier.history.last().comment == "Tôi nộp nhầm thủ tục"
    assert "withdraw-not-possible" in client.get(url).content.decode()
    again = client.post(url, {"expected_status": "received"})
    assert again.status_code == 409 and "đã chuyển sang bước khác" in again.content.decode()


def test_withdraw_not_offered_when_done(client, world):
    dossier = world.to_status(DossierStatus.DONE)
    login(client, world.citizen)
    html = client.get(reverse("dossier_withdraw", args=[dossier.code])).content.decode()
    assert "withdraw-not-possible" in html and "withdraw-form" not in html


def test_english_pages(client, world, english):
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    login(client, world.citizen)
    client.cookies["motcua_language"] = "en"
    html = client.get(reverse("my_dossier_detail", args=[dossier.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Upload the missing documents" in html and "supplement requested" in html.lower()
    html = client.get(reverse("dossier_submit", args=[world.procedure.code]), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Continue to review" in html


def test_document_of_the_conditional_kind_is_shown_with_its_note_in_the_review(client, world):
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    continue_to_review(
        client,
        world,
        key,
        document_1=upload("to-khai.pdf"),
        document_2=upload("uy-quyen.jpg", jpeg_bytes(), "image/jpeg"),
    )
    html = client.get(review_url(world, key)).content.decode()
    assert "to-khai.pdf" in html and "uy-quyen.jpg" in html and "Giấy ủy quyền" in html


def test_extra_document_of_another_procedure_is_not_a_field(client, world):
    stranger = RequiredDocumentFactory(procedure=ProcedureFactory(), position=9)
    login(client, world.citizen)
    key = form_key(client, world.procedure)
    continue_to_review(client, world, key, document_1=upload(), document_9=upload("x.pdf"))
    client.post(review_url(world, key))
    assert not Dossier.objects.get().documents.filter(required_document=stranger).exists()
