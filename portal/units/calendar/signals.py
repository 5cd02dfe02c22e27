"""Cached calendars go stale when office hours, exceptions or the unit tree change."""

from django.db.models.signals import post_delete, post_save

from portal.units.models import CalendarException, OfficeHours, Unit

from .cache import invalidate_calendars


def _invalidate(sender, **kwargs):
    invalidate_calendars()


def connect() -> None:
    for model in (OfficeHours, CalendarException, Unit):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"calendar-{model.__name__}-save")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"calendar-{model.__name__}-delete")
