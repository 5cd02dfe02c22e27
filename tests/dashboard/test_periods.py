"""Reporting periods: presets, custom ranges, local-midnight bounds and every refusal."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from portal.units.calendar.domain.working_time import VIETNAM_TZ
from procedures.domain.periods import MAX_PERIOD_DAYS, Period, PeriodError, month_period, parse_period, previous_month

TODAY = date(2026, 5, 20)


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("month", Period(date(2026, 5, 1), TODAY)),
        ("quarter", Period(date(2026, 4, 1), TODAY)),  # Q2 starts in April
        ("year", Period(date(2026, 1, 1), TODAY)),
        (None, Period(date(2026, 5, 1), TODAY)),  # nothing given: this month so far
        ("", Period(date(2026, 5, 1), TODAY)),
    ],
)
def test_presets_run_to_today(preset, expected):
    assert parse_period(preset=preset, start=None, end=None, today=TODAY) == expected


def test_custom_range_and_default_end():
    assert parse_period(preset=None, start="2026-01-01", end="2026-01-31", today=TODAY) == month_period(2026, 1)
    assert parse_period(preset="custom", start="2026-05-01", end="", today=TODAY) == Period(date(2026, 5, 1), TODAY)
    assert parse_period(preset=None, start=date(2026, 5, 20), end=date(2026, 5, 20), today=TODAY).days == 1


@pytest.mark.parametrize(
    ("kwargs", "parameter", "message"),
    [
        ({"start": "2026-02-30"}, "from", "is not a date"),
        ({"start": "20260101"}, "from", "is not a date"),
        ({"start": "2026-01-01", "end": "x"}, "to", "is not a date"),
        ({"start": "2026-03-01", "end": "2026-02-28"}, "to", "ends before it starts"),
        ({"start": "2026-05-21"}, "from", "starts in the future"),
        ({"start": "2026-05-01", "end": "2026-05-21"}, "to", "ends in the future"),
        ({"end": "2026-05-01"}, "from", "first day"),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "from", "too long"),
        ({"preset": "week"}, "preset", "Unknown period"),
        ({"preset": "month", "start": "2026-05-01"}, "preset", "not both"),
    ],
)
def test_impossible_periods_are_refused_with_a_clear_message(kwargs, parameter, message):
    args = {"preset": None, "start": None, "end": None, **kwargs}
    with translation.override("en"), pytest.raises(PeriodError) as caught:
        parse_period(today=TODAY, **args)
    assert caught.value.parameter == parameter
    assert message in caught.value.message


def test_messages_are_translated():
    with translation.override("vi"), pytest.raises(PeriodError) as caught:
        parse_period(preset=None, start="2026-03-01", end="2026-02-28", today=TODAY)
    assert "before it starts" not in caught.value.message


def test_bounds_are_local_midnights():
    start, end = Period(date(2026, 2, 1), date(2026, 2, 28)).bounds()
    assert start == datetime(2026, 2, 1, tzinfo=VIETNAM_TZ)
    assert end == datetime(2026, 3, 1, tzinfo=VIETNAM_TZ)
    assert start.utcoffset() == timedelta(hours=7)


def test_labels_and_months():
    assert month_period(2024, 2) == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert previous_month(date(2026, 1, 15)) == month_period(2025, 12)
    assert month_period(2026, 3).label == "03/2026"
    assert "2026" in Period(date(2026, 3, 2), date(2026, 3, 9)).label


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, MAX_PERIOD_DAYS - 1))
def test_a_valid_range_round_trips_and_its_bounds_span_whole_days(start, length):
    end = start + timedelta(days=length)
    period = parse_period(preset=None, start=start.isoformat(), end=end.isoformat(), today=max(end, start))
    assert (period.start, period.end) == (start, end)
    low, high = period.bounds()
    assert high - low == timedelta(days=period.days)  # Vietnam has no daylight saving time
    assert low.astimezone(VIETNAM_TZ).time() == high.astimezone(VIETNAM_TZ).time() == datetime.min.time()
