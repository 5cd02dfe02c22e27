"""Import and export: idempotent by code, round-trips, and all-or-nothing with row-numbered errors."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from procedures.documents.catalogue_file import COLUMNS
from procedures.models import Field, Procedure, ProcessStep, RequiredDocument
from procedures.selectors.catalogue_export import export_csv, export_json
from procedures.services.catalogue_import import import_catalogue, load_shipped_catalogue

pytestmark = pytest.mark.django_db

ARTICLE_NO_WAIT = {  # the reference article's no-wait procedures (Hoàng Liệt, 25/04/2024)
    "HL.XN-01",
    "HL.XN-02",
    "HL.XN-03",
    "HL.XN-04",
    "HL.XN-05",  # confirmations: electricity, water, prison …
    "2.000884",
    "2.000815",  # signature certification, certified copies
    "1.000656",  # death registration
    "LC.QS-02",  # military-service transfer on change of residence
}


def row(**overrides):
    base = {
        "code": "9.900001",
        "name": "Xác nhận thử",
        "name_en": "Test confirmation",
        "field": "xac-nhan",
        "field_name": "Xác nhận đơn",
        "field_name_en": "Confirmations",
        "legal_basis": "",
        "applicant": "",
        "applicant_en": "",
        "implementing_level": "commune",
        "result": "",
        "result_en": "",
        "fee_kind": "free",
        "fee_amount": None,
        "fee_description": "",
        "fee_description_en": "",
        "online_level": "none",
        "deadline_amount": 8,
        "deadline_unit": "working_hours",
        "deadline_cutoff": None,
        "no_wait": True,
        "no_wait_minutes": 15,
        "is_active": True,
        "source_note": "",
        "units": [],
        "documents": [{"name": "Đơn", "form": "original", "count": 1}],
        "steps": [{"description": "Tiếp nhận", "responsible": "Một cửa", "minutes": 15}],
    }
    return base | overrides


def as_json(*rows) -> bytes:
    return json.dumps({"format": "mot-cua-catalogue", "version": 1, "procedures": list(rows)}).encode()


def as_csv(*rows, columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for r in rows:
        cells = []
        for c in columns:
            value = r.get(c)
            if c == "units":
                value = "; ".join(value)
            elif c == "documents":
                value = "\n".join(f"{d['name']} | {d['form']} | {d['count']}" for d in value)
            elif c == "steps":
                value = "\n".join(f"{s['description']} | {s['responsible']} | {s['minutes']}" for s in value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            cells.append("" if value is None else value)
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


def errors_of(report):
    return [(e.row, e.field) for e in report.errors]


# --- the shipped catalogue --------------------------------------------------------------------------------


def test_ships_at_least_40_real_procedures_with_documents_steps_and_sources(shipped):
    assert Procedure.objects.count() >= 40
    for procedure in Procedure.objects.prefetch_related("documents", "steps"):
        assert procedure.field_id and procedure.legal_basis, procedure.code
        assert procedure.documents.all(), procedure.code
        assert procedure.steps.all(), procedure.code
    assert set(Field.objects.values_list("code", flat=True)) >= {"ho-tich", "chung-thuc", "cu-tru", "bao-tro-xa-hoi"}


def test_marks_the_reference_wards_no_wait_procedures_at_15_minutes(shipped):
    no_wait = dict(Procedure.objects.filter(no_wait=True).values_list("code", "no_wait_minutes"))
    assert no_wait == dict.fromkeys(ARTICLE_NO_WAIT, 15)


def test_real_statutory_figures(shipped):
    by_code = {p.code: p for p in Procedure.objects.all()}
    assert by_code["2.000884"].fee_amount == 10000  # chứng thực chữ ký, per signature case
    assert by_code["2.000815"].deadline_unit == "same_day_cutoff"
    assert by_code["2.000815"].deadline_cutoff.strftime("%H:%M") == "15:00"
    assert by_code["1.000894"].fee_kind == "free"  # kết hôn, Luật Hộ tịch Art. 11
    assert by_code["1.004873"].deadline_amount == 3  # xác nhận tình trạng hôn nhân
    assert by_code["HL.XN-01"].deadline_unit == "working_hours" and by_code["HL.XN-01"].deadline_amount == 8


def test_uncertain_or_local_figures_say_so_in_the_source_note(shipped):
    for procedure in Procedure.objects.all():
        if procedure.code.startswith("LC."):
            assert "provisional local code" in procedure.source_note
        if procedure.code.startswith("HL."):
            assert "the ward's own confirmation" in procedure.source_note
            assert list(procedure.units.values_list("code", flat=True)) == ["H26.08.04"]
    provincial = Procedure.objects.get(code="1.004873")
    assert provincial.fee_kind == "varies" and "Hà Nội's rate: not found" in provincial.fee_description_en


def test_loading_twice_changes_nothing(shipped):
    history = (Procedure.history.count(), RequiredDocument.history.count(), ProcessStep.history.count())
    report = load_shipped_catalogue()
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == Procedure.objects.count()
    assert (Procedure.history.count(), RequiredDocument.history.count(), ProcessStep.history.count()) == history


# --- round trips ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("export", "fmt"), [(export_csv, "csv"), (export_json, "json")])
def test_export_then_import_gives_the_same_catalogue(shipped, export, fmt):
    first = export()
    assert import_catalogue(first.encode(), fmt=fmt).unchanged  # onto itself: nothing to do
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    report = import_catalogue(first.encode("utf-8"), fmt=fmt)
    assert report.ok, report.errors
    assert len(report.created) == shipped.unchanged.__len__() + len(shipped.created)
    assert export() == first


def test_csv_with_a_spreadsheet_bom_imports(units):
    report = import_catalogue(b"\xef\xbb\xbf" + as_csv(row()), fmt="csv")
    assert report.ok, report.errors
    assert Procedure.objects.get(code="9.900001").documents.get().name == "Đơn"


def test_import_updates_by_code_and_reports_what_changed(units):
    import_catalogue(as_json(row()), fmt="json")
    report = import_catalogue(as_json(row(name="Xác nhận thử (sửa)"), row(code="9.900002")), fmt="json")
    assert (report.created, report.updated, report.unchanged) == (["9.900002"], ["9.900001"], [])
    assert Procedure.objects.get(code="9.900001").name == "Xác nhận thử (sửa)"


def test_dry_run_imports_nothing(units):
    report = import_catalogue(as_json(row()), fmt="json", dry_run=True)
    assert report.ok and report.created == ["9.900001"]
    assert not Procedure.objects.exists()


# --- bad input: a list of row errors, nothing imported -----------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [row(), row(code="9.900002", deadline_amount=-3)], [(3, "deadline_amount")], id="negative deadline"
        ),
        pytest.param([row(), row()], [(3, "code")], id="duplicate codes"),
        pytest.param([row(deadline_unit="weeks")], [(2, "deadline_unit")], id="unknown deadline unit"),
        pytest.param([row(no_wait_minutes=480)], [(2, "no_wait_minutes")], id="no-wait not shorter than deadline"),
        pytest.param([row(no_wait="maybe")], [(2, "no_wait")], id="not a boolean"),
        pytest.param([row(fee_kind="fixed")], [(2, "fee_amount")], id="fixed fee without amount"),
        pytest.param(
            [row(steps=[{"description": "A", "responsible": "B", "minutes": 500}])],
            [(2, "steps")],
            id="steps longer than the deadline",
        ),
        pytest.param(
            [row(documents=[{"name": "Đơn", "form": "scan", "count": 0}])],
            [(2, "documents[1].form"), (2, "documents[1].count")],
            id="bad document",
        ),
        pytest.param([row(units=["H99.99"])], [(2, "units")], id="unknown unit"),
        pytest.param([row(field="moi", field_name="")], [(2, "field_name")], id="new field without a name"),
        pytest.param([row(code="a b")], [(2, "code")], id="code with a space"),
    ],
)
def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_imported(units, rows, expected):
    for fmt, data in (("csv", as_csv(*rows)), ("json", as_json(*rows))):
        report = import_catalogue(data, fmt=fmt)
        json_expected = [(r - 1, f) for r, f in expected]  # JSON items count from 1, CSV rows after the header
        assert errors_of(report) == (expected if fmt == "csv" else json_expected), (fmt, report.errors)
        assert not Procedure.objects.exists()
        assert not Field.objects.exists()


def test_wrong_encoding_is_reported_with_its_line(units):
    data = as_csv(row(), row(code="9.900002", name="Xác nhận")).decode().encode("cp1258", errors="replace")
    report = import_catalogue(data, fmt="csv")
    assert len(report.errors) == 1 and report.errors[0].row == 2
    assert "UTF-8" in report.errors[0].message
    assert not Procedure.objects.exists()


def test_missing_and_unknown_columns_are_named(units):
    columns = [c for c in COLUMNS if c not in ("deadline_unit", "steps")] + ["deadline"]
    report = import_catalogue(as_csv(row(), columns=columns), fmt="csv")
    assert errors_of(report) == [(1, "deadline_unit, steps"), (1, "deadline")]
    json_report = import_catalogue(as_json({k: v for k, v in row().items() if k != "fee_kind"}), fmt="json")
    assert errors_of(json_report) == [(1, "fee_kind")]


def test_a_csv_document_line_with_too_many_parts(units):
    data = as_csv(row()).decode().replace("Đơn | original | 1", "Đơn | original | 1 | a | b | c | d | e")
    report = import_catalogue(data.encode(), fmt="csv")
    assert errors_of(report) == [(2, "documents[1]")]


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"{not json", "JSON không hợp lệ"), (b'{"procedures": 3}', "cần một danh sách"), (b"[]", "không chứa thủ tục")],
)
def test_malformed_json(units, data, message):
    report = import_catalogue(data, fmt="json")
    assert message in report.errors[0].message
    assert not Procedure.objects.exists()


# --- the management command --------------------------------------------------------------------------------


def test_command_imports_a_file(units, tmp_path, capsys):
    path = tmp_path / "thu-tuc.csv"
    path.write_bytes(as_csv(row(), row(code="9.900002")))
    call_command("import_procedures", str(path))
    assert "2" in capsys.readouterr().out
    assert Procedure.objects.count() == 2


def test_command_lists_errors_and_imports_nothing(units, tmp_path, capsys):
    path = tmp_path / "thu-tuc.json"
    path.write_bytes(as_json(row(), row(code="9.900002", deadline_amount=-1)))
    with pytest.raises(CommandError, match="nothing was imported|không có dữ liệu nào được nhập"):
        call_command("import_procedures", str(path))
    assert "deadline_amount" in capsys.readouterr().err
    assert not Procedure.objects.exists()


def test_export_command_writes_the_import_format(shipped, tmp_path):
    path = tmp_path / "out.json"
    call_command("export_procedures", "--format", "json", "-o", str(path))
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == "mot-cua-catalogue"
    assert {p["code"] for p in payload["procedures"]} == set(Procedure.objects.values_list("code", flat=True))
