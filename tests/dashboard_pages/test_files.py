"""Every table of the pages as CSV and Excel (read back), and the monthly report (PDF text)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from procedures.models import DashboardSnapshot
from tests.documents.helpers import read_pdf

pytestmark = pytest.mark.django_db

WARD = "/can-bo/bang-dieu-khien/"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _xlsx(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]


@pytest.mark.parametrize("table", ["headline", "procedures", "officers", "satisfaction", "feedback", "scores", "trend"])
def test_every_ward_table_exports(client, district_world, table):
    client.force_login(district_world["users"]["leader"])
    rows = _csv(client.get(WARD, {"table": table, "format": "csv"}))
    sheet = _xlsx(client.get(WARD, {"table": table, "format": "xlsx"}))
    assert rows[0] == [str(v) for v in sheet[0]]  # the same headers
    assert len(rows) == len(sheet) > 1


def test_exported_numbers_are_the_pages(client, district_world):
    client.force_login(district_world["users"]["leader"])
    rows = _csv(client.get(WARD, {"table": "procedures", "format": "csv"}))
    assert rows[0][:3] == ["Mã", "Thủ tục", "Đã nhận"]
    assert rows[1][:9] == ["1.001193", "Đăng ký khai sinh", "3", "2", "1", "1", "0", "1", "0"]
    assert rows[2][:9] == ["2.000815", "Chứng thực bản sao từ bản chính", "2", "1", "0", "0", "1", "1", "1"]
    sheet = _xlsx(client.get(WARD, {"table": "procedures", "format": "xlsx"}))
    assert sheet[1][:5] == ["1.001193", "Đăng ký khai sinh", 3, 2, 1]  # numbers stay numbers
    response = client.get(WARD, {"table": "procedures", "format": "xlsx"})
    assert 'filename="theo-thu-tuc_P1.D1.A_20260301-20260320.xlsx"' in response["Content-Disposition"]


def test_district_and_drill_down_export(client, district_world):
    client.force_login(district_world["users"]["district_leader"])
    rows = _csv(client.get("/can-bo/bang-dieu-khien/quan-huyen/", {"table": "wards", "format": "csv"}))
    assert [r[:2] for r in rows[1:]] == [["1/2", "Phường Bình"], ["2/2", "Phường An"]]
    listing = _csv(
        client.get("/can-bo/bang-dieu-khien/ho-so/", {"unit": "P1.D1.A", "measure": "late", "format": "csv"})
    )
    assert [r[0] for r in listing[1:]] == [district_world["dossiers"]["late"].code]


def test_bad_export_requests_are_refused(client, district_world):
    client.force_login(district_world["users"]["leader"])
    assert client.get(WARD, {"table": "headline", "format": "pdf"}).status_code == 400
    response = client.get(WARD, {"table": "nope", "format": "csv"})
    assert response.status_code == 400
    assert "csv hoặc xlsx" in response.content.decode()
    # A desk officer has no officers' table to export.
    client.force_login(district_world["users"]["desk"])
    assert client.get(WARD, {"table": "officers", "format": "csv"}).status_code == 400


def test_monthly_report_pdf(client, district_world):
    client.force_login(district_world["users"]["leader"])
    response = client.get("/can-bo/bang-dieu-khien/bao-cao/2026-03/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    paper = read_pdf(response.content)
    assert paper.sizes[0] == (841.89, 595.28)  # A4 landscape, for the wide table
    text = paper.text
    assert "UBND PHƯỜNG AN" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Tình hình, kết quả giải quyết thủ tục hành chính tháng 03/2026" in text
    assert "từ ngày 01/03/2026 đến ngày 20/03/2026" in text
    assert "Kính gửi: UBND Quận Một" in text
    # By field, sorted by name: Chứng thực (2 received, 1 late, 1 overdue) then Hộ tịch; the total row.
    assert "1 Chứng thực 2 1 0 0 1 1 0 1" in text
    assert "2 Hộ tịch 3 2 1 1 0 1 1 0" in text
    assert "Tổng cộng 5 3 1 1 1 2 1 1" in text
    assert "chưa được chốt" in text  # the month is not published yet
    assert "TM. ỦY BAN NHÂN DÂN" in text


def test_published_month_prints_its_snapshot(client, district_world):
    ward = district_world["ward_a"]
    DashboardSnapshot.objects.create(
        unit=ward,
        month="2026-02-01",
        figures={
            "received": 40,
            "resolved": 38,
            "early": 30,
            "on_time": 8,
            "late": 0,
            "in_progress": 2,
            "overdue_now": 0,
            "satisfaction": {"very_satisfied": 9, "satisfied": 1, "dissatisfied": 0},
            "feedback": {},
            "scores": {},
        },
    )
    client.force_login(district_world["users"]["leader"])
    text = read_pdf(client.get("/can-bo/bang-dieu-khien/bao-cao/2026-02/").content).text
    assert "Tổng cộng 40 38 30 8 0 2 2 0" in text
    assert "Rất hài lòng: 9 (90,0%)" in text
    assert "chưa được chốt" not in text


def test_monthly_report_refusals(client, district_world):
    users = district_world["users"]
    client.force_login(users["leader"])
    response = client.get("/can-bo/bang-dieu-khien/bao-cao/2026-04/")
    assert response.status_code == 400 and "chưa bắt đầu" in response.content.decode()
    assert client.get("/can-bo/bang-dieu-khien/bao-cao/2026-13/").status_code == 404
    assert client.get("/can-bo/bang-dieu-khien/bao-cao/2026-03/", {"unit": "P1.D1.B"}).status_code == 404
    client.force_login(users["desk"])
    assert client.get("/can-bo/bang-dieu-khien/bao-cao/2026-03/").status_code == 403
    client.force_login(users["district_leader"])
    assert client.get("/can-bo/bang-dieu-khien/bao-cao/2026-03/", {"unit": "P1.D1.B"}).status_code == 200
