"""Feedback pages: the public form (confirmation with the code, field errors, nothing saved, rate limit), the
status lookup (same answer for a wrong contact and an unknown code), the published answers (no personal data),
and the staff list, log and detail (assign, start, answer, reject, a stale version is a 409)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures.models import Feedback
from procedures.services.feedback import feedback_answer, feedback_assign

from .conftest import MONDAY_10, hanoi, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["motcua_language"] = "en"
    return client


FORM = {
    "kind": "report",
    "unit": "H26.08.04",
    "subject": "Thiếu ghế chờ",
    "content": "Phòng chờ không đủ ghế.",
    "sender_name": "Lê Văn C",
    "sender_phone": "0912 345 678",
}


def test_sending_feedback_shows_the_code_once(client, world):
    with time_machine.travel(MONDAY_10, tick=False):
        response = client.post("/phan-anh/", FORM, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 302
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi")
    assert "PA-H26.08.04-260309-0001" in page.content.decode()
    assert "Phản ánh của bạn đã được tiếp nhận" in page.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.sender_phone, feedback.channel, feedback.unit) == ("0912345678", "online", world.unit)
    again = client.get("/phan-anh/?gui=1", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "PA-H26.08.04-260309-0001" not in again


def test_bad_input_is_a_400_with_field_messages_and_nothing_saved(client, en, world):
    response = client.post("/phan-anh/", {**FORM, "subject": "", "sender_phone": "", "sender_email": "x@"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_subject"' in html and "This field is required." in html
    assert "Enter a valid e-mail address" in html
    assert Feedback.objects.count() == 0
    # The typed content is kept in the form.
    assert "Phòng chờ không đủ ghế." in html


def test_a_wrong_dossier_phone_is_refused_on_the_dossier_field(client, en, world):
    with time_machine.travel(MONDAY_10, tick=False):
        dossier = world.submit()
    response = client.post("/phan-anh/", {**FORM, "dossier_code": dossier.code, "dossier_phone": "0999999999"})
    assert response.status_code == 400
    assert "No dossier matches this code and phone number" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_the_form_is_rate_limited_per_client(client, world, settings):
    settings.FEEDBACK_SUBMIT_RATE_PER_CLIENT = 2
    codes = [client.post("/phan-anh/", FORM).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Feedback.objects.count() == 2


def test_status_by_code_and_phone_or_email_and_one_answer_for_wrong_input(client, world):
    feedback = submit(world, sender_email="a@example.vn")
    feedback_answer(actor=world.leader, feedback=feedback.code, answer="Đã bổ sung ghế.")
    for contact in ("0912 345 678", "A@example.vn"):
        response = client.get("/phan-anh/tra-cuu/", {"code": feedback.code, "contact": contact})
        assert response.status_code == 200
        assert "Đã bổ sung ghế." in response.content.decode()
    wrong_contact = client.get("/phan-anh/tra-cuu/", {"code": feedback.code, "contact": "0999999999"})
    unknown_code = client.get("/phan-anh/tra-cuu/", {"code": "PA-H26.08.04-260309-0099", "contact": "0912345678"})
    assert wrong_contact.status_code == unknown_code.status_code == 404
    problems = [
        r.content.decode().split('id="feedback-problem">')[1].split("<")[0] for r in (wrong_contact, unknown_code)
    ]
    assert problems[0] == problems[1] and "Không có phản ánh nào khớp" in problems[0]
    assert "feedback-result" not in wrong_contact.content.decode()
    assert client.get("/phan-anh/tra-cuu/", {"code": "", "contact": ""}).status_code == 400


def test_published_answers_show_no_personal_data(client, world):
    shown = submit(world, subject="Giờ làm việc thứ Bảy", sender_email="bi.mat@example.vn")
    feedback_answer(actor=world.leader, feedback=shown.code, answer="Phường tiếp nhận sáng thứ Bảy.")
    hidden = submit(world, subject="Việc riêng")
    feedback_answer(actor=world.leader, feedback=hidden.code, answer="Đã gọi lại.", published=False)
    submit(world, subject="Chưa trả lời")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/phan-anh/tra-loi/").content.decode()
    assert "Phường tiếp nhận sáng thứ Bảy." in html and "Giờ làm việc thứ Bảy" in html
    assert "Việc riêng" not in html and "Chưa trả lời" not in html
    for personal in ("Nguyễn Văn A", "0912345678", "bi.mat@example.vn", shown.code):
        assert personal not in html
    assert len(queries) <= 6


def test_staff_list_filters_and_sorts_by_due(client, world):
    first = submit(world, at=MONDAY_10, subject="Thứ nhất")
    second = submit(world, at=hanoi(3, 10, 10), subject="Thứ hai")
    done = submit(world, subject="Đã xong")
    feedback_answer(actor=world.leader, feedback=done.code, answer="Xong.")
    submit(world, unit=world.other_unit, subject="Phường khác")
    client.force_login(world.desk)
    with time_machine.travel(hanoi(3, 30, 11), tick=False):
        html = client.get("/can-bo/phan-anh/", {"sort": "-due"}).content.decode()
        assert html.index(second.code) < html.index(first.code)
        assert "Đã xong" not in html and "Phường khác" not in html and "quá hạn" in html
        overdue = client.get("/can-bo/phan-anh/", {"overdue": "1"}).content.decode()
    assert first.code in overdue and second.code not in overdue
    assert done.code in client.get("/can-bo/phan-anh/", {"status": "answered"}).content.decode()
    client.force_login(world.district_leader)
    assert "Phường khác" in client.get("/can-bo/phan-anh/").content.decode()


def test_staff_log_then_assign_start_answer_through_the_pages(client, world):
    client.force_login(world.desk)
    response = client.post(
        "/can-bo/phan-anh/moi/",
        {
            "kind": "proposal",
            "channel": "in_person",
            "subject": "Thêm bảng hướng dẫn",
            "content": "Đề nghị đặt bảng hướng dẫn ở cổng.",
            "sender_name": "Phạm D",
            "sender_phone": "0912000111",
        },
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/can-bo/phan-anh/{feedback.code}/"
    assert feedback.logged_by == world.desk and feedback.channel == "in_person"
    url = response["Location"]
    assert client.post(url, {"action": "assign", "version": 1, "assigned_to": world.specialist.pk}).status_code == 302
    client.force_login(world.specialist)
    assert client.post(url, {"action": "start", "version": 2}).status_code == 302
    response = client.post(url, {"action": "answer", "version": 3, "answer": "Đã đặt bảng.", "published": "on"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answer, feedback.published) == ("answered", "Đã đặt bảng.", True)
    assert "trả lời đúng hạn" in client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()


def test_a_stale_answer_is_a_409_and_an_empty_one_a_400(client, en, world):
    feedback = submit(world)
    client.force_login(world.leader)
    url = f"/can-bo/phan-anh/{feedback.code}/"
    empty = client.post(url, {"action": "reject", "version": 1, "reason": " "})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    feedback_assign(actor=world.desk, feedback=feedback.code, assignee=world.specialist)
    stale = client.post(url, {"action": "answer", "version": 1, "answer": "Muộn"})
    assert stale.status_code == 409
    assert "Someone else changed this feedback first" in stale.content.decode()
    feedback.refresh_from_db()
    assert feedback.status == "received" and feedback.answer == ""


def test_the_public_and_staff_menus_link_the_feedback_pages(client, world):
    assert 'href="/phan-anh/"' in client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Phản ánh, kiến nghị" in client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    client.force_login(world.specialist)
    assert 'href="/can-bo/phan-anh/"' in client.get("/").content.decode()
    client.force_login(world.citizen)
    assert 'href="/can-bo/phan-anh/"' not in client.get("/").content.decode()


def test_the_staff_list_costs_the_same_queries_for_3_or_20_rows(client, world):
    client.force_login(world.leader)

    def queries_for(n):
        for i in range(n):
            feedback = submit(world, subject=f"Ý kiến {i}")
            feedback_assign(actor=world.desk, feedback=feedback, assignee=world.specialist)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/can-bo/phan-anh/", {"status": "", "sort": "received"})
        assert response.status_code == 200
        return len(captured)

    small = queries_for(3)
    assert queries_for(17) == small


def test_trying_dossier_codes_and_phones_is_limited_like_the_lookup(client, world, settings):
    settings.LOOKUP_RATE_PER_CODE = 2
    with time_machine.travel(MONDAY_10, tick=False):
        dossier = world.submit()
    data = {**FORM, "dossier_code": dossier.code}
    statuses = [client.post("/phan-anh/", {**data, "dossier_phone": f"09000000{i:02d}"}).status_code for i in range(3)]
    assert statuses == [400, 400, 429]
    # Typing mistakes are not counted: an empty subject is a 400 however often.
    assert {client.post("/phan-anh/", {**FORM, "subject": ""}).status_code for _ in range(8)} == {400}
    assert Feedback.objects.count() == 0
