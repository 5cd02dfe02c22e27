"""GET /api/procedures/ and /api/procedures/{code}/: shape, search, filters, errors."""

import pytest

from procedures.models import Field, Procedure
from procedures.services.catalogue import procedure_save
from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

ITEM_KEYS = {"code", "name", "name_en", "field", "no_wait", "no_wait_minutes", "deadline", "fee", "online_level", "url"}


def test_list_shape_and_pagination(client, shipped):
    body = client.get("/api/procedures/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 54 and len(body["results"]) == 20
    assert body["next"].endswith("/api/procedures/?page=2")
    item = body["results"][0]
    assert set(item) == ITEM_KEYS
    assert set(item["deadline"]) >= {"amount", "unit"}
    assert set(item["fee"]) >= {"kind", "amount", "currency"}
    assert set(item["field"]) == {"code", "name", "name_en"}
    assert client.get("/api/procedures/?page=3").json()["results"]


def test_a_no_wait_item(client, shipped):
    body = client.get("/api/procedures/?search=chung+thuc+chu+ky").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["code"] == "2.000884"
    assert item["no_wait"] is True and item["no_wait_minutes"] == 15
    assert item["deadline"] == {
        "amount": 1,
        "unit": "same_day_cutoff",
        "cutoff": "15:00",
        "working_minutes": 480,
        "text": "Trong ngày làm việc; nếu tiếp nhận sau 15:00 thì trả trong ngày làm việc tiếp theo",
    }
    assert item["fee"]["kind"] == "fixed" and item["fee"]["amount"] == 10000 and item["fee"]["currency"] == "VND"
    assert item["online_level"] == "none"
    assert item["url"] == "http://testserver/thu-tuc/2.000884/"


@pytest.mark.parametrize("search", ["chung thuc", "Chứng Thực", "CHUNG THUC"])
def test_search_ignores_diacritics_and_case(client, shipped, search):
    codes = {p["code"] for p in client.get("/api/procedures/", {"search": search}).json()["results"]}
    assert {"2.000815", "2.000884"} <= codes and "1.001193" not in codes


def test_filters(client, shipped):
    no_wait = client.get("/api/procedures/?no_wait=true").json()
    assert no_wait["count"] == 9 and all(p["no_wait"] for p in no_wait["results"])
    waiting = client.get("/api/procedures/?no_wait=false").json()
    assert waiting["count"] == 45
    residence = client.get("/api/procedures/?field=cu-tru&online_level=full").json()
    assert residence["count"] == 9 and {p["field"]["code"] for p in residence["results"]} == {"cu-tru"}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("no_wait=maybe", "no_wait"),
        ("field=khong-co", "field"),
        ("online_level=sometimes", "online_level"),
        ("search=" + "x" * 101, "search"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(client, shipped, query, parameter):
    response = client.get(f"/api/procedures/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert body["detail"].startswith(f"{parameter}: ")
    assert parameter in body["errors"]


def test_detail_shape(client, shipped):
    body = client.get("/api/procedures/1.001193/").json()
    assert set(body) >= ITEM_KEYS | {"documents", "steps", "units", "legal_basis", "applicant", "result"}
    assert body["documents"][0] == {
        "position": 1,
        "name": "Tờ khai đăng ký khai sinh (theo mẫu)",
        "name_en": "Birth registration form",
        "form": "original",
        "count": 1,
        "note": "",
        "note_en": "",
        "template_url": None,
    }
    assert sum(s["allotment_minutes"] for s in body["steps"]) <= body["deadline"]["working_minutes"]
    assert body["units"] == []  # every ward and commune
    local = client.get("/api/procedures/HL.XN-01/").json()
    assert local["units"] == [{"code": "H26.08.04", "name": "Phường Hoàng Liệt"}]


def test_unknown_code_is_a_404_with_a_message(client, db):
    response = client.get("/api/procedures/9.999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không có thủ tục mã 9.999999."}


def test_the_due_route_is_not_swallowed_by_the_detail_route(client, shipped):
    body = client.get("/api/procedures/2.000884/due/?received_at=2026-01-07T10:00:00%2B07:00").json()
    assert body["due_at"] == "2026-01-07T17:00:00+07:00"


def test_the_api_is_documented(client, db):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/procedures/{code}/:" in schema and "/api/procedures/:" in schema
    assert "no_wait_minutes" in schema


@pytest.mark.parametrize(
    ("url", "cold"),
    [
        ("/api/procedures/", 3),  # first page of everything: side-menu fields (filter choices), count, page
        ("/api/procedures/?search=chung+thuc", 3),
        ("/api/procedures/?search=dang+ky&no_wait=false&online_level=partial", 3),
        ("/api/procedures/?field=ho-tich", 3),
        ("/api/procedures/?page=2", 3),
        ("/api/procedures/?search=khong+co+thu+tuc+nay", 2),  # nothing found: no page to fetch
    ],
)
def test_list_queries_are_constant_and_none_once_cached(client, shipped, url, cold, django_assert_num_queries):
    """The number of queries does not depend on the size of the result; a repeated request makes none."""
    with django_assert_num_queries(cold):
        first = client.get(url).json()
    with django_assert_num_queries(0):
        assert client.get(url).json() == first
    field = Field.objects.get(code="ho-tich")
    for n in range(45):
        ProcedureFactory(field=field, name=f"Đăng ký chứng thực thêm {n}", online_level="partial")
    with django_assert_num_queries(cold):  # the new procedures replaced the cache token
        client.get(url)
    with django_assert_num_queries(0):
        client.get(url)


def test_cached_answers_follow_the_language_and_the_host(client, shipped):
    url = "/api/procedures/?search=chung+thuc+chu+ky"
    vi = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").json()["results"][0]
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert vi["deadline"]["text"].startswith("Trong ngày làm việc")
    assert en["deadline"]["text"].startswith("Within the working day")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="vi").json()["results"][0] == vi
    other_host = client.get(url, HTTP_HOST="localhost").json()["results"][0]
    assert other_host["url"] == "http://localhost/thu-tuc/2.000884/"
    assert (
        client.get("/api/procedures/?page=2", HTTP_HOST="localhost")
        .json()["previous"]
        .startswith("http://localhost/api/procedures/")
    )


def test_cached_answers_follow_catalogue_changes(client, shipped):
    assert client.get("/api/procedures/?search=ten+moi").json()["count"] == 0
    before = client.get("/api/procedures/1.001193/").json()
    procedure = Procedure.objects.get(code="1.001193")
    procedure.name = "Đăng ký khai sinh (tên mới)"
    procedure_save(procedure=procedure, reason="test")
    found = client.get("/api/procedures/?search=ten+moi").json()
    assert [p["code"] for p in found["results"]] == ["1.001193"]
    step = procedure.steps.first()
    step.description = "Bước đã sửa"
    step.save()
    after = client.get("/api/procedures/1.001193/").json()
    assert after["name"] == "Đăng ký khai sinh (tên mới)" != before["name"]
    assert "Bước đã sửa" in [s["description"] for s in after["steps"]]
    procedure.is_active = False
    procedure.save()
    assert client.get("/api/procedures/1.001193/").status_code == 404
    assert client.get("/api/procedures/?search=ten+moi").json()["count"] == 0


def test_conditional_get_with_the_etag(client, shipped, django_assert_num_queries):
    url = "/api/procedures/?search=chung+thuc"
    first = client.get(url)
    etag = first["ETag"]
    with django_assert_num_queries(0):
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged["ETag"] == etag and unchanged.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    detail = client.get("/api/procedures/2.000884/")
    assert client.get("/api/procedures/2.000884/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    procedure = Procedure.objects.get(code="2.000884")
    procedure.fee_amount = 12000
    procedure.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert client.get("/api/procedures/2.000884/", HTTP_IF_NONE_MATCH=detail["ETag"]).json()["fee"]["amount"] == 12000
    assert "ETag" not in client.get("/api/procedures/?no_wait=maybe")  # errors are not cached
