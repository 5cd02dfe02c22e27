"""The demo ward's hand-entered Tết 2026 Saturdays are now derived by the holiday-break rule
(portal.units.calendar.domain.national_days): remove the rows the old demo seed wrote, and only those."""

import datetime

from django.db import migrations

OLD_REASON = "Nghỉ Tết Bính Ngọ (14–22/02/2026): không tiếp nhận sáng thứ Bảy"
OLD_DATES = [datetime.date(2026, 2, 14), datetime.date(2026, 2, 21)]


def remove_rows(apps, schema_editor):
    CalendarException = apps.get_model("units", "CalendarException")
    CalendarException.objects.filter(
        unit__isnull=False, date__in=OLD_DATES, kind="day_off", reason=OLD_REASON
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("units", "0003_calendar_exceptions_2024_2026")]

    operations = [migrations.RunPython(remove_rows, migrations.RunPython.noop)]
