"""Admin plumbing shared by every app: saves go through services, and what a service rejects is shown.

A ModelAdmin's save_model / save_related / delete_model call a service; the form has already run the same
checks, so a service refusing afterwards means a race or a rule spanning rows. The admin wraps each submit in
one transaction: the refusal rolls the whole submit back and comes back as an error message, never a 500.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext

from procedures.domain.calendar import CalendarError


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, CalendarError):
        return [gettext(exc.template) % exc.params]
    return list(exc.messages)


class ServiceWriteAdminMixin:
    def _refused(self, request, exc: Exception):
        for message in _messages(exc):
            self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (ValidationError, CalendarError) as exc:
            return self._refused(request, exc)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except (ValidationError, CalendarError) as exc:
            return self._refused(request, exc)
