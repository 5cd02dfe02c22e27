"""Catalogue search ignores diacritics and case; filters combine; queries stay constant."""

import pytest

from procedures.selectors.catalogue import catalogue_fields, catalogue_search
from tests.factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def codes(qs):
    return [p.code for p in qs]


@pytest.mark.parametrize("query", ["chung thuc", "Chứng thực", "CHỨNG THỰC", "chứng thuc", "  chung   THUC "])
def test_search_ignores_diacritics_case_and_spacing(shipped, query):
    found = codes(catalogue_search(search=query))
    assert "2.000884" in found and "2.000815" in found
    assert "1.001193" not in found  # Đăng ký khai sinh


def test_d_with_stroke_folds_to_d(shipped):
    assert "1.000656" in codes(catalogue_search(search="dang ky khai tu"))
    assert codes(catalogue_search(search="đăng ký khai tử")) == codes(catalogue_search(search="dang ky khai tu"))


def test_every_word_must_match(shipped):
    found = codes(catalogue_search(search="khai sinh ket hop"))
    assert found == ["1.000689"]


def test_english_names_and_codes_are_searchable(shipped):
    assert "1.000656" in codes(catalogue_search(search="death"))
    assert codes(catalogue_search(search="2.000815"))[0] == "2.000815"


def test_names_starting_with_the_phrase_come_first(shipped):
    found = codes(catalogue_search(search="dang ky khai sinh"))
    assert found[0] == "1.001193"  # "Đăng ký khai sinh" before "Đăng ký khai sinh kết hợp …"


def test_filters_combine(shipped):
    no_wait = catalogue_search(no_wait=True)
    assert all(p.no_wait for p in no_wait) and len(no_wait) == 9
    assert all(not p.no_wait for p in catalogue_search(no_wait=False))
    certification_no_wait = codes(catalogue_search(field="chung-thuc", no_wait=True))
    assert sorted(certification_no_wait) == ["2.000815", "2.000884"]
    assert all(p.online_level == "full" for p in catalogue_search(online_level="full"))
    assert codes(catalogue_search(search="chung thuc", online_level="partial")) == ["2.000815"]


def test_inactive_procedures_are_not_listed():
    active = ProcedureFactory(name="Cấp giấy xác nhận")
    ProcedureFactory(name="Cấp giấy xác nhận cũ", is_active=False)
    assert codes(catalogue_search(search="xac nhan")) == [active.code]


def test_without_a_query_the_catalogue_is_ordered_by_field_then_name():
    second = FieldFactory(position=2, name="B")
    first = FieldFactory(position=1, name="A")
    b = ProcedureFactory(field=second, name="An")
    a2 = ProcedureFactory(field=first, name="Zeta")
    a1 = ProcedureFactory(field=first, name="Alpha")
    assert codes(catalogue_search()) == [a1.code, a2.code, b.code]


def test_field_counts_only_active_procedures():
    field = FieldFactory()
    ProcedureFactory(field=field)
    ProcedureFactory(field=field, is_active=False)
    assert {f.code: f.active_count for f in catalogue_fields()}[field.code] == 1


def test_search_is_one_query_whatever_the_result_size(shipped, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(catalogue_search(search="dang ky"))
        _ = [(p.field.name, p.deadline_text, p.fee_summary) for p in rows]
    assert len(rows) > 10
