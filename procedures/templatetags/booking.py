"""Template filters of the booking pages."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> str:
    """A duration as whole minutes and seconds ("4 min 05 s"); a dash when there is nothing to average."""
    if value is None:
        return "—"
    total = int(value.total_seconds())
    return _("%(m)s min %(s)02d s") % {"m": total // 60, "s": total % 60}
