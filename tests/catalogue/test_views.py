"""Public pages: catalogue browse and search, procedure detail, printable checklist, templates."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from procedures.services.demo import DEMO_PASSWORD, seed_demo
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_catalogue_is_linked_from_the_navigation_and_the_home_page(client):
    html = page(client, "/")
    assert 'href="/thu-tuc/"' in html
    assert 'id="home-catalogue-search"' in html


def test_catalogue_groups_procedures_by_field(client, shipped):
    html = page(client, "/thu-tuc/")
    assert "Tra cứu theo lĩnh vực" in html
    assert "Hộ tịch" in html and "Chứng thực" in html
    assert "Tìm thấy 44 thủ tục" in html or "Tìm thấy" in html


def test_search_without_diacritics_finds_the_procedure(client, shipped):
    html = page(client, "/thu-tuc/?search=chung+thuc+chu+ky")
    assert "Chứng thực chữ ký trong các giấy tờ" in html
    assert "Đăng ký khai sinh" not in html
    assert "Không chờ · khoảng 15 phút" in html


def test_filters_on_the_page(client, shipped):
    html = page(client, "/thu-tuc/?no_wait=true&field=chung-thuc")
    assert "Tìm thấy 2 thủ tục" in html
    html = page(client, "/thu-tuc/?online_level=none&field=xac-nhan")
    assert "Tìm thấy 5 thủ tục" in html


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("field=khong-co", "field"), ("no_wait=maybe", "no_wait"), ("online_level=sometimes", "online_level")],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(client, shipped, query, parameter):
    html = page(client, f"/thu-tuc/?{query}", status=400)
    assert f"<code>{parameter}</code>" in html
    assert "Một số điều kiện lọc không hợp lệ" in html


def test_the_catalogue_paginates(client, shipped):
    first = page(client, "/thu-tuc/")
    assert "Trang 1 / 3" in first
    third = page(client, "/thu-tuc/?page=3")
    assert "Trang 3 / 3" in third


@time_machine.travel(datetime(2026, 1, 7, 10, 0, tzinfo=HANOI), tick=False)
def test_detail_page_of_a_no_wait_procedure(client, shipped):
    html = page(client, "/thu-tuc/2.000884/")
    assert "Chứng thực chữ ký trong các giấy tờ" in html
    assert 'id="no-wait-badge"' in html and "khoảng 15 phút" in html
    assert "Trong ngày làm việc; nếu tiếp nhận sau 15:00 thì trả trong ngày làm việc tiếp theo" in html
    assert "thời hạn trả kết quả là" in html
    assert 'datetime="2026-01-07T17:00:00+07:00"' in html and "17:00, Thứ Tư 07/01/2026" in html
    assert "10.000 đồng" in html and "một hoặc nhiều chữ ký" in html
    assert "Căn cước công dân (CCCD) hoặc hộ chiếu còn giá trị" in html and "Bản chính để xuất trình" in html
    assert "Tiếp nhận, kiểm tra hồ sơ" in html and "Bộ phận Một cửa, 5 phút" in html
    assert "Tổng thời gian: 15 phút, trong thời hạn giải quyết theo quy định." in html
    assert "Nghị định 23/2015/NĐ-CP" in html
    assert "Đặt lịch hẹn (sắp có)" in html
    assert 'id="submit-online"' not in html  # in person only


@time_machine.travel(datetime(2026, 1, 7, 16, 0, tzinfo=HANOI), tick=False)
def test_after_the_cut_off_the_result_is_due_the_next_working_day(client, shipped):
    html = page(client, "/thu-tuc/2.000815/")
    assert "17:00, Thứ Năm 08/01/2026" in html
    assert "Nộp hồ sơ trực tuyến (sắp có)" in html  # partly online


def test_detail_page_in_english(client, shipped):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = page(client, "/thu-tuc/1.000656/")
    assert "Death registration" in html
    assert "Within the working day; the next working day if received after 15:00" in html
    assert "The result is returned while you wait, in about 15 minutes." in html


def test_sources_are_shown_to_staff_only(client, shipped):
    assert "Sources and notes" not in page(client, "/thu-tuc/LC.QS-01/")
    assert "Nguồn và ghi chú" not in page(client, "/thu-tuc/LC.QS-01/")
    staff = UserFactory(unit_admin=True)
    client.force_login(staff)
    assert "provisional local code" in page(client, "/thu-tuc/LC.QS-01/")


def test_unknown_or_inactive_procedure_is_a_404_with_a_message(client):
    html = page(client, "/thu-tuc/9.999999/", status=404)
    assert "Danh mục không có thủ tục mã 9.999999" in html
    inactive = ProcedureFactory(is_active=False)
    assert "Không tìm thấy thủ tục" in page(client, f"/thu-tuc/{inactive.code}/", status=404)


def test_printable_checklist(client, shipped):
    html = page(client, "/thu-tuc/1.001193/in/")
    assert 'data-print id="print-button"' in html
    assert "Tờ khai đăng ký khai sinh (theo mẫu)" in html and "Giấy chứng sinh" in html
    assert 'class="check-box"' in html
    assert "/static/css/catalogue.css" in html


def test_detail_page_needs_fewer_than_10_queries(client, shipped, django_assert_max_num_queries):
    """Four for the procedure (with field, documents, steps, units); the working calendar is cached.

    The first request after a calendar change also loads the unit's calendar (about six queries).
    """
    client.get("/thu-tuc/1.001193/")
    with django_assert_max_num_queries(4):
        client.get("/thu-tuc/1.001193/")
    seed_demo()
    client.post("/accounts/login/", {"username": "citizen", "password": DEMO_PASSWORD})
    client.get("/thu-tuc/1.001193/")
    with django_assert_max_num_queries(6):  # + session and user
        response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 200


def test_catalogue_page_queries_do_not_grow_with_the_results(client, shipped, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/thu-tuc/")


def test_form_templates_download_as_attachments(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = RequiredDocumentFactory(name="Tờ khai")
    document.template.save("to-khai.pdf", ContentFile(b"%PDF-1.4 mau"), save=True)
    html = page(client, f"/thu-tuc/{document.procedure.code}/")
    url = f"/thu-tuc/{document.procedure.code}/mau/{document.pk}/"
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 mau"
    other = RequiredDocumentFactory()
    assert client.get(f"/thu-tuc/{other.procedure.code}/mau/{other.pk}/").status_code == 404
    assert client.get(f"/thu-tuc/{other.procedure.code}/mau/{document.pk}/").status_code == 404


def test_field_counts_in_the_side_menu_follow_catalogue_changes(client):
    def count_shown():
        html = page(client, "/thu-tuc/")
        return int(re.search(r'Hộ tịch<span class="badge text-bg-light">(\d+)</span>', html).group(1))

    procedure = ProcedureFactory(field__name="Hộ tịch")
    assert count_shown() == 1  # now cached
    ProcedureFactory(field=procedure.field)
    ProcedureFactory(field=procedure.field)
    procedure.is_active = False
    procedure.save()
    assert count_shown() == 2
