"""Public pages: catalogue browse and search, procedure detail, printable checklist, templates."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.units.models import Unit
from procedures.catalogue_cache import catalogue_version
from procedures.models import Field, Procedure
from procedures.services.catalogue import field_save, procedure_save
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
    assert 'href="/thu-tuc/2.000884/dat-lich/" id="book-visit"' in html  # booking_new exists (issue 12)
    assert 'id="submit-online"' not in html  # in person only


@time_machine.travel(datetime(2026, 1, 7, 16, 0, tzinfo=HANOI), tick=False)
def test_after_the_cut_off_the_result_is_due_the_next_working_day(client, shipped):
    html = page(client, "/thu-tuc/2.000815/")
    assert "17:00, Thứ Năm 08/01/2026" in html
    assert 'href="/thu-tuc/2.000815/nop/" id="submit-online">Nộp hồ sơ trực tuyến</a>' in html  # partly online


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


def test_detail_page_queries(client, shipped, django_assert_num_queries):
    """Cold: four for the procedure (with field, documents, steps, units) and four for the unit's working
    calendar; then the procedure and the calendar are cached: none for a visitor; session, user and the
    navbar's unread-notification count when signed in."""
    with django_assert_num_queries(8):
        client.get("/thu-tuc/1.001193/")
    with django_assert_num_queries(0):
        client.get("/thu-tuc/1.001193/")
    seed_demo()
    client.post("/accounts/login/", {"username": "citizen", "password": DEMO_PASSWORD})
    client.get("/thu-tuc/1.001193/")
    with django_assert_num_queries(3):  # session, user, unread notifications
        response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url", "cold"),
    [
        ("/thu-tuc/", 3),  # browse, 54 results over 3 pages: side menu, count, page
        ("/thu-tuc/?search=dang+ky", 3),
        ("/thu-tuc/?field=ho-tich&page=2", 3),
        ("/thu-tuc/?no_wait=true&online_level=none&search=xac+nhan", 3),  # every filter at once
        ("/thu-tuc/?search=khong+co+thu+tuc+nay", 2),  # nothing found: no page to fetch after a count of 0
    ],
)
def test_catalogue_page_queries_are_constant_and_none_once_cached(
    client, shipped, url, cold, django_assert_num_queries
):
    """Cold: the side menu's field counts, the count and the page, whatever the result size; warm: none.
    Forty-five more procedures change the results, not the number of queries."""
    with django_assert_num_queries(cold):
        page(client, url)
    with django_assert_num_queries(0):
        page(client, url)
    field = Field.objects.get(code="ho-tich")
    for n in range(45):
        ProcedureFactory(field=field, name=f"Đăng ký xác nhận thêm {n}", quick=True, online_level="none")
    with django_assert_num_queries(cold):  # the new procedures replaced the cache token and the side menu
        page(client, url)
    with django_assert_num_queries(0):
        page(client, url)


def test_catalogue_page_follows_catalogue_changes(client, shipped):
    """The cached page content is keyed by the catalogue token: every write path replaces it."""
    assert "Tìm thấy 54 thủ tục" in page(client, "/thu-tuc/")
    procedure = Procedure.objects.get(code="1.001193")
    procedure.name = "Đăng ký khai sinh (tên mới)"
    procedure_save(procedure=procedure, reason="test")
    assert "Đăng ký khai sinh (tên mới)" in page(client, "/thu-tuc/?search=ten+moi")
    assert "Đăng ký khai sinh (tên mới)" in page(client, "/thu-tuc/")
    field = Field.objects.get(code="ho-tich")
    field.name = "Hộ tịch (đổi tên)"
    field_save(field=field, reason="test")
    assert "Hộ tịch (đổi tên)" in page(client, "/thu-tuc/")
    procedure.is_active = False
    procedure.save()
    html = page(client, "/thu-tuc/")
    assert "Tìm thấy 53 thủ tục" in html and "(tên mới)" not in html


