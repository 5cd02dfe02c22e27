"""The announced calendar exceptions of 2024–2026 that the `holidays` package (0.109) lacks.

Checked day by day against the announcements (tests/calendar/test_data.py keeps the check):
- 2024: Tết 8–14/2, Hùng Kings 18/4, 27/4–1/5 with Monday 29/4 swapped for Saturday 4/5, 31/8–3/9 —
  all in the package (29/4 off and 4/5 worked included).
- 2025: Tết 25/1–2/2, Hùng Kings 7/4, 30/4–4/5 with Friday 2/5 swapped for Saturday 26/4, 30/8–2/9 —
  all in the package.
- 2026: Tết 14–22/2 (the weekdays 16–20/2 are the statutory days), Hùng Kings observed Monday 27/4,
  30/4–1/5, 29/8–2/9 with Monday 31/8 swapped for Saturday 22/8, Vietnamese Culture Day 24/11 — all in the
  package. Missing: the New Year swap, added below.
Saturdays inside a break matter only to units that receive on Saturdays; the announcements leave those to
each unit's own plan, so they are unit rows, not nationwide ones.
"""

import datetime

from django.db import migrations

NEW_YEAR_2026 = "Công văn 12729/VPCP-KGVX ngày 25/12/2025 (Văn phòng Chính phủ) và thông báo của Bộ Nội vụ cùng ngày"

ROWS = [
    # Friday 2 January 2026 swapped to make New Year a 4-day break (1–4/1); the package does not know it.
    (datetime.date(2026, 1, 2), "day_off", "Nghỉ Tết Dương lịch 2026 (hoán đổi, làm bù thứ Bảy 10/01/2026)", NEW_YEAR_2026),
    # ...and the Saturday worked in exchange; the package does not know it either.
    (datetime.date(2026, 1, 10), "working_day", "Làm bù cho ngày nghỉ thứ Sáu 02/01/2026", NEW_YEAR_2026),
]


def add_rows(apps, schema_editor):
    CalendarException = apps.get_model("units", "CalendarException")
    for day, kind, reason, document in ROWS:
        CalendarException.objects.update_or_create(
            date=day, unit=None, defaults={"kind": kind, "reason": reason, "legal_document": document}
        )


def remove_rows(apps, schema_editor):
    CalendarException = apps.get_model("units", "CalendarException")
    CalendarException.objects.filter(unit=None, date__in=[row[0] for row in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("units", "0002_calendar")]

    operations = [migrations.RunPython(add_rows, remove_rows)]
