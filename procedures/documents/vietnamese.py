"""Dates, times and numbers as Vietnamese legal papers write them (pure; the slips are always in Vietnamese).

The forms of Circular 01/2018/TT-VPCP write "… giờ … phút, ngày … tháng … năm …" and the place-and-date line
"Hoàng Liệt, ngày 26 tháng 11 năm 2026"; the appointment is given in digits and in words, as on a cheque, so
a misread digit cannot move it.
"""

from __future__ import annotations

from datetime import datetime

from portal.units.calendar.domain.working_time import VIETNAM_TZ

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def _below_thousand(n: int, *, full: bool) -> list[str]:
    """0 < n < 1000; `full`: after a higher group, say the zero hundreds and "lẻ" (hai nghìn không trăm lẻ năm)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 0:
        return words
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units == 4 and tens >= 2:
        words.append("tư")
    else:
        words.append(DIGITS[units])
    return words


def number_words(n: int) -> str:
    """0 ≤ n < 1,000,000 in words: 26 → "hai mươi sáu", 2026 → "hai nghìn không trăm hai mươi sáu"."""
    if not 0 <= n < 1_000_000:
        raise ValueError(n)
    if n == 0:
        return DIGITS[0]
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands:
        words += [*_below_thousand(thousands, full=False), "nghìn"]
    if rest:
        words += _below_thousand(rest, full=bool(thousands))
    return " ".join(words)


def local(at: datetime) -> datetime:
    return at.astimezone(VIETNAM_TZ)


def date_line(at: datetime) -> str:
    """ "ngày 26 tháng 11 năm 2026" (the local day)."""
    at = local(at)
    return f"ngày {at.day:02d} tháng {at.month:02d} năm {at.year}"


def time_line(at: datetime) -> str:
    """ "10 giờ 05 phút, ngày 26 tháng 11 năm 2026" (Asia/Ho_Chi_Minh)."""
    at = local(at)
    return f"{at.hour:02d} giờ {at.minute:02d} phút, {date_line(at)}"


def short(at: datetime) -> str:
    """ "10:05 26/11/2026" for tables."""
    return f"{local(at):%H:%M %d/%m/%Y}"


def appointment(at: datetime) -> dict[str, str]:
    """The due time in digits (with the weekday) and in words."""
    at = local(at)
    minutes = f"{number_words(at.minute)} phút" if at.minute else "đúng"
    return {
        "digits": f"{at.hour:02d} giờ {at.minute:02d} phút, {WEEKDAYS[at.weekday()]}, {date_line(at)}",
        "words": (
            f"{number_words(at.hour)} giờ {minutes}, ngày {number_words(at.day)} tháng {number_words(at.month)}"
            f" năm {number_words(at.year)}"
        ),
    }


def duration(minutes: int) -> str:
    """A step's allotment in working time: 240 → "4 giờ làm việc", 90 → "1 giờ 30 phút làm việc"."""
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours} giờ"] if hours else []) + ([f"{rest} phút"] if rest else [])
    return " ".join(parts) + " làm việc"