def test_cached_pages_never_mix_languages(client, shipped):
    vi = page(client, "/thu-tuc/?search=khai+tu")
    assert "Tờ khai đăng ký khai sinh (theo mẫu)" in page(client, "/thu-tuc/1.001193/")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    detail = page(client, "/thu-tuc/1.001193/")
    assert "Birth registration form" in detail and "Tờ khai đăng ký khai sinh (theo mẫu)" not in detail
    en = page(client, "/thu-tuc/?search=khai+tu")
    assert "Death registration" in en and "Đăng ký khai tử" not in en
    assert "Đăng ký khai tử" in vi and "Death registration" not in vi
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    again = page(client, "/thu-tuc/?search=khai+tu")
    assert "Đăng ký khai tử" in again and "Death registration" not in again


def test_a_cached_page_still_greets_each_visitor_with_their_own_header(client, shipped):
    """Only the content block is cached: the signed-in user and their logout form's CSRF token stay per request
    (a signed-out visitor's page has no token at all: the language switch needs none)."""
    anonymous = page(client, "/thu-tuc/")
    assert "Đăng nhập" in anonymous and "csrfmiddlewaretoken" not in anonymous
    citizen = UserFactory(full_name="Nguyễn Thị Mai")
    client.force_login(citizen)
    html = page(client, "/thu-tuc/")
    assert 'id="current-user">Nguyễn Thị Mai<' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    other = Client()
    other.force_login(UserFactory(full_name="Lê Văn Nam"))
    other_html = page(other, "/thu-tuc/")
    assert 'id="current-user">Lê Văn Nam<' in other_html and "Nguyễn Thị Mai" not in other_html
    assert token != re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', other_html).group(1)


def test_detail_page_and_api_follow_changes_to_documents_steps_and_units(client, shipped, units):
    code = "1.001193"
    assert "Giấy tờ mới thêm" not in page(client, f"/thu-tuc/{code}/")
    assert client.get(f"/api/procedures/{code}/").json()["units"] == []
    procedure = Procedure.objects.get(code=code)
    RequiredDocumentFactory(procedure=procedure, position=99, name="Giấy tờ mới thêm")
    assert "Giấy tờ mới thêm" in page(client, f"/thu-tuc/{code}/")
    ward = Unit.objects.get(code="H26.08.04")
    procedure.units.add(ward)
    assert "Phường Hoàng Liệt" in page(client, f"/thu-tuc/{code}/")
    ward.name = "Phường Hoàng Liệt (mới)"
    ward.save()
    assert "Phường Hoàng Liệt (mới)" in page(client, f"/thu-tuc/{code}/")
    assert client.get(f"/api/procedures/{code}/").json()["units"] == [
        {"code": "H26.08.04", "name": "Phường Hoàng Liệt (mới)"}
    ]
    procedure.steps.all().delete()
    assert "Quy trình nội bộ chưa được công khai" in page(client, f"/thu-tuc/{code}/")


def test_staff_notes_are_not_cached_for_anonymous_visitors(client, shipped):
    staff = UserFactory(unit_admin=True)
    client.force_login(staff)
    assert "Not found in any source" in page(client, "/thu-tuc/HL.XN-01/")
    client.logout()
    assert "Not found in any source" not in page(client, "/thu-tuc/HL.XN-01/")


def test_the_catalogue_token_changes_after_commit_and_after_migrate(db, django_capture_on_commit_callbacks):
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        ProcedureFactory()
        during = catalogue_version()
    assert len({before, during, catalogue_version()}) == 3
    after_commit = catalogue_version()
    call_command("migrate", verbosity=0)  # data migrations send no model signals
    assert catalogue_version() != after_commit


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


def test_an_editors_view_of_an_inactive_procedure_never_reaches_the_public(client):
    """Editors also see inactive procedures; what they saw must not be served from the shared cache."""
    hidden = ProcedureFactory(code="9.990001", name="Thủ tục đã bãi bỏ", quick=True, is_active=False)
    client.force_login(UserFactory(catalogue_editor=True))
    assert client.get(f"/thu-tuc/{hidden.code}/").status_code == 200
    assert client.get(f"/api/procedures/{hidden.code}/").status_code == 200
    client.logout()
    assert client.get(f"/thu-tuc/{hidden.code}/").status_code == 404
    assert client.get(f"/api/procedures/{hidden.code}/").status_code == 404
