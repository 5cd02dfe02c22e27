"""A table → CSV (UTF-8 with BOM, read back by the csv module) and XLSX (read back by openpyxl)."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from procedures.documents.exports import Table, table_csv, table_response, table_xlsx

TABLE = Table(
    title="Theo thủ tục: Phường Hoàng Liệt",
    headers=["Mã", "Thủ tục", "Tiếp nhận", "Tỷ lệ"],
    rows=[
        ["1.000656", "Chứng thực bản sao từ bản chính", 12, 0.975],
        ["2.000815", '=HYPERLINK("http://x")', 0, None],
        ["3.000001", "Đăng ký khai sinh", -3, date(2026, 1, 31)],
    ],
)


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_round_trip_keeps_vietnamese_and_numbers():
    rows = _csv_rows(table_csv(TABLE))
    assert rows[0] == ["Mã", "Thủ tục", "Tiếp nhận", "Tỷ lệ"]
    assert rows[1] == ["1.000656", "Chứng thực bản sao từ bản chính", "12", "0.975"]
    # A formula typed into a name stays text in a spreadsheet; negative numbers stay numbers.
    assert rows[2][1].startswith("'=HYPERLINK")
    assert rows[3] == ["3.000001", "Đăng ký khai sinh", "-3", "2026-01-31"]


def test_xlsx_round_trip():
    book = load_workbook(io.BytesIO(table_xlsx(TABLE)))
    sheet = book.active
    assert sheet.title == "Theo thủ tục  Phường Hoàng Liệt"[:31]
    assert sheet["A1"].value == TABLE.title
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert values[0] == TABLE.headers
    assert values[1] == ["1.000656", "Chứng thực bản sao từ bản chính", 12, 0.975]
    assert values[2][1].startswith("'=")
    assert values[3][2] == -3


def test_response_is_an_ascii_named_attachment():
    response = table_response(TABLE, "csv", suffix="H26.08.04_20260101-20260131")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="theo-thu-tuc-phuong-hoang-liet_H26.08.04_20260101-20260131.csv"' in disposition
    assert disposition.isascii()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    xlsx = table_response(TABLE, "xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@given(st.lists(st.lists(text, min_size=2, max_size=2), max_size=5))
def test_csv_reads_back_any_text(rows):
    body = table_csv(Table(title="t", headers=["a", "b"], rows=rows))
    parsed = _csv_rows(body)[1:]
    expected = [["'" + v if v.startswith(("=", "+", "-", "@")) and not _number(v) else v for v in r] for r in rows]
    assert parsed == expected


def _number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True
