"""The catalogue file formats: reading and writing procedure rows as CSV or JSON, no database.

One row is one procedure; CSV and JSON hold the same columns.

CSV (UTF-8, with or without BOM; rows numbered as a spreadsheet shows them, header = row 1):
- `units`: unit codes separated by `;` (empty = offered by every ward and commune);
- `documents`: one document per line, `name | form | count | note | name_en | note_en | template`;
- `steps`: one step per line, `description | responsible | minutes | description_en | responsible_en`;
- booleans `true` / `false`, empty cells for no value, `deadline_cutoff` as `15:00`;
- formula injection (OWASP): a cell starting with `=`, `+`, `-`, `@`, tab or CR is written with a leading
  `'` so a spreadsheet shows it as text; a cell starting with `'` gets one more, so reading strips exactly
  one leading `'` from every cell and the round trip stays exact.
JSON: `{"format": "mot-cua-catalogue", "version": 1, "procedures": [row, …]}` (or a bare list), with
lists for `units`, `documents` and `steps` and native numbers / booleans / null.

Anything a file can hold ends as rows or as a `CatalogueFileError` listing `RowError`s, never another
exception: the importer's callers (command, admin, task) only have to report them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

FORMAT_NAME = "mot-cua-catalogue"
FORMAT_VERSION = 1
FORMATS = ("csv", "json")

SCALAR_COLUMNS = [
    "code",
    "name",
    "name_en",
    "field",
    "field_name",
    "field_name_en",
    "legal_basis",
    "applicant",
    "applicant_en",
    "implementing_level",
    "result",
    "result_en",
    "fee_kind",
    "fee_amount",
    "fee_description",
    "fee_description_en",
    "online_level",
    "deadline_amount",
    "deadline_unit",
    "deadline_cutoff",
    "no_wait",
    "no_wait_minutes",
    "is_active",
    "source_note",
]
COLUMNS = [*SCALAR_COLUMNS, "units", "documents", "steps"]
DOCUMENT_PARTS = ["name", "form", "count", "note", "name_en", "note_en", "template"]
STEP_PARTS = ["description", "responsible", "minutes", "description_en", "responsible_en"]

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
# The csv module refuses longer cells; a catalogue cell is a few KiB at most.
CSV_CELL_LIMIT = csv.field_size_limit()
JSON_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class RowError:
    """row: 1-based; in CSV the header is row 1 (as a spreadsheet numbers it), in JSON the first item is 1."""

    row: int | None
    field: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CatalogueFileError(ValueError):
    """The file cannot be imported; `errors` says where and why, in the active language."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@dataclass
class RawRow:
    """One procedure as the file holds it: scalars, `units` (list), `documents` / `steps` (lists of dicts)."""

    number: int
    values: dict
    cleaned: dict = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------------------------


def read_catalogue(data: bytes, fmt: str) -> list[RawRow]:
    """Parse a whole file; raises CatalogueFileError (never anything else) when it cannot be read."""
    if fmt not in FORMATS:
        raise CatalogueFileError(
            [RowError(None, None, _("unknown format “%(fmt)s”: use csv or json.") % {"fmt": str(fmt)[:20]})]
        )
    text = decode(data)
    rows, errors = read_csv(text) if fmt == "csv" else read_json(text)
    if errors:
        raise CatalogueFileError(errors)
    if not rows:
        raise CatalogueFileError([RowError(None, None, _("the file holds no procedures."))])
    return rows


