"""A table of figures → a CSV or an Excel file, and the download response for either.

Every table on the dashboards is one `Table` (title, headers, rows); the page draws it and `?format=csv|xlsx`
answers it as a file. CSV is UTF-8 with a byte-order mark: without it Excel opens the file as the machine's
ANSI code page and the Vietnamese turns to mojibake. The file name is ASCII (the title without diacritics) in
`filename=` and the Vietnamese one in `filename*=` (RFC 6266), which Django's FileResponse writes for us.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import FileResponse
from unidecode import unidecode

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"
# Excel refuses sheet titles over 31 characters or with any of these.
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A cell starting with one of these is a formula to a spreadsheet: a name typed by a citizen must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """One table of a page: `rows` hold plain values (str, int, float, date, None), one per header."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    slug: str = ""  # the file name's stem; the title's ASCII form when empty

    def file_stem(self) -> str:
        stem = self.slug or unidecode(str(self.title))
        return re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower() or "bang"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _safe(value):
    """Numbers stay numbers; text that a spreadsheet would run as a formula is quoted with a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def table_csv(table: Table) -> bytes:
    """The header row, then the rows; UTF-8 with BOM, CRLF line ends (what Excel writes itself)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(h) for h in table.headers])
    for values in table.rows:
        writer.writerow([_text(_safe(v)) for v in values])
    return (BOM + out.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    """One sheet named after the table: the title in A1, the headers bold on row 3, then the rows, numbers as
    numbers so the leader can sum them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_FORBIDDEN.sub(" ", str(table.title))[:31] or "Sheet1"
    sheet.append([str(table.title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([str(h) for h in table.headers])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for values in table.rows:
        sheet.append([_safe(v) if not isinstance(v, datetime) else v.replace(tzinfo=None) for v in values])
    for index, header in enumerate(table.headers, start=1):
        width = max([len(str(header)), *(len(_text(r[index - 1])) for r in table.rows)] or [8])
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_response(table: Table, fmt: str, *, suffix: str = "") -> FileResponse:
    """The table as an attachment in `fmt` ("csv" or "xlsx"); `suffix` (e.g. the period) joins the file name."""
    body = table_csv(table) if fmt == "csv" else table_xlsx(table)
    stem = table.file_stem() + (f"_{suffix}" if suffix else "")
    response = FileResponse(io.BytesIO(body), as_attachment=True, filename=f"{stem}.{fmt}", content_type=FORMATS[fmt])
    response["X-Content-Type-Options"] = "nosniff"
    return response
