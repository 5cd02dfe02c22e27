"""Numbers, dates and times as the papers write them in Vietnamese."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procedures.documents import vietnamese as vn

from .helpers import local

VOCABULARY = set(vn.DIGITS) | {"mười", "mươi", "mốt", "lăm", "tư", "lẻ", "trăm", "nghìn"}


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),  # "mốt" only after twenty
        (14, "mười bốn"),  # "tư" only after twenty
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (30, "ba mươi"),
        (100, "một trăm"),
        (105, "một trăm lẻ năm"),
        (110, "một trăm mười"),
        (1000, "một nghìn"),
        (2005, "hai nghìn không trăm lẻ năm"),  # the zero hundreds said after a thousand
        (2010, "hai nghìn không trăm mười"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (2100, "hai nghìn một trăm"),
    ],
)
def test_number_words(number, words):
    assert vn.number_words(number) == words


@given(st.integers(0, 999_999))
def test_number_words_use_only_the_vocabulary(number):
    words = vn.number_words(number).split(" ")
    assert set(words) <= VOCABULARY
    assert words.count("nghìn") <= 1


def test_number_words_refuse_what_they_cannot_say():
    with pytest.raises(ValueError):
        vn.number_words(1_000_000)


def test_dates_and_times_are_local_and_vietnamese():
    at = local("2026-01-05 07:05")  # 00:05 UTC: the local day, not the UTC one
    assert vn.date_line(at) == "ngày 05 tháng 01 năm 2026"
    assert vn.time_line(at) == "07 giờ 05 phút, ngày 05 tháng 01 năm 2026"
    assert vn.appointment(at) == {
        "digits": "07 giờ 05 phút, Thứ Hai, ngày 05 tháng 01 năm 2026",
        "words": "bảy giờ năm phút, ngày năm tháng một năm hai nghìn không trăm hai mươi sáu",
    }
    assert vn.appointment(local("2026-11-29 17:00"))["words"].startswith("mười bảy giờ đúng, ngày hai mươi chín")
    assert "Chủ nhật" in vn.appointment(local("2026-11-29 17:00"))["digits"]


def test_durations_in_working_time():
    assert vn.duration(240) == "4 giờ làm việc"
    assert vn.duration(90) == "1 giờ 30 phút làm việc"
    assert vn.duration(45) == "45 phút làm việc"