def decode(data: bytes) -> str:
    if not data.strip():
        raise CatalogueFileError([RowError(None, None, _("the file is empty."))])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CatalogueFileError(
            [RowError(None, None, _("The file is UTF-16 text. Save it as “CSV UTF-8” or UTF-8 JSON."))]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogueFileError(
            [
                RowError(
                    line,
                    None,
                    _(
                        "The file is not UTF-8 text (first bad byte on line %(line)s). "
                        "Save it as “CSV UTF-8” or UTF-8 JSON."
                    )
                    % {"line": line},
                )
            ]
        ) from None
    if "\x00" in text:
        # Not text at all (the database cannot store NUL either).
        line = text[: text.index("\x00")].count("\n") + 1
        raise CatalogueFileError(
            [
                RowError(
                    line, None, _("The file holds a NUL byte: it is not a text file (line %(line)s).") % {"line": line}
                )
            ]
        )
    return text


def restore_cell(cell: str) -> str:
    """Undo `neutralise_cell`: drop exactly one leading `'`."""
    return cell[1:] if cell.startswith(TEXT_MARK) else cell


def _split_lines(cell: str, parts: list[str], column: str, number: int, errors: list[RowError]) -> list[dict]:
    items = []
    for index, line in enumerate(text for text in (cell or "").splitlines() if text.strip()):
        values = [v.strip() for v in line.split("|")]
        if len(values) > len(parts):
            errors.append(
                RowError(
                    number,
                    f"{column}[{index + 1}]",
                    _("too many parts: at most %(n)s separated by “|” (%(parts)s).")
                    % {"n": len(parts), "parts": " | ".join(parts)},
                )
            )
            continue
        items.append(dict(zip(parts, values, strict=False)))
    return items


def read_csv(text: str) -> tuple[list[RawRow], list[RowError]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[RawRow] = []
    errors: list[RowError] = []
    try:
        header = [restore_cell(h).strip() for h in next(reader, [])]
        errors = check_columns(header, row=1)
        if errors:
            return [], errors
        # Numbered by record, as a spreadsheet numbers its rows (a cell may span lines of the file).
        for number, record in enumerate((r for r in reader if r), start=2):
            row = _csv_row(record, header, number, errors)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        return [], [_csv_error(exc, reader.line_num)]
    return rows, errors


def _csv_error(exc: csv.Error, line: int) -> RowError:
    if "field larger than field limit" in str(exc):
        message = _("a cell is longer than %(limit)s characters (line %(line)s of the file).") % {
            "limit": CSV_CELL_LIMIT,
            "line": line,
        }
    else:
        message = _("not valid CSV near line %(line)s of the file: %(error)s") % {"line": line, "error": exc}
    return RowError(None, None, message)


def _csv_row(record: list[str], header: list[str], number: int, errors: list[RowError]) -> RawRow | None:
    if not any(cell.strip() for cell in record):
        return None  # a blank line in a spreadsheet export
    if len(record) > len(header):
        errors.append(RowError(number, None, _("more cells than columns.")))
        return None
    if len(record) < len(header):
        errors.append(RowError(number, None, _("fewer cells than columns.")))
        return None
    values = {}
    for name, cell in zip(header, record, strict=True):
        cell = restore_cell(cell)
        values[name] = cell if name in ("documents", "steps") else cell.strip()
    values["units"] = [u for u in re.split(r"[;,\s]+", values["units"]) if u]
    values["documents"] = _split_lines(values["documents"], DOCUMENT_PARTS, "documents", number, errors)
    values["steps"] = _split_lines(values["steps"], STEP_PARTS, "steps", number, errors)
    return RawRow(number, values)


def read_json(text: str) -> tuple[list[RawRow], list[RowError]]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [
            RowError(
                None,
                None,
                _("not valid JSON: %(error)s (line %(line)s, column %(col)s).")
                % {"error": exc.msg, "line": exc.lineno, "col": exc.colno},
            )
        ]
    except RecursionError:
        return [], [RowError(None, None, _("not valid JSON: nested too deeply."))]
    except ValueError as exc:  # e.g. a number with more digits than Python converts
        return [], [RowError(None, None, _("not valid JSON: %(error)s") % {"error": str(exc)[:200]})]
    if isinstance(payload, dict):
        if payload.get("format", FORMAT_NAME) != FORMAT_NAME:
            return [], [RowError(None, "format", _("expected “%(name)s”.") % {"name": FORMAT_NAME})]
        payload = payload.get("procedures")
    if not isinstance(payload, list):
        return [], [RowError(None, "procedures", _("expected a list of procedures."))]
    rows, errors = [], []
    for number, item in enumerate(payload, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(number, None, _("expected an object.")))
            continue
        row_errors = _json_row_errors(item, number)
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(RawRow(number, dict(item)))
    return rows, errors


def _json_row_errors(item: dict, number: int) -> list[RowError]:
    errors = check_columns(list(item), row=number)
    if errors:
        return errors
    scalar = _("expected text, a number, true/false or null.")
    nul = _("holds a NUL character, which is not text.")
    for name in SCALAR_COLUMNS:
        if not isinstance(item[name], JSON_SCALARS):
            errors.append(RowError(number, name, scalar))
        elif isinstance(item[name], str) and "\x00" in item[name]:  # "\u0000" in the JSON text
            errors.append(RowError(number, name, nul))
    if not isinstance(item["deadline_cutoff"], str | None):
        errors.append(RowError(number, "deadline_cutoff", _("expected a time such as “15:00”, or null.")))
    for name in ("documents", "steps", "units"):
        if not isinstance(item[name], list):
            errors.append(RowError(number, name, _("expected a list.")))
    if isinstance(item["units"], list) and not all(isinstance(u, str) and "\x00" not in u for u in item["units"]):
        errors.append(RowError(number, "units", _("expected a list of unit codes.")))
    for name in ("documents", "steps"):
        for index, child in enumerate(item[name] if isinstance(item[name], list) else [], start=1):
            if not isinstance(child, dict):
                errors.append(RowError(number, f"{name}[{index}]", _("expected an object.")))
                continue
            for key, value in child.items():
                if not isinstance(value, JSON_SCALARS):
                    errors.append(RowError(number, f"{name}[{index}].{key}", scalar))
                elif isinstance(value, str) and "\x00" in value:
                    errors.append(RowError(number, f"{name}[{index}].{key}", nul))
    return errors


def check_columns(columns: list[str], *, row: int) -> list[RowError]:
    errors = []
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        errors.append(RowError(row, ", ".join(duplicated), _("duplicate column(s).")))
    missing = [c for c in COLUMNS if c not in columns]
    unknown = [c[:50] for c in columns if c not in COLUMNS][:20]
    if missing:
        errors.append(RowError(row, ", ".join(missing), _("missing column(s).")))
    if unknown:
        errors.append(RowError(row, ", ".join(unknown), _("unknown column(s).")))
    return errors


# --- writing ---------------------------------------------------------------------------------------------


def neutralise_cell(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading `'` (and so does one that starts with `'`)."""
    if cell.startswith((*FORMULA_TRIGGERS, TEXT_MARK)):
        return TEXT_MARK + cell
    return cell


def write_json(rows: list[dict]) -> str:
    payload = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "procedures": [{c: r[c] for c in COLUMNS} for r in rows],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def write_csv(rows: list[dict]) -> str:
    """Rows as procedure_to_row gives them (lists for units, documents, steps)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = dict(row)
        cells["units"] = "; ".join(row["units"])
        cells["documents"] = "\n".join(_line(d, DOCUMENT_PARTS) for d in row["documents"])
        cells["steps"] = "\n".join(_line(s, STEP_PARTS) for s in row["steps"])
        writer.writerow([neutralise_cell(_cell(cells[c])) for c in COLUMNS])
    return buffer.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _line(item: dict, parts: list[str]) -> str:
    values = [_cell(item.get(p)) for p in parts]
    while values and values[-1] == "":
        values.pop()  # trailing empty parts may be omitted
    return " | ".join(values)
