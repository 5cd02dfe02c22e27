"""Bad files are errors in the user's language, never crashes; templates are never named by path."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures.documents.catalogue_file import COLUMNS, CatalogueFileError, read_catalogue
from procedures.models import Procedure, RequiredDocument
from procedures.selectors.catalogue_export import export_json
from procedures.services.catalogue_import import import_catalogue
from tests.catalogue.test_import import as_csv, as_json, errors_of, row

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CHANGELIST = "/admin/procedures/procedure/"

DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
HUGE_CELL_CSV = as_csv(row(name="x" * (200 * 1024)))

BAD_FILES = [
    pytest.param(HUGE_CELL_CSV, "csv", "dài hơn 131072 ký tự", id="csv cell over 128 KiB"),
    pytest.param(DEEP_JSON, "json", "lồng nhau quá sâu", id="deeply nested json"),
    pytest.param(b"", "csv", "Tệp rỗng", id="empty csv"),
    pytest.param(b"  \n", "json", "Tệp rỗng", id="blank json"),
    pytest.param("code,name\n".encode("utf-16"), "csv", "UTF-16", id="utf-16"),
    pytest.param("code,Xác nhận\n".encode("cp1258", errors="replace"), "csv", "không phải văn bản UTF-8", id="cp1258"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "csv", "UTF-8", id="binary garbage"),
    pytest.param(b"code\x00,name\n", "csv", "NUL", id="nul byte"),
    pytest.param(b'"a string"', "json", "cần một danh sách", id="json string"),
    pytest.param(b"42", "json", "cần một danh sách", id="json number"),
    pytest.param(b"null", "json", "cần một danh sách", id="json null"),
    pytest.param(b'{"format": "other"}', "json", "mot-cua-catalogue", id="json wrong format"),
    pytest.param(b"[" + b"9" * 5000 + b"]", "json", "JSON không hợp lệ", id="json huge integer"),
    pytest.param(b'code,"unclosed\n', "csv", "thiếu cột", id="csv unclosed quote"),
    pytest.param(b"x", "xml", "định dạng", id="unknown format"),
]


@pytest.mark.parametrize(("data", "fmt", "message"), BAD_FILES)
def test_bad_files_are_reported_in_vietnamese_not_raised(units, data, fmt, message):
    report = import_catalogue(data, fmt=fmt)
    assert not report.ok
    assert message in " ".join(str(e) for e in report.errors)
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("value", "column"),
    [({"a": 1}, "name"), ([1], "deadline_amount"), (["x"], "no_wait"), (True, "deadline_cutoff")],
    ids=["object as name", "list as number", "list as boolean", "boolean as time"],
)
def test_json_cells_of_the_wrong_type_name_their_column(units, value, column):
    report = import_catalogue(as_json(row(**{column: value})), fmt="json")
    assert errors_of(report) == [(1, column)]


def test_json_units_and_children_of_the_wrong_type(units):
    bad = row(units=[1], documents=[{"name": {"deep": []}, "form": "original", "count": 1}])
    assert errors_of(import_catalogue(as_json(bad), fmt="json")) == [(1, "units"), (1, "documents[1].name")]


def test_json_nul_characters_are_row_errors_not_database_errors(units):
    bad = row(code="9.9\x00", units=["H26\x00"], documents=[{"name": "a\x00", "form": "original", "count": 1}])
    assert errors_of(import_catalogue(as_json(bad), fmt="json")) == [
        (1, "code"),
        (1, "units"),
        (1, "documents[1].name"),
    ]


def test_out_of_range_numbers_are_row_errors_not_database_errors(units):
    huge = 10**12
    report = import_catalogue(
        as_json(row(deadline_unit="working_days", deadline_amount=huge, no_wait=False, no_wait_minutes=None)),
        fmt="json",
    )
    assert errors_of(report) == [(1, "deadline_amount")]
    steps = [{"description": "A", "responsible": "B", "minutes": huge}]
    report = import_catalogue(as_json(row(steps=steps)), fmt="json")
    assert (1, "steps[1].minutes") in errors_of(report)


# --- the command: a message and a non-zero exit, no traceback ------------------------------------------


@pytest.mark.parametrize(("data", "suffix"), [(DEEP_JSON, "json"), (HUGE_CELL_CSV, "csv")], ids=["deep", "big cell"])
def test_command_reports_a_bad_file_without_a_traceback(tmp_path, data, suffix):
    path = tmp_path / f"thu-tuc.{suffix}"
    path.write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "import_procedures", str(path), "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "không có dữ liệu nào được nhập" in done.stderr.lower()


def test_command_with_a_template_path_outside_media(units, tmp_path):
    path = tmp_path / "thu-tuc.json"
    documents = [{"name": "Tờ khai", "form": "original", "count": 1, "template": "../../etc/passwd"}]
    path.write_bytes(as_json(row(documents=documents)))
    with pytest.raises(CommandError):
        call_command("import_procedures", str(path))
    assert not Procedure.objects.exists()


# --- the admin: a form error, not a 500 ----------------------------------------------------------------


@pytest.mark.parametrize(("data", "name"), [(DEEP_JSON, "x.json"), (HUGE_CELL_CSV, "x.csv"), (b"", "x.csv")])
def test_admin_shows_a_bad_file_as_an_error(admin_client, units, data, name):
    upload = SimpleUploadedFile(name, data)
    response = admin_client.post(f"{CHANGELIST}import/", {"file": upload, "dry_run": "on"})
    assert response.status_code == 200
    assert "Không có dữ liệu nào được nhập" in response.content.decode() or "errorlist" in response.content.decode()


# --- fuzz: any bytes, any JSON value: rows or the importer's error, nothing else ------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(["csv", "json"]))
def test_any_bytes_parse_to_rows_or_the_importers_error(data, fmt):
    try:
        rows = read_catalogue(data, fmt)
    except CatalogueFileError as exc:
        assert exc.errors and all(str(e) for e in exc.errors)
    else:
        assert rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=json_values,
    column=st.sampled_from(COLUMNS),
    wrap=st.booleans(),
)
def test_any_json_structure_imports_or_reports_errors(units, value, column, wrap):
    item = row(**{column: value})
    data = as_json(item) if wrap else json.dumps(value).encode()
    report = import_catalogue(data, fmt="json", dry_run=True)
    assert report.ok or all(str(e) for e in report.errors)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.text(max_size=40), min_size=len(COLUMNS), max_size=len(COLUMNS)))
def test_any_csv_cells_import_or_report_errors(units, cells):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(cells)
    report = import_catalogue(out.getvalue().encode("utf-8", "surrogatepass"), fmt="csv", dry_run=True)
    assert report.ok or all(str(e) for e in report.errors)


# --- templates: never referenced by an arbitrary path -------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def with_template(name: str, **overrides):
    return row(documents=[{"name": "Tờ khai", "form": "original", "count": 1, "template": name}], **overrides)


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "import"])
def test_another_uploads_path_is_refused(units, media, dry_run):
    secret = default_storage.save("dossiers/citizen-42/cccd.pdf", ContentFile(b"%PDF-1.4 private"))
    report = import_catalogue(as_json(with_template(secret)), fmt="json", dry_run=dry_run)
    assert errors_of(report) == [(1, "documents[1].template")]
    assert "không phải mẫu của thủ tục này" in report.errors[0].message
    assert not RequiredDocument.objects.exclude(template="").exists()


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "catalogue/templates/../../settings.py"])
def test_paths_escaping_media_are_refused_without_a_crash(units, media, name):
    for dry_run in (True, False):
        report = import_catalogue(as_json(with_template(name)), fmt="json", dry_run=dry_run)
        assert errors_of(report) == [(1, "documents[1].template")]


def test_another_procedures_template_is_refused_its_own_is_kept(units, media):
    import_catalogue(as_json(row(code="9.900001"), row(code="9.900002")), fmt="json")
    document = RequiredDocument.objects.get(procedure__code="9.900001")
    document.template.save("to-khai.pdf", ContentFile(b"%PDF-1.4 form"))
    own = document.template.name
    assert own.startswith("catalogue/templates/")

    stolen = import_catalogue(as_json(with_template(own, code="9.900002")), fmt="json")
    assert errors_of(stolen) == [(1, "documents[1].template")]

    exported = export_json().encode()
    assert json.loads(exported)["procedures"][0]["documents"][0]["template"] == own
    again = import_catalogue(exported, fmt="json")
    assert again.ok and again.unchanged == ["9.900001", "9.900002"]

    dropped = import_catalogue(as_json(with_template("", code="9.900001")), fmt="json")
    assert dropped.ok and dropped.updated == ["9.900001"]
    assert RequiredDocument.objects.get(procedure__code="9.900001").template.name == ""
