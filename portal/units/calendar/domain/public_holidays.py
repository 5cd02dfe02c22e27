"""Vietnam's public holidays and announced swaps as the `holidays` package knows them (pure, cached).

The package knows the statutory holidays (lunar Tết, Hùng Kings with its observed day, 30/4, 1/5, 2/9 and
the adjacent day, and from 2026 Vietnamese Culture Day) and most announced swaps (the day moved off is
listed as a holiday, the make-up Saturday in `weekend_workdays`); the exceptions table in the database
(CalendarException) supplies what it lacks, e.g. 2/1/2026 off and Saturday 10/1/2026 worked. Holiday
breaks are not listed by anyone: national_days derives them.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def vietnam_public_days(year: int, language: str = "vi") -> tuple[dict[date, str], frozenset[date]]:
    """(days off with their names, weekend days that are worked to make up for a swap) in `year`;
    names in Vietnamese, or in English for language "en"."""
    calendar = holidays.country_holidays("VN", years=year, language="en_US" if language == "en" else "vi")
    days_off = {day: name for day, name in sorted(calendar.items()) if day.year == year}
    makeup = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, makeup
