"""A unit's working calendar in the database: weekly office hours and announced exceptions.

The tables belong to the units app (app label "units"); the rules that read them are in
portal.units.calendar.domain, the cached reads in portal.units.calendar.selectors.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OfficeHours(models.Model):
    """One session of a unit's weekly office hours (e.g. Monday 08:00–12:00).

    A unit without any row works the national default, Monday to Friday 08:00–12:00 and 13:00–17:00.
    """

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="office_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("opens at"))
    end = models.TimeField(_("closes at"))

    # The admin's inline formset checks all sessions of a unit together (rows may move past each other in one
    # save); it turns off the per-row database check.
    check_overlap_in_db = True

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["unit", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")),
                name="officehours_start_before_end",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="officehours_weekday_range"),
            models.UniqueConstraint(
                fields=["unit", "weekday", "start"],
                name="officehours_unique_start",
                violation_error_message=_("This unit already has a session starting then on that day."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if self.start is None or self.end is None:
            return
        if self.start >= self.end:
            raise ValidationError({"end": _("A session must end after it starts.")})
        if self.check_overlap_in_db and self.unit_id is not None and self.weekday is not None:
            clash = (
                OfficeHours.objects.filter(unit_id=self.unit_id, weekday=self.weekday)
                .exclude(pk=self.pk)
                .filter(start__lt=self.end, end__gt=self.start)
                .first()
            )
            if clash is not None:
                raise ValidationError(sessions_overlap_message(self, clash))


def sessions_overlap_message(first, second) -> str:
    return _("Sessions %(first)s and %(second)s overlap on %(weekday)s.") % {
        "first": f"{first.start:%H:%M}–{first.end:%H:%M}",
        "second": f"{second.start:%H:%M}–{second.end:%H:%M}",
        "weekday": Weekday(first.weekday).label,
    }


class CalendarException(models.Model):
    """A day the government (or a unit) announces off or worked, beyond what the `holidays` package knows.

    Without a unit it applies nationwide; a unit's row applies to it and to the units below it, and the
    nearest row wins (the unit's own over its parent's over the nationwide one). One row per day and scope,
    so a day can never be both added and removed.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day (make-up)")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_exceptions",
        help_text=_("Leave empty for the whole country."),
    )
    reason = models.CharField(_("reason"), max_length=300)
    legal_document = models.CharField(
        _("announced by"), max_length=300, help_text=_("The document that announced it, e.g. Thông báo 123/TB-BNV.")
    )

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(unit__isnull=True),
                name="calendarexception_one_per_day_nationwide",
                violation_error_message=_(
                    "This day already has a nationwide exception: a day cannot be both off and worked."
                ),
            ),
            models.UniqueConstraint(
                fields=["unit", "date"],
                condition=Q(unit__isnull=False),
                name="calendarexception_one_per_day_per_unit",
                violation_error_message=_(
                    "This day already has an exception for this unit: a day cannot be both off and worked."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["day_off", "working_day"]), name="calendarexception_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(date__gte=datetime.date(2000, 1, 1), date__lte=datetime.date(2100, 12, 31)),
                name="calendarexception_date_in_range",
                violation_error_message=_("The calendar covers the years 2000 to 2100."),
            ),
        ]
        indexes = [models.Index(fields=["date"], name="calendarexception_date_idx")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
